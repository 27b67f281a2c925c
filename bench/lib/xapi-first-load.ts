// One XAPI pool's first load as the core does it (provider → inventory store → the
// renderer's delta), with the event loop watched all along (loop-gaps.ts).
import { InventoryStore } from '../../electron/core/inventory/inventory-store';
import { withTimeout } from '../../electron/core/providers/common/concurrency';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import type { InventoryNode } from '../../shared/model';
import { watchLoopGaps, type LoopGaps } from './loop-gaps';

const MINUTE = 60_000;

export interface FirstLoad extends LoopGaps {
  /** from connect() to the store sending the whole tree */
  ms: number;
  /** what the store sent (the renderer's tree) */
  nodes: InventoryNode[];
}

export interface PoolEndpoint {
  host: string;
  port: number;
  fingerprint256: string;
}

/** One first load: resolves once the store sent the whole tree on. */
export async function measureFirstLoad(sim: PoolEndpoint, pem: string): Promise<FirstLoad> {
  const sent: InventoryNode[] = [];
  let allSent!: () => void;
  const done = new Promise<void>((resolve) => (allSent = resolve));
  const store = new InventoryStore({
    emit: (delta) => {
      for (const node of delta.upsert) sent.push(node);
      if (delta.reset) allSent();
    },
  });
  const provider = xenServerProviderFactory.create({
    serverId: 'first-load',
    host: sim.host,
    port: sim.port,
    username: 'root',
    password: 'password',
    tls: { pinnedFingerprint: sim.fingerprint256, pinnedPem: pem },
    options: {},
  });
  provider.on('inventory', (delta) => store.apply(delta));
  const gaps = watchLoopGaps();
  const t0 = performance.now();
  try {
    await withTimeout(provider.connect(), 10 * MINUTE, () => new Error('timed out waiting for the first load'));
    await withTimeout(done, MINUTE, () => new Error('timed out waiting for the store to send the tree'));
    return { ...gaps.stop(), ms: performance.now() - t0, nodes: sent };
  } finally {
    gaps.stop();
    await provider.disconnect();
    store.dispose();
  }
}
