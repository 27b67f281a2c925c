// Drives the provider under test the way the core does: applies its deltas to a
// node map, records state changes, and hands it a real TaskReporter.

import https from 'node:https';
import type { ErrorInfo } from '../../../shared/errors';
import type { ConnectionState, InventoryDelta, InventoryNode } from '../../../shared/model';
import type { ServerPolicy, TaskReporter } from '../../../electron/core/providers/provider';
import { xenServerProviderFactory } from '../../../electron/core/providers/xenserver';
import type { TlsTrust } from '../../../electron/core/tls/trust';
import type { Limits } from '../../../electron/core/providers/common/limits';
import { inlineChildren } from '../../fixtures/child-tasks';

export type Transport = 'jsonrpc' | 'xmlrpc';
export const TRANSPORTS: Transport[] = ['jsonrpc', 'xmlrpc'];

export interface SimInfo {
  host: string;
  port: number;
  fingerprint256: string;
  certPem: string;
}

export function pinned(sim: SimInfo): TlsTrust {
  return { pinnedFingerprint: sim.fingerprint256, pinnedPem: sim.certPem };
}

export class Harness {
  readonly nodes = new Map<string, InventoryNode>();
  readonly deltas: InventoryDelta[] = [];
  readonly states: Array<{ state: ConnectionState; error?: ErrorInfo }> = [];
  /** every list of snapshot schedules the provider emitted, latest last */
  readonly policyLists: ServerPolicy[][] = [];
  readonly provider;
  private waiters: Array<() => void> = [];

  constructor(
    sim: SimInfo,
    opts: {
      transport?: Transport | 'auto';
      trust?: TlsTrust;
      password?: string;
      /** the login; default root */
      username?: string;
      host?: string;
      serverId?: string;
      options?: Record<string, string | number | boolean>;
      limits?: Partial<Limits>;
    } = {},
  ) {
    this.provider = xenServerProviderFactory.create({
      serverId: opts.serverId ?? 's1',
      host: opts.host ?? sim.host,
      port: sim.port,
      username: opts.username ?? 'root',
      password: opts.password ?? 'password',
      tls: opts.trust ?? pinned(sim),
      options: { transport: opts.transport ?? 'auto', eventTimeoutS: 5, reconnectMinMs: 100, reconnectMaxMs: 500, taskPollMs: 50, ...opts.options },
      limits: opts.limits,
    });
    this.provider.on('inventory', (delta) => {
      this.deltas.push(delta);
      if (delta.reset) this.nodes.clear();
      for (const id of delta.remove) this.nodes.delete(id);
      for (const node of delta.upsert) this.nodes.set(node.id, node);
      this.wake();
    });
    this.provider.on('policies', (list) => {
      this.policyLists.push(list);
      this.wake();
    });
    this.provider.on('state', (state, error) => {
      this.states.push({ state, error });
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `check` holds after some delta or state change (or now). */
  async until<T>(check: () => T | undefined | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  byRef(ref: string): InventoryNode | undefined {
    for (const node of this.nodes.values()) if (node.nativeRef === ref) return node;
    return undefined;
  }

  ofKind(kind: InventoryNode['kind']): InventoryNode[] {
    return [...this.nodes.values()].filter((n) => n.kind === kind);
  }
}

export interface RecordingReporter extends TaskReporter {
  readonly progressValues: number[];
  readonly cancellableSeen: boolean;
  /** resolves as soon as the operation offers a cancel (no polling: a short task may end right after) */
  cancellable(timeoutMs?: number): Promise<void>;
  cancel(): Promise<void>;
  abort(): void;
}

export function reporter(): RecordingReporter {
  const controller = new AbortController();
  const progressValues: number[] = [];
  let current: (() => Promise<void>) | null = null;
  let seen = false;
  let onSeen: (() => void) | null = null;
  return {
    progressValues,
    get cancellableSeen() {
      return seen;
    },
    signal: controller.signal,
    child: inlineChildren(controller.signal),
    progress(fraction) {
      progressValues.push(fraction);
    },
    setCancellable(cancel) {
      current = cancel;
      if (cancel) {
        seen = true;
        onSeen?.();
      }
    },
    cancellable(timeoutMs = 20_000) {
      if (seen) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for the task to become cancellable')), timeoutMs);
        onSeen = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    async cancel() {
      if (!current) throw new Error('not cancellable now');
      await current();
    },
    abort() {
      controller.abort();
    },
  };
}

/** A second, independent XAPI session (plain JSON-RPC over https) to change things behind the provider's back. */
export async function otherSession(sim: SimInfo): Promise<(method: string, ...args: unknown[]) => Promise<unknown>> {
  const call = (method: string, params: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 });
      const req = https.request(
        {
          host: sim.host,
          port: sim.port,
          path: '/jsonrpc',
          method: 'POST',
          ca: sim.certPem,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (answer.error) reject(new Error(JSON.stringify(answer.error)));
            else resolve(answer.result);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const session = await call('session.login_with_password', ['root', 'password', '2.0', 'test']);
  return (method, ...args) => call(method, [session, ...args]);
}
