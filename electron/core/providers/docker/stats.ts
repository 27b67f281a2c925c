// One reading of GET /containers/{id}/stats, reduced to what the Performance tab shows,
// computed as the docker CLI computes `docker stats`: CPU % from the change of the
// container's CPU time against the system's between this reading and the previous
// one (precpu_stats), times the online CPUs; memory used without the page cache the
// kernel can drop (cgroup v2 inactive_file, v1 total_inactive_file, else cache);
// block I/O and network as the cumulative byte counters the engine keeps.

import { PolyvisorError } from '../../../../shared/errors';

export interface StatsSample {
  /** Unix seconds (the engine's `read` time) */
  t: number;
  /** null for the first reading of a stream, which has no previous one */
  cpuPercent: number | null;
  memoryUsed: number | null;
  memoryLimit: number | null;
  blkRead: number;
  blkWrite: number;
  /** per interface: cumulative received and sent bytes */
  net: Record<string, { rx: number; tx: number }>;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function parseStatsLine(line: string, where: string): StatsSample | null {
  if (!line.trim()) return null;
  let raw: Json;
  try {
    raw = obj(JSON.parse(line));
  } catch {
    throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} sent a stats reading that is not JSON.` });
  }
  const t = Date.parse(String(raw.read ?? ''));
  if (!Number.isFinite(t) || t <= 0) return null; // a stopped container's reading has the zero time
  return { t: t / 1000, cpuPercent: cpuPercent(raw), ...memory(obj(raw.memory_stats)), ...blkio(obj(raw.blkio_stats)), net: networks(obj(raw.networks)) };
}

/** docker CLI's calculateCPUPercentUnix. */
export function cpuPercent(raw: Json): number | null {
  const cpu = obj(raw.cpu_stats);
  const pre = obj(raw.precpu_stats);
  const total = num(obj(cpu.cpu_usage).total_usage);
  const preTotal = num(obj(pre.cpu_usage).total_usage);
  const system = num(cpu.system_cpu_usage);
  const preSystem = num(pre.system_cpu_usage);
  if (total === null || preTotal === null || system === null || preSystem === null || preSystem === 0) return null;
  const percpu = obj(cpu.cpu_usage).percpu_usage;
  const online = num(cpu.online_cpus) || (Array.isArray(percpu) ? percpu.length : 0);
  const cpuDelta = total - preTotal;
  const systemDelta = system - preSystem;
  if (systemDelta <= 0 || cpuDelta < 0) return 0;
  return (cpuDelta / systemDelta) * online * 100;
}

function memory(m: Json): { memoryUsed: number | null; memoryLimit: number | null } {
  const usage = num(m.usage);
  const stats = obj(m.stats);
  const cache = num(stats.inactive_file) ?? num(stats.total_inactive_file) ?? num(stats.cache) ?? 0;
  return { memoryUsed: usage === null ? null : cache < usage ? usage - cache : usage, memoryLimit: num(m.limit) };
}

function blkio(b: Json): { blkRead: number; blkWrite: number } {
  let blkRead = 0;
  let blkWrite = 0;
  const entries = b.io_service_bytes_recursive;
  for (const e of Array.isArray(entries) ? entries : []) {
    const op = String(obj(e).op ?? '').toLowerCase();
    const value = num(obj(e).value) ?? 0;
    if (op === 'read') blkRead += value;
    else if (op === 'write') blkWrite += value;
  }
  return { blkRead, blkWrite };
}

function networks(n: Json): Record<string, { rx: number; tx: number }> {
  const out: Record<string, { rx: number; tx: number }> = {};
  for (const [name, v] of Object.entries(n)) {
    if (name === '__proto__') continue;
    out[name] = { rx: num(obj(v).rx_bytes) ?? 0, tx: num(obj(v).tx_bytes) ?? 0 };
  }
  return out;
}
