// A live connection to one ESXi host or vCenter through the shared connection
// loop (LiveConnection): each session logs in, loads the whole inventory from a
// PropertyCollector filter's initial update set and follows that filter
// (inventory-session.ts); the nodes it maps go out through the shared NodeDiffer:
// everything as one `reset` on connect, only what changed afterwards (also after
// a re-login or a reconnect, which compare the fresh inventory with what was sent).

import { performance } from 'node:perf_hooks';
import { PolyvisorError } from '../../../../shared/errors';
import type { ActionName, Capabilities } from '../../../../shared/model';
import type { ActionResult, ConsoleStream, ExternalConsoleMaterial, Provider, ProviderActionParams, ProviderConfig, ProviderEvents, ProviderGuests, ProviderMigration, ProviderStorage, TaskReporter } from '../provider';
import { limitsFor } from '../common/limits';
import { LiveConnection, type LiveSession } from '../common/live-connection';
import { NodeDiffer } from '../common/node-differ';
import { ProviderListeners } from '../common/provider-listeners';
import { runVsphereAction } from './actions';
import { unsupportedConsole, vmrcLink } from './console';
import { vsphereDescriptor, vsphereOptions } from './descriptor';
import { InventoryModel } from './inventory-model';
import { VsphereNetworks } from './networks';
import type { ProviderNetworks } from '../provider-networks';
import type { ProviderLabels } from '../provider-labels';
import { VsphereMetrics } from './vsphere-metrics';
import { VsphereUsage } from './usage';
import { vsphereGuests, type GuestsContext } from './guests';
import { vsphereMigration } from './migration';
import { VsphereSession, type InventoryPublisher } from './inventory-session';
import { VimClient } from './vim-client';
import { VsphereNotifications } from './notifications';
import { bindFeed, type ProviderNotifications } from '../common/notification-feed';
import { VsphereStorage } from './datastores';
import { VsphereAccess } from './access';
import { VsphereLabels } from './custom-tags';

export class VsphereProvider implements Provider {
  readonly type = 'vsphere' as const;
  readonly capabilities: Capabilities = {
    snapshotKinds: [...vsphereDescriptor.facets.snapshotKinds],
    consoles: [],
    powerActions: [...vsphereDescriptor.facets.powerActions],
  };

  private readonly options: ReturnType<typeof vsphereOptions.read>;
  private readonly listeners = new ProviderListeners();
  private readonly differ: NodeDiffer;
  private readonly connection: LiveConnection;
  /** false until this connect() has sent its `reset`; later synchronisations send differences */
  private published = false;

  constructor(private readonly config: ProviderConfig) {
    this.options = vsphereOptions.read(config.options);
    this.differ = new NodeDiffer(config.serverId);
    this.vsphereNotifications = new VsphereNotifications(config.serverId, (level, message) => config.log?.(level, message));
    this.notifications = bindFeed(this.vsphereNotifications.feed);
    this.connection = new LiveConnection({
      name: `vSphere ${config.host}:${config.port}`,
      open: (signal) => this.open(signal),
      onState: (state, error) => this.listeners.state(state, error),
      backoff: { minMs: this.options.reconnectMinMs, maxMs: Math.max(this.options.reconnectMinMs, this.options.reconnectMaxMs) },
      log: config.log,
    });
  }

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void {
    return this.listeners.on(event, listener);
  }

  async connect(): Promise<void> {
    if (this.connection.active) return;
    if (this.config.password === undefined) {
      throw new PolyvisorError({ code: 'PASSWORD_REQUIRED', message: `A password is needed to log in to ${this.config.host} as ${this.config.username}.` });
    }
    this.published = false;
    await this.connection.connect();
  }

  disconnect(): Promise<void> {
    return this.connection.disconnect();
  }

  /** Moves between the hosts of this server, read from the session's inventory (migration.ts). */
  readonly migration: ProviderMigration = vsphereMigration(() => this.requireSession());

  /** Networks, distributed switches' port groups and a VM's adapters (networks.ts). */
  readonly networks: ProviderNetworks = new VsphereNetworks({
    serverId: () => this.config.serverId,
    client: () => this.requireSession().client,
    reread: (refs) => this.requireSession().reread(refs),
    switches: () => (this.requireSession().model?.nodes() ?? []).flatMap((n) => (n.network?.type === 'dvswitch' ? [{ ref: n.nativeRef, name: n.name }] : [])),
    objectRef: (value) => this.requireSession().model?.objectRef(value),
    nodes: () => this.requireSession().model?.nodes() ?? [],
    forget: (refs) => this.requireSession().forget(refs),
    datacenterOf: (ref) => this.requireSession().model?.datacenterRef(ref) ?? null,
    vms: () => (this.requireSession().model?.nodes() ?? []).flatMap((n) => (n.kind === 'vm' ? [{ type: 'VirtualMachine', value: n.nativeRef }] : [])),
  });

  /** A datastore's disks and RefreshDatastore (issue 16). */
  readonly storage: ProviderStorage = new VsphereStorage({
    serverId: () => this.config.serverId,
    client: () => this.requireSession().client,
    reread: (refs) => this.requireSession().reread(refs),
  });

