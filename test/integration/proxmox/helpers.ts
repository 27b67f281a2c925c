// Shared pieces for the Proxmox provider tests: a provider wired to a simulator,
// a mirror of the inventory built only from the deltas, and a task reporter.

import https from 'node:https';
import { isPolyvisorError, type PolyvisorError } from '../../../shared/errors';
import type { InventoryDelta, InventoryNode } from '../../../shared/model';
import { proxmoxProviderFactory } from '../../../electron/core/providers/proxmox';
import type { Provider, ProviderConfig, TaskReporter } from '../../../electron/core/providers/provider';
import { startProxmoxSimulator, type ProxmoxSimulator, type ProxmoxSimulatorOptions } from '../../sim/proxmox';
import { inlineChildren } from '../../fixtures/child-tasks';

export const SERVER_ID = 'srv-pve';

export function providerFor(sim: ProxmoxSimulator, overrides: Partial<ProviderConfig> = {}, options: ProviderConfig['options'] = {}): Provider {
  return proxmoxProviderFactory.create({
    serverId: SERVER_ID,
    host: sim.host,
    port: sim.port,
    username: 'root',
    password: 'password',
    tls: { pinnedFingerprint: sim.fingerprint256, pinnedPem: sim.certPem },
    ...overrides,
    // the first reset waits for every snapshot list, however loaded the machine: tests read a complete tree
    options: { realm: 'pam', pollIntervalMs: 150, taskPollMs: 25, initialSnapshotWaitMs: 60_000, ...options, ...(overrides.options ?? {}) },
  });
}

/** Applies deltas the way the core does, and keeps them for inspection. */
export class Mirror {
  readonly nodes = new Map<string, InventoryNode>();
  readonly deltas: InventoryDelta[] = [];
  private waiters: Array<() => void> = [];

  constructor(provider: Provider) {
    provider.on('inventory', (d) => this.apply(d));
  }

  apply(d: InventoryDelta): void {
    this.deltas.push(d);
    if (d.reset) this.nodes.clear();
    for (const id of d.remove) this.nodes.delete(id);
    for (const n of d.upsert) this.nodes.set(n.id, n);
    for (const w of this.waiters.splice(0)) w();
  }

  get(kind: string, ref: string): InventoryNode | undefined {
    return this.nodes.get(`${SERVER_ID}:${kind}:${ref}`);
  }

  ofKind(kind: string): InventoryNode[] {
    return [...this.nodes.values()].filter((n) => n.kind === kind);
  }

  /** Resolves once `check` holds after some delta (or already holds). */
  async until(check: () => boolean, what = 'a condition on the inventory', timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (from the inventory deltas)`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

export interface TestReporter extends TaskReporter {
  fractions: number[];
  cancel: (() => Promise<void>) | null;
  abort: AbortController;
}

export function reporter(): TestReporter {
  const abort = new AbortController();
  const r: TestReporter = {
    fractions: [],
    cancel: null,
    abort,
    signal: abort.signal,
    child: inlineChildren(abort.signal),
    progress(f) {
      r.fractions.push(f);
    },
    setCancellable(c) {
      r.cancel = c;
    },
  };
  return r;
}

export { waitFor } from '../provider-mirror';

/** The PolyvisorError an action rejected with (anything else fails the test). */
export async function failure(p: Promise<unknown>): Promise<PolyvisorError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isPolyvisorError(e)) throw new Error(`expected a PolyvisorError, got ${String(e)}`);
  return e;
}

/** A write through the raw API, as another client (the PVE web UI) would do it. */
export async function fetchAsRoot(sim: ProxmoxSimulator, method: string, path: string, form: Record<string, string>) {
  const request = (m: string, p: string, body: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request(
        { host: sim.host, port: sim.port, method: m, path: `/api2/json${p}`, ca: sim.certPem, checkServerIdentity: () => undefined, headers },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const login = await request('POST', '/access/ticket', 'username=root%40pam&password=password', { 'Content-Type': 'application/x-www-form-urlencoded' });
  const { ticket, CSRFPreventionToken } = JSON.parse(login.body).data;
  return request(method, path, new URLSearchParams(form).toString(), {
    'Content-Type': 'application/x-www-form-urlencoded',
    Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}`,
    CSRFPreventionToken,
  });
}

/** A simulator, a provider connected to it and the mirror of what it publishes; `stop` ends both. */
export async function connectedSimulator(options: ProxmoxSimulatorOptions): Promise<{ sim: ProxmoxSimulator; provider: Provider; mirror: Mirror; stop(): Promise<void> }> {
  const sim = await startProxmoxSimulator(options);
  const provider = providerFor(sim);
  const mirror = new Mirror(provider);
  const stop = async () => {
    await provider.disconnect();
    await sim.stop();
  };
  await provider.connect().catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  return { sim, provider, mirror, stop };
}
