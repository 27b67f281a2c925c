// The Proxmox VE provider: one LiveConnection whose sessions (session.ts) log in,
// load and poll the cluster; one NodeDiffer so the consumers get one reset at the
// first connect and only differences afterwards, also after a reconnect; power,
// snapshot and console actions on the guests the last poll saw.

import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import { HOST_ACTIONS, type ActionName, type Capabilities, type HostAction } from '../../../../shared/model';
import { limitsFor } from '../common/limits';
import { LiveConnection } from '../common/live-connection';
import { NodeDiffer } from '../common/node-differ';
import { ProviderListeners } from '../common/provider-listeners';
import type { ActionResult, ConsoleStream, ExternalConsoleMaterial, Provider, ProviderActionParams, ProviderConfig, ProviderEvents, ProviderGuests, TaskReporter } from '../provider';
import { actionCall, followTask } from './actions';
import { readUpid } from './answers';
import { PveClient } from './client';
import { ClusterCache } from './cluster-cache';
import { openNodeShell, openPveConsole } from './console';
import { spiceViewerFile } from './spice';
import { guestAgentFacts } from './guest-agent';
import { proxmoxDescriptor, proxmoxOptions } from './descriptor';
import { guestId, guestName, guestRef, parseGuestRef, snapshotId } from './model-map';
import { ProxmoxMetrics } from './metrics';
import { ProxmoxUsage } from './usage';
import { PveSession } from './session';
import { ProxmoxNotifications } from './notifications';
import { bindFeed, type ProviderNotifications } from '../common/notification-feed';
import { isCompositeSnapshotAction, runCompositeSnapshotAction } from './snapshot-actions';
import { ProxmoxMigration, requireGuest } from './migration';
import { runHostAction } from './host-actions';
import { proxmoxGuests } from './guests';
import { proxmoxLabels } from './labels';
import type { ProviderLabels } from '../provider-labels';
import { LIFECYCLE, runLifecycleAction } from './lifecycle-actions';
import { ProxmoxStorage } from './storage';
import { ProxmoxAccess } from './access';
import { proxmoxNetworks } from './networks';
import type { ProviderNetworks } from '../provider-networks';

/** Actions whose target is a snapshot node (the others target a guest). */
const SNAPSHOT_TARGET_ACTIONS: ReadonlySet<ActionName> = new Set(['snapshot_revert', 'snapshot_delete', 'snapshot_edit', 'snapshot_clone', 'snapshot_template']);

export class ProxmoxProvider implements Provider {
  readonly type = 'proxmox' as const;
  readonly capabilities: Capabilities = {
    snapshotKinds: [...proxmoxDescriptor.facets.snapshotKinds],
    consoles: [...proxmoxDescriptor.facets.consoles],
    powerActions: [...proxmoxDescriptor.facets.powerActions],
  };

  private readonly options: ReturnType<typeof proxmoxOptions.read>;
  private readonly client: PveClient;
  private readonly listeners = new ProviderListeners();
  // uptime moves on every poll: carried in the nodes, no reason alone to send one
  private readonly differ: NodeDiffer;
  private readonly connection: LiveConnection;
  private cache: ClusterCache;
  readonly migration: ProxmoxMigration;
  readonly guests: ProviderGuests;
  readonly labels: ProviderLabels;
  readonly metrics: ProxmoxMetrics;
  readonly usage: ProxmoxUsage;
  readonly notifications: ProviderNotifications;
  private readonly proxmoxNotifications: ProxmoxNotifications;
  readonly storage: ProxmoxStorage;
  readonly access: ProxmoxAccess;
  readonly networks: ProviderNetworks;

  constructor(private readonly config: ProviderConfig) {
    this.options = proxmoxOptions.read(config.options);
    this.differ = new NodeDiffer(config.serverId, { volatileProps: ['uptime'] });
    this.cache = new ClusterCache(config.serverId, config.host);
    this.client = new PveClient({
      host: config.host,
      port: config.port,
      username: config.username || 'root',
      realm: this.options.realm ?? 'pam',
      secret: config.password ?? '',
      tokenId: this.options.tokenId,
      trust: config.tls,
      limits: limitsFor(config.limits),
      ticketLifetimeMs: this.options.ticketLifetimeMs,
    });
    this.migration = new ProxmoxMigration({ client: this.client, cache: () => this.cache, taskPollMs: this.options.taskPollMs, log: config.log });
    this.guests = proxmoxGuests({
      client: this.client,
      serverId: config.serverId,
      taskPollMs: this.options.taskPollMs,
      log: config.log,
      cache: () => this.cache,
      refresh: () => this.refreshNode(null),
    });
    this.labels = proxmoxLabels(this.guests);
    this.storage = new ProxmoxStorage({ client: this.client, serverId: config.serverId, cache: () => this.cache, taskPollMs: this.options.taskPollMs, log: config.log });
    this.networks = proxmoxNetworks({ client: this.client, serverId: config.serverId, cache: () => this.cache, taskPollMs: this.options.taskPollMs, log: config.log, refresh: (node) => this.refreshNetwork(node) });
    this.metrics = new ProxmoxMetrics({ client: this.client, cache: () => this.cache });
    this.access = new ProxmoxAccess({ client: this.client, serverId: config.serverId, cache: () => this.cache, user: () => this.client.userid });
    this.usage = new ProxmoxUsage(() => this.cache);
    this.proxmoxNotifications = new ProxmoxNotifications(config.serverId, (vmid) => this.guestForNotifications(vmid));
    this.notifications = bindFeed(this.proxmoxNotifications.feed);
    this.connection = new LiveConnection({
      name: `Proxmox VE ${config.host}:${config.port}`,
      backoff: { minMs: this.options.reconnectDelayMs, maxMs: Math.max(this.options.reconnectDelayMs, this.options.reconnectMaxMs) },
      log: config.log,
      onState: (state, error) => this.listeners.state(state, error),
      open: (signal, attempt) => this.open(signal, attempt),
    });
  }

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void {
    return this.listeners.on(event, listener);
  }

