// Shared pieces of the vSphere integration tests: a provider pointed at a vcsim
// peer (certificate pinned), the tree its deltas describe, a task reporter like the core's.

import type { InventoryNode } from '../../../shared/model';
import { vsphereProviderFactory, type VsphereProvider } from '../../../electron/core/providers/vsphere';
import type { ProviderConfig, TaskReporter } from '../../../electron/core/providers/provider';
import { ProviderMirror, waitFor } from '../provider-mirror';
import { startVcsim, vcsimUnavailableReason, type Vcsim, type VcsimOptions } from '../../peers/vcsim';
import { RawSoap } from './raw-soap';
import { requirePeer } from '../../peers/require-peer';
import { inlineChildren, type RecordedChild } from '../../fixtures/child-tasks';

export { waitFor };

/** How long a test waits for an event: generous, the machine runs several peers on 2 cores. */
export const WAIT_MS = 45_000;
/** Per-test timeout for tests that wait for several events. */
export const TEST_TIMEOUT = 180_000;

type Falsy = undefined | null | false;

export const SERVER_ID = 'srv-vsphere';

/** beforeAll may have to build vcsim first (cached afterwards): minutes on a busy 2-core machine. */
export const BUILD_AND_START_TIMEOUT = 600_000;

/** A missing Go toolchain/govmomi skips the suites, or fails them under POLYVISOR_REQUIRE_PEERS=1 (test/peers/require-peer.ts). */
export const skipVcsim = requirePeer(vcsimUnavailableReason());

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
export class Mirror extends ProviderMirror {
  private readonly wakers = new Set<() => void>();

  constructor(provider: VsphereProvider) {
    super(provider);
    // registered after the base class's listeners: the delta is applied when these run
    provider.on('inventory', () => this.wake());
    provider.on('state', () => this.wake());
  }

  /** Resolves with `probe()` once it holds, checking now and after every delta or state change. */
  until<T>(probe: () => T | Falsy, what: string, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let value: T | Falsy;
        try {
          value = probe();
        } catch (err) {
          done();
          reject(err);
          return;
        }
        if (!value) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(check);
      };
      this.wakers.add(check);
      check();
    });
  }

  private wake(): void {
    for (const check of [...this.wakers]) check();
  }

  vm(nativeRef: string): InventoryNode | undefined {
    return this.nodes.get(`${SERVER_ID}:vm:${nativeRef}`);
  }

  snapshotsOf(vmId: string): InventoryNode[] {
    return this.ofKind('snapshot').filter((s) => s.snapshot?.ofId === vmId);
  }
}

/** A vcsim, a second (raw SOAP) session logged in to it, and a provider connected to it, with the tree it sent. */
export interface ConnectedPeer {
  sim: Vcsim;
  raw: RawSoap;
  provider: VsphereProvider;
  mirror: Mirror;
  /** disconnects the provider and stops vcsim */
  stop(): Promise<void>;
}

export async function startConnected(options: VcsimOptions, config: Partial<ProviderConfig> = {}): Promise<ConnectedPeer> {
  const sim = await startVcsim(options);
  try {
    const raw = new RawSoap(sim);
    await raw.login();
    const provider = providerFor(sim, config);
    const mirror = new Mirror(provider);
    await provider.connect();
    return {
      sim,
      raw,
      provider,
      mirror,
      async stop() {
        await provider.disconnect();
        await sim.stop();
      },
    };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}

/** A reporter like the core's; child steps run inline and are recorded in `children`; `cancel()` aborts the task. */
export function taskReporter(): TaskReporter & { fractions: number[]; cancellable: boolean[]; children: RecordedChild[]; cancel(): void } {
  const controller = new AbortController();
  const fractions: number[] = [];
  const cancellable: boolean[] = [];
  const children: RecordedChild[] = [];
  return {
    fractions,
    cancellable,
    children,
    cancel: () => controller.abort(),
    progress: (f) => fractions.push(f),
    setCancellable: (c) => cancellable.push(c !== null),
    signal: controller.signal,
    child: inlineChildren(controller.signal, children),
  };
}
