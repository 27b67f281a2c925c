// The last known tree of a 50,000-node server (issue 17): written and read as the core
// did before (the whole text made in one turn, read and checked on the event loop)
// and as it does now (written in slices, read and checked by a parse worker). For
// each: the wall time, and the longest the event loop was held meanwhile (perf_hooks).
//   npm run bench -- last-known

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { InventoryNode } from '../shared/model';
import { decodeLastKnown, encodeLastKnown, LAST_KNOWN_SCHEMA_VERSION, type LastKnownTree } from '../electron/core/connections/last-known-format';
import { lastKnownFile, readLastKnown, writeLastKnown } from '../electron/core/connections/last-known-file';
import { parsePool } from '../electron/core/providers/parse-pool';
import { writeFileAtomic } from '../electron/core/util/atomic-file';
import { loadVersionedFile } from '../electron/core/util/versioned-json-file';

const NODES = 50_000;
const ROUNDS = 3;
const SERVER = 'bench-server';

function node(i: number): InventoryNode {
  const host = i % 64;
  return {
    id: `${SERVER}:vm:OpaqueRef:${i.toString(16).padStart(8, '0')}-vm`,
    serverId: SERVER,
    kind: 'vm',
    name: `vm-${String(i).padStart(5, '0')}`,
    parentId: `${SERVER}:host:OpaqueRef:host-${host}`,
    nativeRef: `OpaqueRef:${i.toString(16).padStart(8, '0')}-vm`,
    state: i % 3 ? 'running' : 'halted',
    allowed: [],
    props: { memory: 4 * 1024 ** 3, vcpus: 2, os: 'Debian GNU/Linux 12', uuid: `0000${i}-aaaa-bbbb-cccc-dddddddddddd`, ip: `10.${host}.${i % 250}.${i % 200}`, tags: i % 5 ? [] : ['web'] },
  };
}

const tree: LastKnownTree = { serverId: SERVER, at: Date.now(), nodes: Array.from({ length: NODES }, (_, i) => node(i)) };
const home = mkdtempSync(path.join(os.tmpdir(), 'pv-last-known-bench-'));

async function measure(what: string, work: () => Promise<unknown>): Promise<void> {
  const walls: number[] = [];
  const holds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const t0 = performance.now();
    await work();
    walls.push(performance.now() - t0);
    // a last turn so the delay of the final hold is recorded
    await new Promise((r) => setTimeout(r, 20));
    loop.disable();
    holds.push(loop.max / 1e6);
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
  console.log(`${what}: wall ${fmt(walls)} ms; longest event-loop hold ${fmt(holds)} ms`);
}

const file = lastKnownFile(home, SERVER);
// the worker started and warm before measuring
await writeLastKnown(home, { ...tree, nodes: tree.nodes.slice(0, 10) });
await readLastKnown(home, SERVER);

await measure(`before: write ${NODES} nodes in one turn`, () => writeFileAtomic(file, encodeLastKnown(tree)));
await measure(`after:  write ${NODES} nodes in slices`, () => writeLastKnown(home, tree));
await measure(`before: read ${NODES} nodes on the event loop`, async () => {
  const loaded = await loadVersionedFile({ file, version: LAST_KNOWN_SCHEMA_VERSION, empty: () => undefined, parse: (doc) => decodeLastKnown(doc, SERVER) });
  if (loaded.value?.nodes.length !== NODES) throw new Error('the tree was not read back whole');
});
await measure(`after:  read ${NODES} nodes in the parse worker`, async () => {
  const { tree: read } = await readLastKnown(home, SERVER);
  if (read?.nodes.length !== NODES) throw new Error('the tree was not read back whole');
});
await parsePool().close();
rmSync(home, { recursive: true, force: true });
