// The simulator's performance data: plausible, deterministic series for each running
// VM and each host, named as xapi's rrdd names its data sources (cpu<N>, memory,
// memory_target, memory_internal_free, vbd_<dev>_read/write, vbd_<dev>_iops_read/write,
// vif_<dev>_rx/tx; host: cpu<N>, cpu_avg, memory_total_kib, memory_free_kib,
// pif_<dev>_rx/tx, loadavg). A value depends only on the object, the source, the
// time and the consolidation step, so a test can recompute what was served.
// A halted VM has no data sources (it is not resident on any host).

import type { XapiDatabase, XapiRecord } from '../database';

export type ObjectType = 'vm' | 'host';

export interface DataSource {
  type: ObjectType;
  uuid: string;
  name: string;
  /** the value at the end of the consolidated interval [t - step, t] */
  value(t: number, step: number): number;
}

const RUNNING = new Set(['Running', 'Paused']);

/** A number in [0, 1) from a string: the phase and scale of one series. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/** A slow wave in [0, 1]: daily and hourly swings with a seeded phase, sampled at the interval's middle. */
export function wave(seed: number, t: number, step: number): number {
  const mid = t - step / 2;
  const day = Math.sin((2 * Math.PI * mid) / 86_400 + seed * 6.283);
  const hour = Math.sin((2 * Math.PI * mid) / 3_600 + seed * 17.1);
  const minutes = Math.sin((2 * Math.PI * mid) / 300 + seed * 31.7);
  return Math.min(1, Math.max(0, 0.5 + 0.25 * day + 0.15 * hour + 0.1 * minutes));
}

function source(type: ObjectType, uuid: string, name: string, f: (w: number) => number): DataSource {
  const seed = seedOf(`${uuid}:${name}`);
  return { type, uuid, name, value: (t, step) => f(wave(seed, t, step)) };
}

/** The data sources of a VM, or none when it does not run. */
export function vmSources(db: XapiDatabase, vm: XapiRecord): DataSource[] {
  if (!RUNNING.has(String(vm.power_state))) return [];
  const uuid = String(vm.uuid);
  const metrics = db.get('VM_metrics', String(vm.metrics));
  const vcpus = Number(metrics?.VCPUs_number) || Number(vm.VCPUs_at_startup) || 1;
  const paused = vm.power_state === 'Paused';
  const actual = Number(metrics?.memory_actual) || Number(vm.memory_dynamic_max) || 0;
  const out: DataSource[] = [];
  for (let i = 0; i < vcpus; i++) out.push(source('vm', uuid, `cpu${i}`, (w) => (paused ? 0 : 0.02 + 0.6 * w)));
  out.push(source('vm', uuid, 'memory', () => actual));
  out.push(source('vm', uuid, 'memory_target', () => Number(vm.memory_target) || actual));
  out.push(source('vm', uuid, 'memory_internal_free', (w) => Math.round((actual / 1024) * (0.2 + 0.5 * (1 - w)))));
  for (const ref of (vm.VBDs as string[] | undefined) ?? []) {
    const vbd = db.get('VBD', ref);
    if (!vbd || vbd.type === 'CD' || !vbd.device) continue;
    const dev = String(vbd.device);
    out.push(source('vm', uuid, `vbd_${dev}_read`, (w) => (paused ? 0 : Math.round(4_000_000 * w * w))));
    out.push(source('vm', uuid, `vbd_${dev}_write`, (w) => (paused ? 0 : Math.round(1_500_000 * w))));
    out.push(source('vm', uuid, `vbd_${dev}_iops_read`, (w) => (paused ? 0 : Math.round(300 * w * w))));
    out.push(source('vm', uuid, `vbd_${dev}_iops_write`, (w) => (paused ? 0 : Math.round(120 * w))));
  }
  for (const ref of (vm.VIFs as string[] | undefined) ?? []) {
    const vif = db.get('VIF', ref);
    if (!vif) continue;
    const dev = String(vif.device);
    out.push(source('vm', uuid, `vif_${dev}_rx`, (w) => (paused ? 0 : Math.round(2_000_000 * w))));
    out.push(source('vm', uuid, `vif_${dev}_tx`, (w) => (paused ? 0 : Math.round(800_000 * w * w))));
  }
  return out;
}

/** The data sources of a live host. */
export function hostSources(db: XapiDatabase, host: XapiRecord): DataSource[] {
  const metrics = db.get('host_metrics', String(host.metrics));
  if (metrics && metrics.live === false) return [];
  const uuid = String(host.uuid);
  const cpus = Number((host.cpu_info as Record<string, string> | undefined)?.cpu_count) || 1;
  const out: DataSource[] = [];
  for (let i = 0; i < cpus; i++) out.push(source('host', uuid, `cpu${i}`, (w) => 0.01 + 0.5 * w));
  out.push(source('host', uuid, 'cpu_avg', (w) => 0.01 + 0.5 * w));
  const totalKib = Math.round((Number(metrics?.memory_total) || 0) / 1024);
  out.push(source('host', uuid, 'memory_total_kib', () => totalKib));
  out.push(source('host', uuid, 'memory_free_kib', () => Math.round((Number(metrics?.memory_free) || 0) / 1024)));
  out.push(source('host', uuid, 'loadavg', (w) => 0.1 + 4 * w));
  for (const ref of (host.PIFs as string[] | undefined) ?? []) {
    const pif = db.get('PIF', ref);
    if (!pif?.device) continue;
    const dev = String(pif.device);
    out.push(source('host', uuid, `pif_${dev}_rx`, (w) => Math.round(20_000_000 * w)));
    out.push(source('host', uuid, `pif_${dev}_tx`, (w) => Math.round(9_000_000 * w)));
  }
  return out;
}
