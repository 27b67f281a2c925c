// The inventory store under a 10,000-VM pool: the initial reset, then an event
// storm (every VM changes 10 times). Measures the store's CPU time and how many
// renderer events the batching turns the storm into.
//   npm run bench -- inventory

import { performance } from 'node:perf_hooks';
import type { InventoryDelta, InventoryNode } from '../shared/model';
import { InventoryStore } from '../electron/core/inventory/inventory-store';

const VMS = 10_000;
const ROUNDS = 10;

function vm(i: number, state: InventoryNode['state']): InventoryNode {
  return {
    id: `s1:vm:OpaqueRef:${i}`,
    serverId: 's1',
    kind: 'vm',
    name: `vm-${i}`,
    parentId: `s1:host:OpaqueRef:h${i % 16}`,
    nativeRef: `OpaqueRef:${i}`,
    state,
    allowed: state === 'running' ? ['shutdown', 'reboot', 'snapshot_create'] : ['start', 'snapshot_create'],
    props: { memory: 4 * 1024 ** 3, vcpus: 2, os: 'Debian 12', uuid: `uuid-${i}` },
  };
}

const emitted: InventoryDelta[] = [];
const store = new InventoryStore({ emit: (d) => emitted.push(d), batchMs: 16 });
store.setServer('s1', { name: 'Pool', type: 'xenserver', host: 'h', port: 443, connection: 'connected' });

const pool: InventoryNode = { id: 's1:pool:P', serverId: 's1', kind: 'pool', name: 'Pool', parentId: null, nativeRef: 'P', allowed: [], props: {} };
const initial = [pool, ...Array.from({ length: VMS }, (_, i) => vm(i, 'halted'))];

let t = performance.now();
store.apply({ serverId: 's1', reset: true, upsert: initial, remove: [] });
store.flush();
const resetMs = performance.now() - t;

// The storm arrives as XAPI event.from batches of 500 changes; each batch is one provider delta.
let applyMs = 0;
let changes = 0;
const eventsBefore = emitted.length;
for (let round = 0; round < ROUNDS; round++) {
  for (let start = 0; start < VMS; start += 500) {
    const upsert: InventoryNode[] = [];
    for (let i = start; i < start + 500; i++) upsert.push(vm(i, round % 2 ? 'halted' : 'running'));
    t = performance.now();
    store.apply({ serverId: 's1', upsert, remove: [] });
    applyMs += performance.now() - t;
    changes += upsert.length;
  }
  await new Promise((r) => setTimeout(r, 20)); // the batch window passes between rounds
}
t = performance.now();
store.flush();
const stormMs = applyMs + (performance.now() - t);
const stormEvents = emitted.length - eventsBefore;

console.log(`reset of ${VMS + 1} nodes: ${resetMs.toFixed(1)} ms`);
console.log(`storm: ${changes} node changes applied in ${stormMs.toFixed(1)} ms (${((changes / stormMs) * 1000).toFixed(0)} changes/s)`);
console.log(`renderer events for the storm: ${stormEvents} (from ${changes / 500} provider deltas)`);
store.dispose();
