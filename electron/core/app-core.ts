// The composition root: builds the core that Electron, web mode, the CLI and the
// demo all use — stores, services, the provider registry — and the one dispatch()
// through which every call enters (shared/contract-schemas.ts checks it first).

import type { AppInfo, Channel, ChannelArgs, ChannelHandlers, ChannelResult, EventMap, EventName, PolyvisorClient, StoreProblem, TaskInfo } from '../../shared/contract';
import { noConsoleBroker, type ConsoleBroker } from './console-broker';
import { createDispatcher } from './contract/dispatch';
import { CoreEvents } from './core-events';
import { InventoryStore } from './inventory/inventory-store';
import { InventoryPages } from './inventory/inventory-pages';
import { LastKnownTrees } from './connections/last-known-trees';
import { resolveHome } from './profile';
import { builtinProviders } from './providers/builtin';
import type { ProviderConfig, ProviderFactory } from './providers/provider';
import { ProviderRegistry } from './providers/registry';
import { createSchedules, type ScheduleOptions, type Schedules } from './schedules/schedules';
import type { RunDueReport } from './schedules/own-runner';
import { KeyringSecretStore } from './secrets/keyring-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { ConnectionService } from './services/connections';
import { CredentialService } from './services/credentials';
import { ExternalConsoleService, type ExternalLauncher } from './services/external-consoles';
import { SnapshotListService } from './services/snapshot-lists';
import { GuestService } from './services/guests';
import { MetricsService } from './services/metrics';
import { StorageService } from './services/storage';
import { NetworkService } from './services/networks';
import { DiskService } from './services/disks';
import { AccessService } from './services/access';
import { createUsageService } from './services/usage/usage-service';
import { MigrationService } from './services/migration';
import { PoolMembershipService } from './services/pool-membership';
import { NodeOperations, resultNodeId } from './services/node-operations';
import { createNotifications } from './services/notifications';
import { createThresholds } from './thresholds/thresholds';
import type { ThresholdWatchOptions } from './thresholds/threshold-watch';
import { ServerListService } from './services/server-list';
import { createViews } from './views/views';
import { followProfile, type ProfileSyncDeps } from './services/profile-sync';
import { passwordFieldShown } from './services/server-fields';
import type { SavedServer } from './servers/saved-server';
import { ServerStore } from './servers/server-store';
import { SettingsStore } from './settings/settings-store';
import { TaskManager } from './tasks/task-manager';
import { connectAsTask } from './tasks/connect-task';
import { PinStore } from './tls/pin-store';
import { readAppVersion } from './util/app-version';
import { DEFAULT_CONNECT_AT_ONCE } from '../../shared/connect-defaults';

export type AppMode = 'electron' | 'web' | 'cli';

export interface AppCoreOptions {
  /** where servers.json, known-certificates.json and settings.json live; POLYVISOR_HOME wins when set */
  home?: string;
  /** defaults to the OS keychain */
  secrets?: SecretStore;
  /** defaults to the built-in providers */
  providers?: readonly ProviderFactory[];
  /** defaults to package.json's version */
  version?: string;
  console?: ConsoleBroker;
  /** opens VMRC/SPICE/RDP/SSH with the OS's programs (Electron); without it the page gets the link or file */
  externalLauncher?: ExternalLauncher;
  /** deltas within this window reach the renderer as one event per server */
  inventoryBatchMs?: number;
  /** diagnostics; secrets never reach it */
  log?: ProviderConfig['log'];
  /** size and time limits for every server's answers (tests lower them; the app uses LIMITS) */
  limits?: ProviderConfig['limits'];
  /** channels a host answers itself (Electron: menu:update) */
  hostHandlers?: Partial<ChannelHandlers>;
  /** how start() follows the profile's files changed by other processes (tests shorten the timing) */
  profileWatch?: ProfileSyncDeps['watch'];
  /** snapshot policies: their clock, the OS timer's command and machine, the app's timer (tests set them) */
  schedules?: ScheduleOptions;
  /** how often threshold rules are evaluated, and how many live-data requests at once (tests shorten it) */
  thresholds?: ThresholdWatchOptions;
}

export interface PolyvisorCore extends PolyvisorClient {
  readonly home: string;
  /** for hosts that receive calls as data (IPC, WebSocket): checks the channel and arguments, then runs the handler */
  dispatch(channel: unknown, args: unknown): Promise<unknown>;
  /** reconnects saved servers marked autoConnect (when settings.reconnectAtStart); resolves when all attempts settled */
  start(): Promise<void>;
  /** disconnects everything and stops timers */
  stop(): Promise<void>;
  /** resolves when the task has finished (for the CLI and tests) */
  waitForTask(taskId: string): Promise<TaskInfo>;
  /** runs Polyvisor's own snapshot policies that are due (`schedule run-due`; the open app does it on a timer) */
  runDueSchedules(): Promise<RunDueReport>;
}

