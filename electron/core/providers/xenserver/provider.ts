// A live connection to one XenServer/XCP-ng pool through the shared connection loop:
// each open logs in, loads everything (with the event token taken first) and
// publishes it — the whole inventory on the first open, only what changed on a
// re-open — then follows event.from until the stream drops.

import { PolyvisorError } from '../../../../shared/errors';
import { HOST_ACTIONS, POWER_ACTIONS, type ActionName, type Capabilities, type HostAction } from '../../../../shared/model';
import type { ActionResult, ConsoleStream, Provider, ProviderActionParams, ProviderConfig, ProviderEvents, ProviderGuests, ProviderMetrics, ProviderMigration, ProviderPools, ProviderStorage, ServerPolicies, TaskReporter } from '../provider';
import { XapiMetrics } from './metrics/xapi-metrics';
import { XapiUsage } from './metrics/usage';
import { XapiStorage } from './storage';
import { XapiLabels } from './labels';
import { XapiNetworks } from './networks';
import { toErrorInfo } from '../../../../shared/errors';
import { isFatalError, LiveConnection } from '../common/live-connection';
import { limitsFor, type Limits } from '../common/limits';
import { ProviderListeners } from '../common/provider-listeners';
import { bindFeed, type ProviderNotifications } from '../common/notification-feed';
import { runVmAction, type ActionContext } from './actions';
import { crossPoolMigration, prepareReceive, type ReceivePlan, type XapiReceiver } from './cross-pool';
import { migrateVm, runHostAction } from './host-actions';
import { XapiMigration } from './migration';
import { openXapiConsole } from './console';
import { XapiAccess } from './access';
import { xenServerOptions } from './descriptor';
import { fetchEverything } from './events';
import { xapiGuests } from './guests';
import { NOTIFICATION_CLASSES, XapiNotifications } from './notifications';
import { serverName } from './http-post';
import { InventoryTracker } from './inventory';
import { calledForReload, XapiLiveSession } from './live-session';
import { XapiServerPolicies } from './policies';
import { ejectHost, readPoolFacts, xapiPools, type PoolFacts, type XapiPoolHost } from './pool-membership';
import { isRef } from './records';
import { readMasterZone, ZONE_REFRESH_MS } from './server-zone';
import { openSession, type XapiSession } from './session';
import type { TransportKind } from './transport';
import { trustAt } from './trust-at';

type XenServerOptions = ReturnType<typeof xenServerOptions.read>;

export class XenServerProvider implements Provider, XapiReceiver, XapiPoolHost {
  readonly type = 'xenserver' as const;
  readonly capabilities: Capabilities = {
    snapshotKinds: ['disk', 'memory'],
    consoles: ['rfb', 'text'],
    powerActions: [...POWER_ACTIONS],
  };

  private readonly options: XenServerOptions;
  private readonly limits: Limits;
  private readonly listeners = new ProviderListeners();
  private readonly tracker: InventoryTracker;
  private readonly connection: LiveConnection;
  /** the session actions and consoles use: the live one, none while reconnecting */
  private session: XapiSession | null = null;
  private learnedTransport: TransportKind | undefined;
  /** the zone the pool master's clock runs in: its snapshot schedules run in it */
  private zone = 'UTC';
  private zoneReadAt = 0;
  readonly policies: ServerPolicies;
  readonly migration: ProviderMigration;
  readonly pools: ProviderPools;
  readonly guests: ProviderGuests;
  readonly metrics: ProviderMetrics;
  readonly usage: XapiUsage;
  readonly storage: ProviderStorage;
  readonly labels: XapiLabels;
  readonly networks: XapiNetworks;
  readonly notifications: ProviderNotifications;
  private readonly xapiNotifications: XapiNotifications;
  private readonly actions: ActionContext;
  readonly access: XapiAccess;

  constructor(private readonly config: ProviderConfig) {
    this.options = xenServerOptions.read(config.options);
    this.limits = limitsFor(config.limits);
    this.tracker = new InventoryTracker(config.serverId);
    this.connection = new LiveConnection({
      name: `XenServer ${serverName(config.host, config.port)}`,
      open: (signal, attempt) => this.open(signal, attempt),
      onState: (state, error) => this.listeners.state(state, error),
      backoff: { minMs: this.options.reconnectMinMs, maxMs: Math.max(this.options.reconnectMinMs, this.options.reconnectMaxMs) },
      isFatal: (err) => isFatalError(err) && !calledForReload(err),
      log: config.log,
    });
    this.actions = { serverId: config.serverId, session: () => this.liveSession(), tracker: this.tracker, taskPollMs: this.options.taskPollMs };
    this.migration = new XapiMigration(this.actions, crossPoolMigration(this.actions));
    this.pools = xapiPools(this.actions);
    this.guests = xapiGuests(this.actions);
    this.storage = new XapiStorage(this.actions);
    this.labels = new XapiLabels(this.actions);
    this.networks = new XapiNetworks(this.actions, config.log);
    const source = { host: config.host, port: config.port, trust: config.tls, trustFor: config.trustFor };
    this.access = new XapiAccess(this.actions);
    const record = (kind: string, ref: string) => (kind === 'host' ? this.tracker.cache.host : this.tracker.cache.vm).get(ref);
    const master = () => {
      const pool = this.tracker.cache.pool.values().next().value;
      return typeof pool?.master === 'string' ? pool.master : undefined;
    };
    const metrics = new XapiMetrics({ session: () => this.liveSession(), trustAt: (host, port) => trustAt(source, host, port), record, master, limits: this.limits });
    this.metrics = metrics;
    this.usage = new XapiUsage({ metrics, record });
    this.xapiNotifications = new XapiNotifications(config.serverId, this.tracker.cache, () => this.liveSession());
    this.notifications = { ...bindFeed(this.xapiNotifications.feed), dismiss: (refs) => this.xapiNotifications.dismiss(refs) };
    this.policies = new XapiServerPolicies({
      session: () => this.liveSession(),
      cache: this.tracker.cache,
      timeZone: () => this.zone,
      changed: () => {
        this.tracker.markPoliciesChanged();
        this.publishPolicies();
      },
    });
  }

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void {
    return this.listeners.on(event, listener);
  }

