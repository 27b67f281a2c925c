// How long a XAPI pool's first load holds the core's event loop (issue 17): connect to a
// generated pool (64 hosts, 10,000 VMs, 20,000 snapshots; the simulator in a child process,
// so only the client's work is on this loop), map every record to a node and apply the
// nodes to the inventory store, as the core does, while a 1 ms timer notes the longest
// stretch without a turn. A warm-up connect first: module loading and the parse workers'
// start are outside what is measured (the bundled app loads no TypeScript).
//
//   npx tsx bench/xapi-first-load.bench.ts [--runs 3] [--hosts 64 --vms 10000 --snapshots 20000]
import os from 'node:os';
import { fetchPresentedCertificate } from '../electron/core/tls/probe';
import { startXapiSimProcess } from '../test/peers/xapi-sim-process';
import { median } from './lib/median';
import { measureFirstLoad, type FirstLoad } from './lib/xapi-first-load';

/** the core's goal for its event-loop delay p99 (issue 17) */
const GOAL_MS = 50;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '3'));
  const spec = { hosts: Number(arg('hosts', '64')), vms: Number(arg('vms', '10000')), snapshots: Number(arg('snapshots', '20000')), poolName: 'first-load' };
  const sim = await startXapiSimProcess(spec);
  try {
    const { pem } = await fetchPresentedCertificate(sim.host, sim.port);
    console.log(`XAPI first load: ${spec.hosts} hosts, ${spec.vms} VMs, ${spec.snapshots} snapshots (simulator in its own process); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    await measureFirstLoad(sim, pem);
    const results: FirstLoad[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await measureFirstLoad(sim, pem);
      results.push(r);
      console.log(
        `  run ${i + 1}: ${Math.round(r.ms)} ms, ${r.nodes.length} nodes; longest block ${Math.round(r.longestMs)} ms wall (most main-thread CPU in one: ${Math.round(r.longestCpuMs)} ms), ` +
          `${r.over50} over 50 ms in ${r.turns} turns, loop delay p99 ${r.p99Ms.toFixed(1)} ms`,
      );
    }
    const block = median(results.map((r) => r.longestMs));
    const p99 = median(results.map((r) => r.p99Ms));
    console.log(`  median longest block ${Math.round(block)} ms wall, ${Math.round(median(results.map((r) => r.longestCpuMs)))} ms CPU; loop delay p99 ${p99.toFixed(1)} ms (goal ≤ ${GOAL_MS}: ${p99 <= GOAL_MS ? 'met' : 'NOT met'}); load average now ${os.loadavg()[0]!.toFixed(1)}`);
  } finally {
    await sim.stop();
  }
}

if (process.argv[1]?.endsWith('xapi-first-load.bench.ts')) await main();