export async function createAppCore(mode: AppMode, opts: AppCoreOptions = {}): Promise<PolyvisorCore> {
  // POLYVISOR_HOME wins over the host's choice so tests and side-by-side profiles can isolate any mode.
  const home = process.env.POLYVISOR_HOME?.trim() ? resolveHome() : (opts.home ?? resolveHome());
  const [servers, pins, settings] = await Promise.all([ServerStore.open(home), PinStore.open(home), SettingsStore.open(home)]);
  const storeProblems: StoreProblem[] = [servers.problem, pins.problem, settings.problem].filter((p): p is StoreProblem => !!p);

  const events = new CoreEvents(opts.log);
  const registry = new ProviderRegistry(opts.providers ?? builtinProviders);
  const consoles = opts.console ?? noConsoleBroker;
  const inventory = new InventoryStore({ emit: (d) => events.emit('inventory:delta', d), batchMs: opts.inventoryBatchMs });
  const inventoryPages = new InventoryPages(() => inventory.all());
  const tasks = new TaskManager({ emit: (t) => events.emit('task:changed', t), resolveResultId: resultNodeId });
  const addProblem = (problem: StoreProblem) => {
    storeProblems.push(problem);
    events.emit('store:problem', problem);
  };
  const reportProblem = (file: string, message: string) => addProblem({ file, keptAs: '', message, at: Date.now() });
  const credentials = new CredentialService(opts.secrets ?? new KeyringSecretStore(), {
    problem: (m) => reportProblem('OS keychain', m),
    needsPassword: (server) => passwordFieldShown(registry, server),
  });
  const changed = (server: SavedServer) => events.emit('server:changed', connections.view(server));
  const removed = (id: string) => {
    inventory.removeServer(id);
    events.emit('server:removed', { id });
  };
  const lastKnown = await LastKnownTrees.open({ home, inventory, enabled: settings.get().lastKnownTrees !== false, problem: (p) => storeProblems.push(p), log: opts.log }, servers.list().map((s) => s.id));
  events.on('settings:changed', (next) => void lastKnown.setEnabled(next.lastKnownTrees !== false, servers.list().map((s) => s.id)));
  let schedules: Schedules | undefined;
  const connections = new ConnectionService(servers, registry, credentials, pins, inventory, {
    changed,
    policies: (id, list) => schedules?.serverPoliciesChanged(id, list),
    log: opts.log,
    limits: opts.limits,
    asTask: connectAsTask(tasks),
    lastKnown,
    connectLimit: () => settings.get().connectAtOnce ?? DEFAULT_CONNECT_AT_ONCE,
  });
  const serverList = new ServerListService(servers, registry, credentials, connections, { changed, removed });
  let profile: { close(): void } | undefined;
  const migration = new MigrationService(servers, connections, inventory, tasks);
  const guests = new GuestService(servers, registry, connections, inventory, tasks);
  const metrics = new MetricsService(servers, registry, connections, inventory);
  const access = new AccessService(servers, registry, connections, changed);
  const storage = new StorageService(servers, registry, connections, inventory, tasks);
  const networks = new NetworkService(servers, registry, connections, inventory, tasks);
  const disks = new DiskService(servers, registry, connections, inventory, tasks);
  const usage = createUsageService({ servers, registry, connections, inventory, emit: (p) => events.emit('usage:changed', p), log: opts.log });
  const poolMembership = new PoolMembershipService(servers, connections, inventory, tasks);
  const externalConsoles = new ExternalConsoleService(servers, registry, connections, inventory, opts.externalLauncher, opts.log);
  const snapshotLists = new SnapshotListService(servers, connections, inventory);
  const operations = new NodeOperations(servers, registry, connections, inventory, tasks, consoles, migration, poolMembership);
  const thresholds = await createThresholds({
    home,
    inventory: () => inventory.all(),
    node: (id) => inventory.get(id),
    connected: (id) => connections.view(servers.require(id)).state === 'connected',
    liveSeries: (id) => metrics.query(id, '10m'),
    liveSeriesMany: (requests) => metrics.liveMany(requests),
    emit: (event, payload) => events.emit(event, payload),
    problem: addProblem,
    log: opts.log,
    options: opts.thresholds,
  });
  if (thresholds.problem) storeProblems.push(thresholds.problem);
  const notifications = createNotifications({
    own: thresholds.alerts,
    serverIds: () => servers.list().map((s) => s.id),
    liveProvider: (id) => connections.liveProvider(id),
    emit: (event, payload) => events.emit(event, payload),
    on: (event, listener) => events.on(event, listener),
    log: opts.log,
  });
  schedules = await createSchedules({
    home,
    interactive: mode !== 'cli',
    servers,
    registry,
    connections,
    inventory,
    operations,
    tasks,
    snapshotLists,
    emit: (event, payload) => events.emit(event, payload),
    on: (event, listener) => events.on(event, listener),
    problem: addProblem,
    log: opts.log,
    options: opts.schedules,
  });
  storeProblems.push(...schedules.problems);
  const views = await createViews({ home, servers, registry, connections, inventory, emit: (event, payload) => events.emit(event, payload), problem: addProblem, log: opts.log });
  storeProblems.push(...views.problems);
  const policies = schedules;

  await credentials.init(servers.list());
  for (const s of servers.list()) connections.refreshServerNode(s);

  const viewOf = async (id: string) => connections.view(servers.require(id));
  const handlers: ChannelHandlers = {
    'app:info': async (): Promise<AppInfo> => ({
      version: opts.version ?? readAppVersion(),
      mode,
      keychain: await credentials.keychain(),
      storeProblems: [...storeProblems],
      settings: settings.get(),
      providers: registry.list().map((f) => f.descriptor),
    }),
    'settings:set': async (changes) => {
      const next = await settings.set(changes);
      events.emit('settings:changed', next);
      return next;
    },
    'servers:list': () => servers.list().map((s) => connections.view(s)),
    'servers:add': async (draft) => connections.view(await serverList.add(draft)),
    'servers:update': async (id, changes) => connections.view(await serverList.update(id, changes)),
    'servers:remove': (id) => serverList.remove(id),
    'servers:connect': async (id, password) => {
      await connections.connect(id, password);
      return viewOf(id);
    },
    'servers:disconnect': async (id) => {
      await connections.disconnect(id);
      return viewOf(id);
    },
    'servers:reconnectAll': async () => {
      await connections.reconnectAll();
      return servers.list().map((s) => connections.view(s));
    },
    'servers:export': () => serverList.export(),
    'servers:import': (content) => serverList.import(content),
    'certs:accept': async (id, fingerprint) => {
      await connections.acceptCertificate(id, fingerprint);
      return viewOf(id);
    },
    'certs:forget': async (id) => {
      await connections.forgetCertificate(id);
      changed(servers.require(id));
    },
    'inventory:get': () => inventory.all(),
    'inventory:page': (snapshot, offset, limit) => inventoryPages.page(snapshot, offset, limit),
    'actions:run': (request) => operations.runAction(request),
    'tasks:list': () => tasks.list(),
    'tasks:cancel': (id) => tasks.cancel(id),
    'tasks:clearFinished': () => tasks.clearFinished(),
    'console:open': (id, protocol, options) => operations.openConsole(id, protocol, options),
    'console:shells': (id) => operations.consoleShells(id),
    'console:external': (id, viewer) => externalConsoles.open(id, viewer),
    'snapshots:readList': (id) => snapshotLists.read(id),
    'logs:open': (id, options) => operations.openLogs(id, options),
    'migration:plan': (vmIds) => migration.plan(vmIds),
    'hosts:evacuationPlan': (hostId) => migration.evacuationPlan(hostId),
    'pools:joinPlan': (hostId) => poolMembership.joinPlan(hostId),
    'guests:createOptions': (serverId) => guests.createOptions(serverId),
    'guests:create': (serverId, spec) => guests.create(serverId, spec),
    'guests:properties': (id) => guests.properties(id),
    'guests:configure': (ids, changes) => guests.configure(ids, changes),
    'guests:deletePlan': (ids) => guests.deletePlan(ids),
    'images:pull': (serverId, reference) => guests.pullImage(serverId, reference),
    'images:prune': (serverId) => guests.pruneImages(serverId),
    'volumes:prune': (serverId) => guests.pruneVolumes(serverId),
    'metrics:query': (id, timeframe) => metrics.query(id, timeframe),
    'storage:contents': (id) => storage.contents(id),
    'storage:rescan': (id) => storage.rescan(id),
    'storage:moveDisk': (guestId, diskId, storageId) => storage.moveDisk(guestId, diskId, storageId),
    'menu:update': () => undefined,
    ...networks.handlers,
    ...disks.handlers,
    ...policies.handlers,
    ...views.handlers,
    ...access.handlers,
    ...notifications.handlers,
    ...thresholds.handlers,
    ...usage.handlers,
    ...opts.hostHandlers,
  };
  const dispatch = createDispatcher(handlers);

  return {
    home,
    dispatch,
    invoke<C extends Channel>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>> {
      return dispatch(channel, args) as Promise<ChannelResult<C>>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      return events.on(event, listener);
    },
    async start() {
      for (const p of storeProblems) events.emit('store:problem', p);
      profile ??= followProfile({
        servers,
        settings,
        pins,
        connections,
        credentials,
        changed,
        removed,
        settingsChanged: (next) => events.emit('settings:changed', next),
        problem: addProblem,
        log: opts.log,
        watch: opts.profileWatch,
      });
      if (mode !== 'cli') await policies.start(opts.profileWatch);
      if (mode !== 'cli') views.start(opts.profileWatch);
      if (mode !== 'cli') thresholds.start(opts.profileWatch);
      if (settings.get().reconnectAtStart) await connections.connectAutomatic();
    },
    async stop() {
      profile?.close();
      views.stop();
      notifications.stop();
      await thresholds.stop();
      usage.sampler.stop();
      await policies.stop();
      tasks.abortAll();
      await connections.stopAll();
      await lastKnown.flush();
      await externalConsoles.close();
      try {
        await consoles.close?.();
      } catch (e) {
        opts.log?.('warn', `Closing the console bridge failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      inventory.flush();
      inventory.dispose();
    },
    waitForTask: (id) => tasks.whenDone(id),
    runDueSchedules: () => policies.runDue(),
  };
}
