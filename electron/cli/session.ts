// What the CLI needs on top of the contract: connect saved servers and wait for
// their first inventory, and run an action to the end while reporting progress.

import type { ActionRequest, PolyvisorClient, ServerView, TaskInfo } from '../../shared/contract';
import { PolyvisorError, toErrorInfo, type ErrorInfo } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import { forEachLimited } from '../core/providers/common/concurrency';

export interface ConnectFailure {
  server: ServerView;
  error: ErrorInfo;
}

const INVENTORY_WAIT_MS = 5_000;
const TASK_POLL_MS = 2_000;
/** pending snapshot lists read at once when a command needs them all */
const SNAPSHOT_LISTS_AT_ONCE = 8;

export class CliSession {
  constructor(
    private readonly core: PolyvisorClient,
    private readonly progress: (line: string) => void,
  ) {}

  servers(): Promise<ServerView[]> {
    return this.core.invoke('servers:list');
  }

  /** Connects each server (in parallel) and waits until its initial inventory is in. */
  async connect(servers: ServerView[], password?: string): Promise<{ connected: ServerView[]; failures: ConnectFailure[] }> {
    const results = await Promise.all(
      servers.map(async (server) => {
        try {
          return { ok: true as const, view: await this.connectOne(server, { password }) };
        } catch (e) {
          return { ok: false as const, failure: { server, error: toErrorInfo(e) } };
        }
      }),
    );
    return {
      connected: results.flatMap((r) => (r.ok ? [r.view] : [])),
      failures: results.flatMap((r) => (r.ok ? [] : [r.failure])),
    };
  }

  /**
   * Connects one server and waits for its first inventory. With `acceptFingerprint`,
   * an unknown certificate with exactly that fingerprint is pinned (trust on first use).
   * Throws the server's error (AUTH_FAILED, CERT_UNTRUSTED with the certificate, …).
   */
  async connectOne(server: ServerView, options: { password?: string; acceptFingerprint?: string } = {}): Promise<ServerView> {
    this.progress(`Connecting to ${server.name} (${server.host}:${server.port})…`);
    const oneTime = options.password !== undefined && !server.hasStoredPassword ? [options.password] : [];
    let view = server.state === 'connected' ? server : await this.core.invoke('servers:connect', server.id, ...oneTime);
    const certError = view.error?.code === 'CERT_UNTRUSTED' || view.error?.code === 'CERT_CHANGED';
    if (view.state !== 'connected' && certError && options.acceptFingerprint) {
      view = await this.core.invoke('certs:accept', server.id, options.acceptFingerprint);
      this.progress(`Trusted the certificate ${options.acceptFingerprint} of ${server.host}:${server.port}.`);
    }
    if (view.state !== 'connected') {
      throw new PolyvisorError(view.error ?? { code: 'CONNECTION_FAILED', message: `${server.name} did not connect (${view.state})` });
    }
    await this.waitForInventory(server.id);
    return view;
  }