  connect(): Promise<void> {
    return this.connection.connect();
  }

  disconnect(): Promise<void> {
    this.metrics.close?.();
    return this.connection.disconnect();
  }

  async runAction(target: { nativeRef: string; kind: string }, action: ActionName, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
    this.liveSession();
    if ((HOST_ACTIONS as readonly string[]).includes(action)) {
      expectHost(target, action);
      return runHostAction(this.actions, target.nativeRef, action as HostAction, params, task);
    }
    if (action === 'pool_eject') {
      expectHost(target, action);
      return ejectHost(this.actions, target.nativeRef, task);
    }
    if (action === 'migrate') {
      if (target.kind !== 'vm') throw new PolyvisorError({ code: 'INVALID_INPUT', message: `migrate applies to a vm, not to a ${target.kind}.` });
      return migrateVm(this.actions, target.nativeRef, params.targetRef, task);
    }
    return runVmAction(this.actions, target, action, params, task);
  }

  /** This pool as the destination of a cross-pool move (the source provider calls it). */
  prepareReceive(hostRef: string): Promise<ReceivePlan> {
    this.liveSession();
    return prepareReceive(this.actions, hostRef);
  }

  /** This pool as the one a standalone host joins (the joining host's provider calls it): its master is where this connection talks to. */
  poolFacts(): Promise<PoolFacts> {
    const session = this.liveSession();
    return readPoolFacts(this.actions, { address: session.host, username: this.config.username, password: this.config.password ?? '' });
  }

  private liveSession(): XapiSession {
    if (!this.session) throw notConnected();
    return this.session;
  }

  openConsole(target: { nativeRef: string; kind: string }, protocol: 'rfb' | 'text'): Promise<ConsoleStream> {
    if (!this.session) return Promise.reject(notConnected());
    const source = { host: this.config.host, port: this.config.port, trust: this.config.tls, trustFor: this.config.trustFor };
    return openXapiConsole({ session: this.session, trustAt: (host, port) => trustAt(source, host, port), timeoutMs: Math.min(this.limits.idleTimeoutMs, 15_000) }, target, protocol);
  }

  private async open(signal: AbortSignal, attempt: number): Promise<XapiLiveSession> {
    const session = await this.login(signal);
    let snapshot;
    let publishNotifications;
    try {
      snapshot = await fetchEverything(session, signal);
      publishNotifications = await this.xapiNotifications.load(session, signal);
      if (signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The connection was closed while connecting.' });
      await this.access.load(session);
    } catch (err) {
      session.abort();
      throw err;
    }
    this.tracker.load(snapshot.tables);
    publishNotifications();
    await this.readZone(session);
    const delta = attempt === 0 ? await this.tracker.reset() : await this.tracker.resync();
    this.session = session;
    if (delta) this.listeners.inventory(delta);
    this.publishPolicies();
    this.config.log?.('info', `connected to ${serverName(session.host, session.port)} over ${session.transportKind}`);
    return new XapiLiveSession(session, snapshot.token, [...snapshot.classes, ...NOTIFICATION_CLASSES], {
      tracker: this.tracker,
      eventTimeoutS: this.options.eventTimeoutS,
      publish: (d) => this.listeners.inventory(d),
      observe: (events) => this.xapiNotifications.apply(events),
      afterWait: async (s) => {
        if (Date.now() - this.zoneReadAt >= ZONE_REFRESH_MS && (await this.readZone(s))) this.tracker.markPoliciesChanged();
        this.publishPolicies();
      },
      released: (s) => {
        if (this.session === s) this.session = null;
      },
    });
  }

  /** Emits the whole list of schedules when it changed since the last time. */
  private publishPolicies(): void {
    if (this.tracker.takePoliciesChanged()) this.listeners.policies(this.policies.list());
  }

  /** Reads the master's zone; true when it changed. A server that cannot say keeps the zone it had. */
  private async readZone(session: XapiSession): Promise<boolean> {
    this.zoneReadAt = Date.now();
    let master: string | undefined;
    for (const pool of this.tracker.cache.pool.values()) if (isRef(pool.master)) master = pool.master;
    if (!master) return false;
    try {
      const zone = await readMasterZone(session, master);
      if (!zone || zone === this.zone) return false;
      this.zone = zone;
      return true;
    } catch (err) {
      this.config.log?.('debug', `the pool master's time zone could not be read (${toErrorInfo(err).message}); keeping ${this.zone}`);
      return false;
    }
  }

  private async login(signal: AbortSignal): Promise<XapiSession> {
    const { host, port, username, password, tls, trustFor } = this.config;
    const session = await openSession({
      host,
      port,
      username,
      password: password ?? '',
      trust: tls,
      trustFor,
      transport: this.learnedTransport ?? this.options.transport,
      callTimeoutMs: this.options.callTimeoutMs,
      limits: this.limits,
      signal,
    });
    // an XML-RPC-only host stays one: reconnects need not probe /jsonrpc again
    if (this.options.transport === 'auto') this.learnedTransport = session.transportKind;
    return session;
  }
}

function expectHost(target: { kind: string }, action: ActionName): void {
  if (target.kind !== 'host') throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${action} applies to a host, not to a ${target.kind}.` });
}

function notConnected(): PolyvisorError {
  return new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'Not connected to the server; try again once it is back.' });
}
