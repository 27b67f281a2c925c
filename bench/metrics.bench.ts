// Performance data benchmark (issue 15): reading a day of XAPI rrd_updates (xapi's
// hourly archive, 24 rows) for a whole generated pool — 64 hosts, 4,000 VMs (half of
// them running), every host's and VM's data sources — with the provider's xport
// reader, as one host's Performance tab reads it (keeping that host's columns) and
// keeping every column. The document is the simulator's own answer, fed in 64 KiB
// chunks as a socket would deliver it.
//
//   npx tsx bench/metrics.bench.ts [--hosts 64 --vms 4000 --runs 5]

import { XportReader } from '../electron/core/providers/xenserver/metrics/xport-reader';
import { XapiDatabase } from '../test/sim/xapi/database';
import { generatePool } from '../test/sim/xapi/generate';
import { loadModel } from '../test/sim/xapi/model';
import { xportChunks, xportPlan } from '../test/sim/xapi/rrd/rrd-updates';
import type { SimCore } from '../test/sim/xapi/core';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const hosts = arg('hosts', 64);
const vms = arg('vms', 4000);
const runs = arg('runs', 5);
const CHUNK = 64 * 1024;

const db = new XapiDatabase(loadModel());
generatePool(db, { hosts, vms, snapshots: 0 });
const now = Math.floor(Date.now() / 1000);
const request = { start: now - 86_400, interval: 3600, cf: 'AVERAGE' as const, host: true };
const plan = xportPlan({ db } as unknown as SimCore, request, now);
const doc = Buffer.from([...xportChunks(request, plan)].join(''), 'utf8');
const firstHost = [...db.records('host').values()][0]!.uuid as string;
console.log(`xport: ${plan.sources.length} columns × ${plan.times.length} rows (step ${plan.archive.step} s), ${(doc.length / 1024 / 1024).toFixed(1)} MiB`);

function read(keep: (entry: string) => boolean): { ms: number; cpuMs: number; columns: number } {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const reader = new XportReader('bench:443', keep);
  for (let at = 0; at < doc.length; at += CHUNK) reader.push(doc.subarray(at, at + CHUNK));
  const xport = reader.finish();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t0, cpuMs: (used.user + used.system) / 1000, columns: xport.legend.length };
}

for (const [label, keep] of [
  ['one host (the tab)', (e: string) => e.startsWith(`AVERAGE:host:${firstHost}:`)],
  ['every column', () => true],
] as const) {
  const results = Array.from({ length: runs }, () => read(keep));
  const best = results.reduce((a, b) => (a.cpuMs < b.cpuMs ? a : b));
  const median = [...results].sort((a, b) => a.ms - b.ms)[Math.floor(runs / 2)]!;
  const mibPerS = doc.length / 1024 / 1024 / (median.ms / 1000);
  console.log(`${label.padEnd(20)} ${String(best.columns).padStart(6)} columns kept   median ${median.ms.toFixed(0)} ms (${mibPerS.toFixed(0)} MiB/s)   best CPU ${best.cpuMs.toFixed(0)} ms   rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);
}
