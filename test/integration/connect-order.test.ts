// Which servers connect first when only a few connect at once (issue 17): the
// measurement behind CONNECT_ORDER. Twelve XAPI pools of very different sizes (one of
// 3,000 VMs, two of 1,000, three of 200, six of 10) are connected through the same
// bounded start the app uses (3 at once), in each order, with the real provider; the
// sizes are the node counts their last known trees had. Measured per order: when each
// server turned live (mean over servers), when half of all nodes were live, and when
// the last one was. Smallest first must turn servers live sooner on average: that is
// what the user waits for with the last known tree already on screen.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBounded } from '../../electron/core/connections/bounded-start';
import { connectOrder, CONNECT_ORDER, type ConnectOrder } from '../../electron/core/connections/connect-order';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';

const SIZES = [3000, 1000, 1000, 200, 200, 200, 10, 10, 10, 10, 10, 10];
const AT_ONCE = 3;

let sims: XapiSimulator[] = [];
/** nodes each server's tree had (what its last known tree would count) */
const nodeCount = new Map<XapiSimulator, number>();

interface Run {
  meanServerLiveMs: number;
  halfNodesLiveMs: number;
  allLiveMs: number;
}

async function connectOne(sim: XapiSimulator, index: number): Promise<number> {
  const provider = xenServerProviderFactory.create({
    serverId: `order-${index}`,
    host: sim.host,
    port: sim.port,
    username: 'root',
    password: 'password',
    options: { eventTimeoutS: 5 },
    tls: { pinnedFingerprint: sim.fingerprint256, pinnedPem: sim.certPem },
  });
  let nodes = 0;
  provider.on('inventory', (d) => {
    if (d.reset) nodes = 0;
    nodes += d.upsert.length;
  });
  await provider.connect();
  await provider.disconnect();
  return nodes;
}

async function measure(order: ConnectOrder): Promise<Run> {
  const ordered = connectOrder(sims, (s) => nodeCount.get(s) ?? 0, order);
  const t0 = Date.now();
  const liveAt = new Map<XapiSimulator, number>();
  await startBounded(
    ordered,
    async (sim) => {
      await connectOne(sim, sims.indexOf(sim));
      liveAt.set(sim, Date.now() - t0);
    },
    { limit: AT_ONCE, slotMs: 120_000 },
  );
  const times = [...liveAt.values()];
  const total = [...nodeCount.values()].reduce((a, b) => a + b, 0);
  let live = 0;
  let halfNodesLiveMs = 0;
  for (const [sim, at] of [...liveAt.entries()].sort((a, b) => a[1] - b[1])) {
    live += nodeCount.get(sim)!;
    if (live >= total / 2) {
      halfNodesLiveMs = at;
      break;
    }
  }
  return { meanServerLiveMs: Math.round(times.reduce((a, b) => a + b, 0) / times.length), halfNodesLiveMs, allLiveMs: Math.max(...times) };
}

beforeAll(async () => {
  // saved in an order that favours neither: large and small interleaved
  const saved = [10, 3000, 200, 10, 1000, 10, 200, 10, 1000, 10, 200, 10];
  expect([...saved].sort((a, b) => a - b)).toEqual([...SIZES].sort((a, b) => a - b));
  sims = await Promise.all(saved.map((vms) => startXapiSimulator({ generate: { hosts: vms > 100 ? 4 : 1, vms, snapshots: 0 } })));
  // the first connect of each: its node count, as its last known tree would have it
  for (const [i, sim] of sims.entries()) nodeCount.set(sim, await connectOne(sim, i));
}, 600_000);

afterAll(async () => {
  await Promise.all(sims.map((s) => s.stop()));
});

describe('connecting order', () => {
  it('smallest first turns servers live sooner on average than largest first', async () => {
    const runs: Record<ConnectOrder, Run[]> = { 'smallest-first': [], 'largest-first': [] };
    for (let round = 0; round < 2; round++) {
      for (const order of ['smallest-first', 'largest-first'] as const) runs[order].push(await measure(order));
    }
    for (const order of ['smallest-first', 'largest-first'] as const) {
      console.log(
        `[connect order] ${order}, ${sims.length} XAPI pools (${[...nodeCount.values()].join('/')} nodes), ${AT_ONCE} at once: ` +
          runs[order].map((r) => `mean server live ${r.meanServerLiveMs} ms, half the nodes live ${r.halfNodesLiveMs} ms, all live ${r.allLiveMs} ms`).join(' | '),
      );
    }
    const mean = (order: ConnectOrder) => runs[order].reduce((a, r) => a + r.meanServerLiveMs, 0) / runs[order].length;
    expect(CONNECT_ORDER).toBe('smallest-first');
    expect(mean('smallest-first')).toBeLessThan(mean('largest-first'));
  }, 600_000);
});
