// The vSphere provider against a vcsim vCenter with 2,000 VMs:
//  - full inventory: connect() (version negotiation, login, one paged RetrievePropertiesEx) to the reset delta
//  - the WaitForUpdatesEx resync that follows (filter + initial update set) until the stream is live
//  - update latency: a power operation by another SOAP session completes → the provider's delta (median)
//   npm run bench -- vsphere

import { performance } from 'node:perf_hooks';
import type { InventoryDelta } from '../shared/model';
import { VsphereProvider } from '../electron/core/providers/vsphere/provider';
import { startVcsim } from '../test/peers/vcsim';
import { RawSoap } from '../test/integration/vsphere/raw-soap';

const CLUSTERS = 4;
const STANDALONE = 1;
const VMS_PER_POOL = 400; // one root pool per cluster + one per standalone host → 2,000 VMs
const LATENCY_ROUNDS = 9;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let t = performance.now();
const sim = await startVcsim({ model: 'vpx', datacenters: 1, clusters: CLUSTERS, hosts: 2, standaloneHosts: STANDALONE, vms: VMS_PER_POOL });
console.log(`vcsim up with ${sim.counts.vm} VMs, ${sim.counts.host} hosts in ${((performance.now() - t) / 1000).toFixed(1)} s`);

try {
  const deltas: Array<{ at: number; delta: InventoryDelta }> = [];
  const mappings: Array<{ objects: number; ms: number }> = [];
  const provider = new VsphereProvider({
    serverId: 'bench',
    host: sim.host,
    port: sim.port,
    username: sim.username,
    password: sim.password,
    options: { maxWaitSeconds: 30 },
    tls: { pinnedFingerprint: sim.fingerprint256, pinnedPem: sim.certPem },
    log: (_level, message) => {
      const m = /^mapped (\d+) changed objects in ([\d.]+) ms/.exec(message);
      if (m) mappings.push({ objects: Number(m[1]), ms: Number(m[2]) });
    },
  });
  provider.on('inventory', (delta) => deltas.push({ at: performance.now(), delta }));

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  await provider.connect();
  const connectMs = performance.now() - t;
  const reset = deltas.find((d) => d.delta.reset)!.delta;
  const vms = reset.upsert.filter((n) => n.kind === 'vm');
  console.log(`full inventory: ${reset.upsert.length} nodes (${vms.length} VMs) in ${connectMs.toFixed(0)} ms (login + RetrievePropertiesEx)`);

  // The stream is live once a change made elsewhere arrives: the first one also covers the initial update set.
  const raw = new RawSoap(sim);
  await raw.login();
  const waitForState = async (ref: string, state: string, since: number) => {
    for (;;) {
      const hit = deltas.find((d) => d.at >= since && d.delta.upsert.some((n) => n.nativeRef === ref && n.state === state));
      if (hit) return hit.at;
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const warm = vms[0];
  t = performance.now();
  await raw.runTask('PowerOffVM_Task', { type: 'VirtualMachine', value: warm.nativeRef });
  await waitForState(warm.nativeRef, 'halted', t);
  console.log(`stream live (CreateFilter + initial WaitForUpdatesEx + first change): ${(performance.now() - t).toFixed(0)} ms`);
  global.gc?.();
  console.log(`provider heap for the inventory: ~${((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024).toFixed(1)} MiB`);

  const mappedBefore = mappings.length;
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_ROUNDS; i++) {
    const vm = vms[1 + i];
    const ref = { type: 'VirtualMachine', value: vm.nativeRef };
    await raw.runTask('PowerOffVM_Task', ref);
    const done = performance.now(); // the task has completed on the server
    const seen = await waitForState(vm.nativeRef, 'halted', done - 1);
    latencies.push(Math.max(0, seen - done));
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
    const deltas: Array<{ at: number; delta: InventoryDelta }> = [];
    const provider = new VsphereProvider({
      serverId: 'bench-small',
      host: small.host,
      port: small.port,
      username: small.username,
      password: small.password,
      options: { maxWaitSeconds: 30 },
      tls: { pinnedFingerprint: small.fingerprint256, pinnedPem: small.certPem },
    });
    provider.on('inventory', (delta) => deltas.push({ at: performance.now(), delta }));
    await provider.connect();
    const raw = new RawSoap(small);
    await raw.login();
    const vm = deltas[0].delta.upsert.find((n) => n.kind === 'vm')!;
    const ref = { type: 'VirtualMachine', value: vm.nativeRef };
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_ROUNDS + 1; i++) {
      const state = i % 2 === 0 ? 'halted' : 'running';
      await raw.runTask(state === 'halted' ? 'PowerOffVM_Task' : 'PowerOnVM_Task', ref);
      const done = performance.now();
      for (;;) {
        const hit = deltas.find((d) => d.at >= done - 1 && d.delta.upsert.some((n) => n.nativeRef === vm.nativeRef && n.state === state));
        if (hit) {
          if (i > 0) latencies.push(Math.max(0, hit.at - done)); // the first also waits for the stream to go live
          break;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    console.log(`update latency on a 4-VM vCenter, ${latencies.length} rounds: median ${median(latencies).toFixed(0)} ms, min ${Math.min(...latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`);
    await raw.logout();
    await provider.disconnect();
  } finally {
    await small.stop();
  }
}