  async connect(): Promise<void> {
    if (!this.config.password) {
      const what = this.options.tokenId ? 'API token secret' : 'password';
      throw new PolyvisorError({ code: 'PASSWORD_REQUIRED', message: `The ${what} for ${this.config.host} is needed.` });
    }
    await this.connection.connect();
  }

  async disconnect(): Promise<void> {
    await this.connection.disconnect();
    this.client.close();
  }

  /** Graphical (vncproxy) or text (termproxy) console of a running guest. */
  async openConsole(target: { nativeRef: string; kind: string }, protocol: 'rfb' | 'text'): Promise<ConsoleStream> {
    if (target.kind === 'host' && protocol === 'text') return openNodeShell(this.client, target.nativeRef, this.cache.hostFacts().some((h) => h.name === target.nativeRef && h.online));
    const ref = parseGuestRef(target.nativeRef);
    if (!ref || ref.snapname || (target.kind !== 'vm' && target.kind !== 'container')) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A Proxmox VE ${target.kind} has no console.` });
    }
    const guest = this.cache.guest(guestRef(ref.type, ref.vmid));
    if (!guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${ref.vmid} is no longer in the cluster.` });
    return openPveConsole(this.client, { type: ref.type, vmid: ref.vmid, node: guest.node, status: guest.status ?? '', name: guestName(guest) }, protocol);
  }

  /** Reads a guest's snapshot list now, ahead of the background fill (its Snapshots tab opened); at once if it is read already. */
  async readSnapshotList(target: { nativeRef: string; kind: string }): Promise<void> {
    const ref = parseGuestRef(target.nativeRef);
    if (!ref || ref.snapname) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Not a Proxmox VE guest: ${target.nativeRef}` });
    const gref = guestRef(ref.type, ref.vmid);
    if (this.cache.hasSnapshotList(gref)) return;
    const session = this.connection.session;
    if (!(session instanceof PveSession)) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Proxmox VE ${this.config.host} is reconnecting; the list is read with its reload.` });
    await session.readListNow(gref);
  }

  /** The OS and addresses a running VM's guest agent reports (for Remote Desktop and SSH). */
  async guestFacts(target: { nativeRef: string; kind: string }): Promise<{ os: string | null; ips: string[] }> {
    const ref = parseGuestRef(target.nativeRef);
    const guest = ref && !ref.snapname ? this.cache.guest(guestRef(ref.type, ref.vmid)) : undefined;
    if (!ref || !guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${target.nativeRef} is no longer in the cluster.` });
    return guestAgentFacts(this.client, { type: ref.type, vmid: ref.vmid, node: guest.node, status: guest.status ?? '', name: guestName(guest) });
  }

  /** A SPICE `.vv` file for remote-viewer (spiceproxy) of a running VM. */
  async externalConsole(target: { nativeRef: string; kind: string }, viewer: 'vmrc' | 'spice'): Promise<ExternalConsoleMaterial> {
    const ref = parseGuestRef(target.nativeRef);
    if (viewer !== 'spice' || !ref || ref.snapname || target.kind !== 'vm') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A Proxmox VE ${target.kind} does not open in ${viewer === 'spice' ? 'a SPICE viewer' : 'VMware Remote Console'}.` });
    const guest = this.cache.guest(guestRef(ref.type, ref.vmid));
    if (!guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${ref.vmid} is no longer in the cluster.` });
    return spiceViewerFile(this.client, { type: ref.type, vmid: ref.vmid, node: guest.node, status: guest.status ?? '', name: guestName(guest) });
  }

  async runAction(target: { nativeRef: string; kind: string }, action: ActionName, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
    if (target.kind === 'host') return this.runOnNode(target.nativeRef, action, params, task);
    if (action === 'migrate') return this.migrateGuest(target.nativeRef, params, task);
    const ref = parseGuestRef(target.nativeRef);
    if (!ref) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Not a Proxmox VE guest or snapshot: ${target.nativeRef}` });
    const gref = guestRef(ref.type, ref.vmid);
    const guest = this.cache.guest(gref);
    if (!guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${ref.vmid} is no longer in the cluster.` });
    const isSnapshotTarget = target.kind === 'snapshot';
    if (isSnapshotTarget !== SNAPSHOT_TARGET_ACTIONS.has(action)) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `"${action}" does not apply to a ${target.kind}.` });
    }
    const guestTarget = { type: ref.type, vmid: ref.vmid, node: guest.node, status: guest.status, name: guestName(guest) };
    const touchesSnapshots = action.startsWith('snapshot_');
    const deps = { client: this.client, serverId: this.config.serverId, taskPollMs: this.options.taskPollMs, log: this.config.log };
    try {
      if (LIFECYCLE.has(action)) return await runLifecycleAction(deps, guestTarget, action, params, task);
      if (ref.snapname && isCompositeSnapshotAction(action, params)) {
        return await runCompositeSnapshotAction(deps, { ...guestTarget, snapname: ref.snapname }, action, params, task);
      }
      const call = actionCall(guestTarget, action, params, ref.snapname);
      const upid = call.method === 'DELETE' ? await this.client.delete(call.path, readUpid, call.params) : await this.client.post(call.path, readUpid, call.params);
      await followTask(this.client, upid, task, this.options.taskPollMs, touchesSnapshots ? 4 : 2, this.config.log);
      return call.snapname ? { resultId: snapshotId(this.config.serverId, gref, call.snapname) } : {};
    } finally {
      // show the outcome (a new guest, or the unchanged state after a failure) right away; while reconnecting, the reload will
      const session = this.connection.session;
      if (session instanceof PveSession) await session.refresh(touchesSnapshots ? [gref] : []).catch((e: unknown) => {
        // the next poll tick shows it, or ends the session with this failure
        this.config.log?.('debug', `Proxmox VE ${this.config.host}: refresh after ${action} failed: ${toErrorInfo(e).message}`);
      });
    }
  }

  private async runOnNode(node: string, action: ActionName, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
    if (!(HOST_ACTIONS as readonly string[]).includes(action)) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `"${action}" does not apply to a node.` });
    }
    if (!this.cache.hostFacts().some((h) => h.name === node)) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Node ${node} is not in the cluster.` });
    const deps = { client: this.client, cache: () => this.cache, taskPollMs: this.options.taskPollMs, log: this.config.log, migration: this.migration, refresh: (n: string) => this.refreshNode(n) };
    return runHostAction(deps, node, action as HostAction, params, task);
  }

  private async migrateGuest(vmRef: string, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
    if (!params.targetRef) throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'Choose the node to move it to.', field: 'targetId' });
    const guest = requireGuest(this.cache, vmRef);
    try {
      return await this.migration.migrate(guest, params.targetRef, params, task);
    } finally {
      await this.refreshNode(null).catch((e: unknown) => this.config.log?.('debug', `Proxmox VE ${this.config.host}: refresh after migrate failed: ${toErrorInfo(e).message}`));
    }
  }

  /** Polls now (reading the node's notes first), so the tree shows an action's outcome; while reconnecting, the reload will. */
  private async refreshNode(node: string | null): Promise<void> {
    const session = this.connection.session;
    if (!(session instanceof PveSession)) return;
    await (node ? session.refreshNode(node) : session.refresh([]));
  }

  /** Reads a node's interfaces (null: the SDN) now and polls, after a network change; while reconnecting, the reload will. */
  private async refreshNetwork(node: string | null): Promise<void> {
    const session = this.connection.session;
    if (session instanceof PveSession) await session.refreshNetwork(node);
  }

  /** The guest a task names by its vmid, for the Notifications view. */
  private guestForNotifications(vmid: string): { nodeId: string; name: string } | undefined {
    for (const type of ['qemu', 'lxc'] as const) {
      const guest = this.cache.guest(guestRef(type, vmid));
      if (guest) return { nodeId: guestId(this.config.serverId, guest), name: guestName(guest) };
    }
    return undefined;
  }

  private async open(signal: AbortSignal, attempt: number): Promise<PveSession> {
    // a first connect starts from nothing; a reconnect keeps what it knew, so it can send only differences
    if (attempt === 0) this.cache = new ClusterCache(this.config.serverId, this.config.host);
    const session = await PveSession.open(
      {
        client: this.client,
        cache: this.cache,
        differ: this.differ,
        tuning: this.options,
        publish: (delta) => this.listeners.inventory(delta),
        log: this.config.log,
        observeNotifications: (tasks) => this.proxmoxNotifications.apply(tasks),
        observeClusterLog: (entries) => this.proxmoxNotifications.applyLog(entries),
      },
      signal,
      attempt === 0,
    );
    // what the user may do, read with the inventory in (per VM and node); without it nothing is greyed
    await this.access.load().catch((e: unknown) => this.config.log?.('warn', `Reading what ${this.client.userid} may do failed: ${e instanceof Error ? e.message : String(e)}`));
    return session;
  }
}