  /** Providers emit their whole inventory before connect resolves; this covers a core that batches it. */
  private async waitForInventory(serverId: string): Promise<void> {
    const hasNodes = (nodes: InventoryNode[]) => nodes.some((n) => n.serverId === serverId && n.kind !== 'server');
    if (hasNodes(await this.core.invoke('inventory:get'))) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      // an empty server (no pool, host or guest) is legitimate: stop waiting after a while
      const timer = setTimeout(done, INVENTORY_WAIT_MS);
      const off = this.core.on('inventory:delta', (delta) => {
        if (delta.serverId === serverId && delta.upsert.some((n) => n.kind !== 'server')) done();
      });
    });
  }

  /** Everything the core holds: live trees and the last known trees of servers not connected (`inventory --cached`). */
  knownInventory(): Promise<InventoryNode[]> {
    return this.core.invoke('inventory:get');
  }

  /** The live inventory: nodes of connected servers only (another saved server's last known tree is never acted on). */
  async inventory(): Promise<InventoryNode[]> {
    const [servers, nodes] = await Promise.all([this.core.invoke('servers:list'), this.core.invoke('inventory:get')]);
    const live = new Set(servers.filter((s) => s.state === 'connected').map((s) => s.id));
    return nodes.filter((n) => live.has(n.serverId));
  }

  /** The inventory with this guest's snapshot list in: read first where it is still pending (Proxmox VE reads the lists after the tree). */
  async withSnapshotList(nodes: InventoryNode[], vm: InventoryNode): Promise<{ nodes: InventoryNode[]; vm: InventoryNode }> {
    if (!vm.snapshotsPending) return { nodes, vm };
    await this.core.invoke('snapshots:readList', vm.id);
    const now = await this.inventory();
    return { nodes: now, vm: now.find((n) => n.id === vm.id) ?? vm };
  }

  /**
   * The inventory with every snapshot list read: a snapshot named without its VM may be on any
   * guest, and Proxmox VE reads the lists after the tree, so the ones still pending are read now
   * (a few at a time).
   */
  async withAllSnapshotLists(nodes: InventoryNode[]): Promise<InventoryNode[]> {
    const pending = nodes.filter((n) => n.snapshotsPending);
    if (!pending.length) return nodes;
    await forEachLimited(pending, SNAPSHOT_LISTS_AT_ONCE, (vm) => this.core.invoke('snapshots:readList', vm.id));
    return this.inventory();
  }

  /** Runs an action and waits for every task it started; throws the first failure. */
  run(request: ActionRequest, describe: (task: TaskInfo) => string): Promise<TaskInfo[]> {
    return this.follow(() => this.core.invoke('actions:run', request), describe);
  }

  /** Starts tasks (any channel that answers with them) and waits for each to end; throws the first failure. */
  async follow(start: () => Promise<TaskInfo[]>, describe: (task: TaskInfo) => string): Promise<TaskInfo[]> {
    const latest = new Map<string, TaskInfo>();
    let wake: (() => void) | undefined;
    const off = this.core.on('task:changed', (task) => {
      latest.set(task.id, task);
      wake?.();
    });
    const reported = new Map<string, string>();
    const report = (task: TaskInfo) => {
      const text = task.status === 'running' ? `${Math.floor(task.progress * 100)}%` : task.status;
      if (reported.get(task.id) === text) return;
      reported.set(task.id, text);
      this.progress(`${describe(task)}: ${text}`);
    };
    try {
      const started = await start();
      const ids = started.map((t) => t.id);
      for (const t of started) if (!latest.has(t.id)) latest.set(t.id, t);
      for (;;) {
        const tasks = ids.map((id) => latest.get(id)!);
        tasks.forEach(report);
        if (tasks.every((t) => t.status !== 'running')) return this.finish(tasks, describe);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, TASK_POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        // a safety net in case an event was missed: the task list is the truth
        for (const t of await this.core.invoke('tasks:list')) {
          if (ids.includes(t.id) && (t.status !== 'running' || !latest.has(t.id))) latest.set(t.id, t);
        }
      }
    } finally {
      off();
    }
  }

  private finish(tasks: TaskInfo[], describe: (task: TaskInfo) => string): TaskInfo[] {
    const failed = tasks.filter((t) => t.status !== 'success');
    if (failed.length === 0) return tasks;
    for (const t of failed.slice(1)) this.progress(`${describe(t)} failed: ${formatError(t.error ?? cancelled(t))}`);
    throw new PolyvisorError(failed[0].error ?? cancelled(failed[0]));
  }
}

function cancelled(task: TaskInfo): ErrorInfo {
  return { code: 'CANCELLED', message: `${task.action} on ${task.targetName} was cancelled` };
}

/** One line (plus hints) for stderr: CODE [server code params]: message. */
export function formatError(error: ErrorInfo): string {
  const server = error.serverCode ? ` ${error.serverCode}${error.serverParams?.length ? ` (${error.serverParams.join(', ')})` : ''}` : '';
  return `${error.code}${server}: ${error.message}`;
}
