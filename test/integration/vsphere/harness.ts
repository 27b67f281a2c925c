// Shared pieces of the vSphere integration tests: a provider pointed at a vcsim
// peer (certificate pinned), the tree its deltas describe, a task reporter like the core's.

import type { ConnectionState, InventoryNode } from '../../../shared/model';
import type { ErrorInfo } from '../../../shared/errors';
import { vsphereProviderFactory, type VsphereProvider } from '../../../electron/core/providers/vsphere';
import type { ProviderConfig, TaskReporter } from '../../../electron/core/providers/provider';
import { vcsimAvailable, type Vcsim } from '../../peers/vcsim';

export const SERVER_ID = 'srv-vsphere';

/** beforeAll may have to build vcsim first (cached afterwards): minutes on a busy 2-core machine. */
export const BUILD_AND_START_TIMEOUT = 600_000;

/** Under CI a missing Go toolchain/govmomi fails the suite (startVcsim throws); elsewhere the suite is skipped. */
export const skipVcsim = !vcsimAvailable() && process.env.CI !== 'true';

const logBooks = new WeakMap<VsphereProvider, string[]>();

/** What the provider logged (VSPHERE_TEST_LOG=1 also prints it). */
export function logsOf(provider: VsphereProvider): string[] {
  return logBooks.get(provider) ?? [];
}

export function providerFor(sim: Vcsim, extra: Partial<ProviderConfig> = {}): VsphereProvider {
  const book: string[] = [];
  const provider = vsphereProviderFactory.create({
    serverId: SERVER_ID,
    host: sim.host,
    port: sim.port,
    username: sim.username,
    password: sim.password,
    options: { maxWaitSeconds: 10 },
    tls: { pinnedFingerprint: sim.fingerprint256, pinnedPem: sim.certPem },
    log: (level, message) => {
      book.push(message);
      if (process.env.VSPHERE_TEST_LOG) console.log(`[${level}] ${message}`);
    },
    ...extra,
  }) as VsphereProvider;
  logBooks.set(provider, book);
  return provider;
}

/** The tree as the provider's deltas describe it. */
export class Mirror {
  readonly nodes = new Map<string, InventoryNode>();
  readonly states: Array<{ state: ConnectionState; error?: ErrorInfo }> = [];
  resets = 0;
  deltas = 0;

  constructor(provider: VsphereProvider) {
    provider.on('inventory', (d) => {
      this.deltas++;
      if (d.reset) {
        this.resets++;
        this.nodes.clear();
      }
      for (const id of d.remove) this.nodes.delete(id);
      for (const n of d.upsert) this.nodes.set(n.id, n);
    });
    provider.on('state', (state, error) => this.states.push({ state, error }));
  }

  byName(kind: InventoryNode['kind'], name: string): InventoryNode | undefined {
    return [...this.nodes.values()].find((n) => n.kind === kind && n.name === name);
  }

  ofKind(kind: InventoryNode['kind']): InventoryNode[] {
    return [...this.nodes.values()].filter((n) => n.kind === kind);
  }

  vm(nativeRef: string): InventoryNode | undefined {
    return this.nodes.get(`${SERVER_ID}:vm:${nativeRef}`);
  }

  snapshotsOf(vmId: string): InventoryNode[] {
    return this.ofKind('snapshot').filter((s) => s.snapshot?.ofId === vmId);
  }
}

type Falsy = undefined | null | false;

export async function waitFor<T>(probe: () => T | Falsy | Promise<T | Falsy>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function taskReporter(): TaskReporter & { fractions: number[]; cancellable: boolean[] } {
  const controller = new AbortController();
  const fractions: number[] = [];
  const cancellable: boolean[] = [];
  return {
    fractions,
    cancellable,
    progress: (f) => fractions.push(f),
    setCancellable: (c) => cancellable.push(c !== null),
    signal: controller.signal,
  };
}