  /** Users and permissions (issue 16): the AuthorizationManager's roles and permissions, what the session may do. */
  readonly access = new VsphereAccess({
    session: () => {
      const s = this.requireSession();
      return { client: s.client, content: s.content };
    },
    user: () => this.config.username,
  });

  /** Tags in the server's polyvisor.tags custom attribute (issue 16, custom-tags.ts). */
  readonly labels: ProviderLabels = new VsphereLabels({
    client: () => this.requireSession().client,
    content: () => this.requireSession().content,
    connectedContent: () => (this.connection.session instanceof VsphereSession ? this.connection.session.content : null),
    useField: (key) => this.requireSession().useTagsField(key),
    reread: (refs) => this.requireSession().reread(refs),
    objectRef: (value) => this.requireSession().model?.objectRef(value),
  });

  /** Performance charts (issue 15): the PerformanceManager's counters, read with QueryPerf. */
  readonly metrics = new VsphereMetrics(() => this.requireSession().client);
  /** Live usage columns (issue 15): summary.quickStats of every row on screen in one property read. */
  readonly usage = new VsphereUsage(() => this.requireSession().client);

  /** Making, changing and removing VMs (issue 14): create, properties, configure and the delete plan. */
  readonly guests: ProviderGuests = vsphereGuests(() => this.guestContext());

  async runAction(target: { nativeRef: string; kind: string }, action: ActionName, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
    return runVsphereAction(this.guestContext(), target, action, params, task);
  }

  private guestContext(): GuestsContext {
    const session = this.requireSession();
    return {
      serverId: this.config.serverId,
      client: session.client,
      model: session.model,
      reread: (refs) => session.reread(refs),
      forget: (refs) => session.forget(refs),
      log: (message) => this.log('warn', message),
    };
  }

  openConsole(): Promise<ConsoleStream> {
    return unsupportedConsole();
  }

  /** A `vmrc://` link that opens the VM in VMware Remote Console (needs AcquireCloneTicket on the server). */
  async externalConsole(target: { nativeRef: string; kind: string }, viewer: 'vmrc' | 'spice'): Promise<ExternalConsoleMaterial> {
    if (viewer !== 'vmrc' || target.kind !== 'vm') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A vSphere ${target.kind} does not open in ${viewer === 'vmrc' ? 'VMware Remote Console' : 'a SPICE viewer'}.` });
    return { link: await vmrcLink(this.requireSession().client, target.nativeRef) };
  }

  private readonly vsphereNotifications: VsphereNotifications;
  /** Warning and error events as alerts, every event and recent task as events (notifications.ts). */
  readonly notifications: ProviderNotifications;

  /** The notifications poll of a session runs until another session replaces it (it starts before this one is the connection's). */
  private whileNotificationsCurrent(session: LiveSession): () => boolean {
    let wasCurrent = false;
    return () => {
      const current = this.connection.session;
      if (current === session) wasCurrent = true;
      return current === session || (!wasCurrent && current === null);
    };
  }

  private requireSession(): VsphereSession {
    const session = this.connection.session;
    if (!(session instanceof VsphereSession)) {
      throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'Not connected to the server; try again once it is back.' });
    }
    return session;
  }

  private async open(signal: AbortSignal): Promise<LiveSession> {
    const limits = limitsFor(this.config.limits);
    const client = new VimClient({
      host: this.config.host,
      port: this.config.port,
      username: this.config.username,
      password: this.config.password ?? '',
      tls: this.config.tls,
      path: this.options.sdkPath,
      limits,
      callDeadlineMs: this.options.callTimeoutMs,
      log: this.config.log,
    });
    try {
      const sessionOptions = { serverId: this.config.serverId, maxWaitSeconds: this.options.maxWaitSeconds, pageSize: this.options.pageSize, log: this.log };
      const session = await VsphereSession.open(client, sessionOptions, this.publisher, signal);
      void this.vsphereNotifications.follow(client, session.content, this.whileNotificationsCurrent(session), signal);
      // what the user may do, read at each login; without it nothing is greyed
      await this.access.load({ client, content: session.content }).catch((e: unknown) => this.log('warn', `Reading the session's privileges failed: ${e instanceof Error ? e.message : String(e)}`));
      const { about } = session.content;
      this.log('info', `connected to ${about.fullName} at ${this.config.host}:${this.config.port} (API ${client.version})`);
      return session;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  private readonly publisher: InventoryPublisher = {
    synchronized: (model) => {
      if (this.published) {
        this.emitChanges(model);
        return;
      }
      this.published = true;
      this.listeners.inventory(this.differ.reset(model.nodesByOwner()));
    },
    changed: (model, touched) => this.emitChanges(model, touched),
  };

  /** Emits what changed; with `touched` VMs only, maps just those again. */
  private emitChanges(model: InventoryModel, touched?: Set<string>): void {
    const started = performance.now();
    const delta =
      touched && InventoryModel.onlyVms(touched) ? this.differ.diff(model.nodesOfOwners(touched)) : this.differ.diffAll(model.nodesByOwner());
    if (delta) this.listeners.inventory(delta);
    this.log('debug', `mapped ${touched ? touched.size : model.size} changed objects in ${(performance.now() - started).toFixed(1)} ms`);
  }

  private readonly log = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void => {
    this.config.log?.(level, message);
  };
}
