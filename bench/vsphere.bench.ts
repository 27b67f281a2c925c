// The vSphere provider against a vcsim vCenter with 2,000 VMs:
//  - full inventory: connect() (version negotiation, login, CreateFilter and the filter's
//    initial update set in pages of 1,000) to the reset delta; the stream is live from there
//  - a change made right after connect (the window where finding 7 lost updates) → its delta
//  - update latency: a power operation by another SOAP session completes → the provider's delta (median)
//  - on vcsim's default vCenter: a connect and 30 s of following an idle server, in requests,
//    bytes and main-thread XML parse ms per node (issue 17)
// Every wait has a deadline and says what it was waiting for.
//   npm run bench -- vsphere

import { performance } from 'node:perf_hooks';
import type { InventoryDelta, InventoryNode } from '../shared/model';
import { startVcsim, type Vcsim } from '../test/peers/vcsim';
import { RawSoap } from '../test/integration/vsphere/raw-soap';
import { providerFor } from '../test/integration/vsphere/harness';
import { describeMetered, metered } from './lib/https-meter';

const CLUSTERS = 4;
const STANDALONE = 1;
const VMS_PER_POOL = 400; // one root pool per cluster + one per standalone host → 2,000 VMs
const LATENCY_ROUNDS = 9;
/** how long the idle default vCenter is followed while its requests are counted */
const IDLE_FOLLOW_MS = 30_000;
/** longest wait for one delta; the provider's own deadlines end connect() and calls */
const DELTA_WAIT_MS = 60_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A provider on `sim`, its deltas with the time they arrived, and a bounded wait for one. */
function benchProvider(sim: Vcsim, serverId: string, log?: (message: string) => void) {
  const deltas: Array<{ at: number; delta: InventoryDelta }> = [];
  const waiters = new Set<() => void>();
  const provider = providerFor(sim, { serverId, options: { maxWaitSeconds: 30 }, log: (_level, message) => log?.(message) });
  provider.on('inventory', (delta) => {
    deltas.push({ at: performance.now(), delta });
    for (const wake of [...waiters]) wake();
  });
  /** Resolves with the arrival time of the first delta since `since` that shows `ref` in `state`. */
  const deltaShowing = (ref: string, state: string, since: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const hit = deltas.find((d) => d.at >= since && d.delta.upsert.some((n) => n.nativeRef === ref && n.state === state));
        if (!hit) return;
        done();
        resolve(hit.at);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${DELTA_WAIT_MS / 1000} s waiting for a delta showing ${ref} ${state}`));
      }, DELTA_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return { provider, deltas, deltaShowing };
}

const vmsOf = (delta: InventoryDelta): InventoryNode[] => delta.upsert.filter((n) => n.kind === 'vm');

let t = performance.now();
const sim = await startVcsim({ model: 'vpx', datacenters: 1, clusters: CLUSTERS, hosts: 2, standaloneHosts: STANDALONE, vms: VMS_PER_POOL });
console.log(`vcsim up with ${sim.counts.vm} VMs, ${sim.counts.host} hosts in ${((performance.now() - t) / 1000).toFixed(1)} s`);

try {
  const mappings: Array<{ objects: number; ms: number }> = [];
  const { provider, deltas, deltaShowing } = benchProvider(sim, 'bench', (message) => {
    const m = /^mapped (\d+) changed objects in ([\d.]+) ms/.exec(message);
    if (m) mappings.push({ objects: Number(m[1]), ms: Number(m[2]) });
  });

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  const connect = await metered(() => provider.connect());
  const connectMs = performance.now() - t;
  const reset = deltas.find((d) => d.delta.reset)?.delta;
  if (!reset) throw new Error('connect() resolved without a reset delta');
  const vms = vmsOf(reset);
  console.log(`full inventory: ${reset.upsert.length} nodes (${vms.length} VMs) in ${connectMs.toFixed(0)} ms (login + CreateFilter + paged initial update set; the stream is live)`);
  console.log(`  ${describeMetered(connect, reset.upsert.length)}; its pages over 1 MiB are parsed in the worker`);
  global.gc?.();
  console.log(`provider heap for the inventory: ~${((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024).toFixed(1)} MiB`);

  // Right after connect: where a change used to be lost for good (issue 11, finding 7).
  const raw = new RawSoap(sim);
  await raw.login();
  const first = vms[0];
  t = performance.now();
  await raw.runTask('PowerOffVM_Task', { type: 'VirtualMachine', value: first.nativeRef });
  const done = performance.now();
  const seen = await deltaShowing(first.nativeRef, 'halted', t);
  console.log(`a change made right after connect: delta ${Math.max(0, seen - done).toFixed(0)} ms after the power-off completed`);

  const mappedBefore = mappings.length;
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_ROUNDS; i++) {
    const vm = vms[1 + i];
    const started = performance.now(); // the delta may come before the task's end is seen here
    await raw.runTask('PowerOffVM_Task', { type: 'VirtualMachine', value: vm.nativeRef });
    const completed = performance.now(); // the task has completed on the server
    const arrived = await deltaShowing(vm.nativeRef, 'halted', started);
    latencies.push(Math.max(0, arrived - completed));
  }
  console.log(
    `update latency (power-off done → delta), ${LATENCY_ROUNDS} rounds: median ${median(latencies).toFixed(0)} ms, ` +
      `min ${Math.min(...latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
  );
  const client = mappings.slice(mappedBefore).filter((m) => m.objects < 100).map((m) => m.ms);
  if (client.length) console.log(`  of which the provider's own mapping + diff per update: median ${median(client).toFixed(1)} ms`);
  console.log('  (the rest is vcsim: it batches changes on a 250 ms ticker and re-collects the whole 2,000-VM filter per change)');

  await raw.logout();
  await provider.disconnect();
} finally {
  await sim.stop();
}

// The same latency on vcsim's default vCenter (4 VMs): the simulator's own floor (its 250 ms ticker).
{
  const small = await startVcsim({ model: 'vpx' });
  try {
    const { provider, deltas, deltaShowing } = benchProvider(small, 'bench-small');
    const started = performance.now();
    const connect = await metered(() => provider.connect());
    const connectMs = performance.now() - started;
    const nodes = deltas[0].delta.upsert.length;
    console.log(`default vCenter (${nodes} nodes): connect ${connectMs.toFixed(0)} ms, ${describeMetered(connect, nodes)}`);
    const idle = await metered(() => new Promise((resolve) => setTimeout(resolve, IDLE_FOLLOW_MS)));
    console.log(`  ${IDLE_FOLLOW_MS / 1000} s of following it idle (inventory, events, tasks): ${describeMetered(idle, nodes)}`);
    const raw = new RawSoap(small);
    await raw.login();
    const vm = vmsOf(deltas[0].delta)[0];
    const ref = { type: 'VirtualMachine', value: vm.nativeRef };
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_ROUNDS; i++) {
      const state = i % 2 === 0 ? 'halted' : 'running';
      const started = performance.now();
      await raw.runTask(state === 'halted' ? 'PowerOffVM_Task' : 'PowerOnVM_Task', ref);
      const completed = performance.now();
      latencies.push(Math.max(0, (await deltaShowing(vm.nativeRef, state, started)) - completed));
    }
    console.log(`update latency on a 4-VM vCenter, ${latencies.length} rounds: median ${median(latencies).toFixed(0)} ms, min ${Math.min(...latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`);
    await raw.logout();
    await provider.disconnect();
  } finally {
    await small.stop();
  }
}
