// PolyvisorCore: the one implementation of the contract (shared/contract.ts).
// The Electron main process, the web-mode host and the CLI all drive it through
// invoke()/on(); it owns the stores, the connections, the inventory and the tasks.

import type {
  ActionRequest,
  AppInfo,
  Channel,
  ChannelArgs,
  ChannelHandlers,
  ChannelResult,
  ConsoleOptions,
  ConsoleTicket,
  EventMap,
  EventName,
  LogsOptions,
  PolyvisorClient,
  ServerDraft,
  ServerView,
  StoreProblem,
  TaskInfo,
} from '../../shared/contract';
import { isChannel } from '../../shared/contract';
import { PolyvisorError, toErrorInfo, type ErrorInfo } from '../../shared/errors';
import { nodeId } from '../../shared/model';
import { noConsoleBroker, type ConsoleBroker } from './console-broker';
import { resolveHome } from './profile';
import { ServerConnection, type ConnectionStatus } from './connections/server-connection';
import { InventoryStore } from './inventory/inventory-store';
import { checkAction, checkActionRequest } from './actions/action-check';
import { builtinProviders } from './providers/builtin';
import type { ProviderConfig, ProviderFactory } from './providers/provider';
import { ProviderRegistry } from './providers/registry';
import { KeyringSecretStore } from './secrets/keyring-secret-store';
import { serverSecretAccount, type SecretStore, type SecretStoreStatus } from './secrets/secret-store';
import { HYPERVISOR_TYPES, type SavedServer, type ServerFields } from './servers/saved-server';
import { ServerStore } from './servers/server-store';
import { SettingsStore } from './settings/settings-store';
import { TaskManager, type TaskTarget } from './tasks/task-manager';
import { PinStore } from './tls/pin-store';
import { normalizeFingerprint } from './tls/trust';
import { optionalString, requireObject, requireString } from './util/input';
import { parseConsoleOptions } from './console/console-options';
import { logConsoleStream, parseLogsOptions } from './console/log-stream';

export interface CoreOptions {
  /** where servers.json, known-certificates.json and settings.json live; POLYVISOR_HOME wins when set */
  home?: string;
  secrets?: SecretStore;
  mode: 'electron' | 'web' | 'cli';
  /** defaults to the built-in providers */
  providers?: ProviderFactory[];
  version?: string;
  console?: ConsoleBroker;
  /** deltas within this window reach the renderer as one event per server */
  inventoryBatchMs?: number;
  /** diagnostics; secrets never reach it */
  log?: ProviderConfig['log'];
}

export interface PolyvisorCore extends PolyvisorClient {
  readonly home: string;
  /** reconnects saved servers marked autoConnect (when settings.reconnectAtStart); resolves when all attempts settled */
  start(): Promise<void>;
  /** disconnects everything and stops timers */
  stop(): Promise<void>;
  /** resolves when the task has finished (for the CLI and tests) */
  waitForTask(taskId: string): Promise<TaskInfo>;
}

type Listener<E extends EventName> = (payload: EventMap[E]) => void;

export async function createCore(opts: CoreOptions): Promise<PolyvisorCore> {
  // POLYVISOR_HOME wins over the shell's choice so tests and side-by-side profiles can isolate any mode.
  const home = process.env.POLYVISOR_HOME?.trim() ? resolveHome() : (opts.home ?? resolveHome());
  const [servers, pins, settings] = await Promise.all([ServerStore.open(home), PinStore.open(home), SettingsStore.open(home)]);
  const core = new Core(home, opts, servers, pins, settings);
  await core.init();
  return core;
}

class Core implements PolyvisorCore {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();
  private readonly registry: ProviderRegistry;
  private readonly secrets: SecretStore;
  private readonly consoles: ConsoleBroker;
  private readonly inventory: InventoryStore;
  private readonly tasks: TaskManager;
  private readonly connections = new Map<string, ServerConnection>();
  /** ids of servers with a password in the keychain */
  private readonly storedPasswords = new Set<string>();
  /** passwords typed this session that are not (or could not be) kept in the keychain: process memory only */
  private readonly sessionPasswords = new Map<string, string>();
  private keychain: SecretStoreStatus = { available: false };
  private readonly storeProblems: StoreProblem[];
  private readonly handlers: ChannelHandlers;

  constructor(
    readonly home: string,
    private readonly opts: CoreOptions,
    private readonly servers: ServerStore,
    private readonly pins: PinStore,
    private readonly settings: SettingsStore,
  ) {
    this.registry = new ProviderRegistry(opts.providers ?? builtinProviders);
    this.secrets = opts.secrets ?? new KeyringSecretStore();
    this.consoles = opts.console ?? noConsoleBroker;
    this.inventory = new InventoryStore({ emit: (d) => this.emit('inventory:delta', d), batchMs: opts.inventoryBatchMs });
    this.tasks = new TaskManager({ emit: (t) => this.emit('task:changed', t), resolveResultId: resultNodeId });
    this.storeProblems = [servers.problem, pins.problem, settings.problem].filter((p): p is StoreProblem => !!p);
    this.handlers = this.buildHandlers();
  }

  async init(): Promise<void> {
    this.keychain = await this.secrets.available();
    for (const s of this.servers.list()) {
      if (s.rememberPassword && this.keychain.available) {
        const stored = await this.secrets.get(serverSecretAccount(s.id)).catch(() => null);
        if (stored !== null) this.storedPasswords.add(s.id);
      }
      this.refreshServerNode(s);
    }
  }

  // ---- PolyvisorClient ----

  async invoke<C extends Channel>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>> {
    if (!isChannel(channel)) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Unknown channel ${JSON.stringify(channel)}.` });
    const handler = this.handlers[channel] as (...a: unknown[]) => Promise<ChannelResult<C>> | ChannelResult<C>;
    return handler(...(args as unknown[]));
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return () => set!.delete(listener as Listener<EventName>);
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    for (const p of this.storeProblems) this.emit('store:problem', p);
    if (!this.settings.get().reconnectAtStart) return;
    const auto = this.servers.list().filter((s) => s.autoConnect);
    await Promise.allSettled(auto.map((s) => this.connect(s.id)));
  }

  async stop(): Promise<void> {
    this.tasks.abortAll();
    await Promise.allSettled([...this.connections.values()].map((c) => c.disconnect()));
    await this.consoles.close?.().catch(() => undefined);
    this.inventory.flush();
    this.inventory.dispose();
  }

  waitForTask(taskId: string): Promise<TaskInfo> {
    return this.tasks.whenDone(taskId);
  }

  // ---- channels ----

  private buildHandlers(): ChannelHandlers {
    return {
      'app:info': () => this.appInfo(),
      'settings:set': async (changes) => {
        const next = await this.settings.set(changes);
        this.emit('settings:changed', next);
        return next;
      },
      'servers:list': () => this.servers.list().map((s) => this.view(s)),
      'servers:add': (draft) => this.addServer(draft),
      'servers:update': (id, changes) => this.updateServer(requireString(id, 'id'), changes),
      'servers:remove': (id) => this.removeServer(requireString(id, 'id')),
      'servers:connect': (id, password) => this.connect(requireString(id, 'id'), optionalString(password, 'password')),
      'servers:disconnect': (id) => this.disconnect(requireString(id, 'id')),
      'servers:reconnectAll': () => this.reconnectAll(),
      'servers:export': () => this.servers.exportList(),
      'servers:import': (content) => this.importServers(requireString(content, 'content')),
      'certs:accept': (serverId, fp) => this.acceptCertificate(requireString(serverId, 'serverId'), requireString(fp, 'fingerprint256')),
      'certs:forget': (serverId) => this.forgetCertificate(requireString(serverId, 'serverId')),
      'inventory:get': () => this.inventory.all(),
      'actions:run': (request) => this.runAction(request),
      'tasks:list': () => this.tasks.list(),
      'tasks:cancel': (taskId) => this.tasks.cancel(requireString(taskId, 'taskId')),
      'tasks:clearFinished': () => this.tasks.clearFinished(),
      'console:open': (id, protocol, options) => this.openConsole(requireString(id, 'nodeId'), protocol, parseConsoleOptions(options)),
      'logs:open': (id, options) => this.openLogs(requireString(id, 'nodeId'), parseLogsOptions(options)),
      // only the Electron shell draws a native menu; it answers this channel itself
      'menu:update': () => undefined,
    };
  }

  private async appInfo(): Promise<AppInfo> {
    this.keychain = await this.secrets.available();
    return {
      version: this.opts.version ?? '0.0.0',
      mode: this.opts.mode,
      keychain: { ...this.keychain },
      storeProblems: [...this.storeProblems],
      settings: this.settings.get(),
      providers: this.registry.list().map((f) => f.descriptor),
    };
  }

  private async addServer(draftArg: ServerDraft): Promise<ServerView> {
    const draft = requireObject(draftArg, 'server') as unknown as ServerDraft;
    if (!HYPERVISOR_TYPES.includes(draft.type)) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Unknown server type ${JSON.stringify(draft.type)}; expected one of ${HYPERVISOR_TYPES.join(', ')}.` });
    }
    const factory = this.registry.require(draft.type);
    const host = typeof draft.host === 'string' ? draft.host.trim() : draft.host;
    const fields: ServerFields = {
      type: draft.type,
      name: typeof draft.name === 'string' && draft.name.trim() ? draft.name.trim() : host,
      host,
      port: draft.port ?? factory.descriptor.defaultPort,
      username: draft.username ?? '',
      autoConnect: draft.autoConnect ?? true,
      rememberPassword: draft.rememberPassword ?? true,
      options: draft.options ?? {},
    };
    const password = optionalString(draft.password, 'password');
    const saved = await this.servers.add(fields);
    if (password) await this.keepPassword(saved, password);
    this.refreshServerNode(saved);
    return this.changed(saved);
  }

  private async updateServer(id: string, changesArg: Partial<ServerDraft>): Promise<ServerView> {
    const changes = requireObject(changesArg, 'changes') as Partial<ServerDraft>;
    const before = this.servers.require(id);
    if (changes.type !== undefined && changes.type !== before.type) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'The type of a saved server cannot change; add a new server instead.' });
    }
    const password = optionalString(changes.password, 'password');
    const fields: Partial<ServerFields> = {
      name: typeof changes.name === 'string' ? changes.name.trim() || undefined : changes.name,
      host: typeof changes.host === 'string' ? changes.host.trim() : changes.host,
      port: changes.port,
      username: changes.username,
      autoConnect: changes.autoConnect,
      rememberPassword: changes.rememberPassword,
      options: changes.options,
    };
    const after = await this.servers.update(id, fields);
    if (!after.rememberPassword && before.rememberPassword) await this.forgetStoredPassword(id);
    if (password !== undefined) {
      if (password === '') {
        await this.forgetStoredPassword(id);
        this.sessionPasswords.delete(id);
      } else {
        await this.keepPassword(after, password);
      }
    }
    const conn = this.connections.get(id);
    const endpointChanged =
      before.host !== after.host || before.port !== after.port || before.username !== after.username || JSON.stringify(before.options) !== JSON.stringify(after.options);
    if (conn && conn.status.state !== 'disconnected' && conn.status.state !== 'error' && (endpointChanged || password)) {
      await conn.disconnect();
      await this.connect(id);
    }
    this.refreshServerNode(after);
    return this.changed(after);
  }

  private async removeServer(id: string): Promise<void> {
    this.servers.require(id);
    const conn = this.connections.get(id);
    if (conn) await conn.disconnect();
    this.connections.delete(id);
    await this.servers.remove(id);
    await this.forgetStoredPassword(id);
    this.sessionPasswords.delete(id);
    this.inventory.removeServer(id);
    this.emit('server:removed', { id });
  }

  private async connect(id: string, password?: string): Promise<ServerView> {
    const server = this.servers.require(id);
    const factory = this.registry.require(server.type);
    const conn = this.connectionFor(id);
    if (password) this.sessionPasswords.set(id, password);
    if (conn.status.state === 'connected' && !password) return this.view(server);
    if (password && conn.status.state !== 'disconnected' && conn.status.state !== 'error') await conn.disconnect();
    let secret: string | undefined;
    try {
      secret = await this.passwordFor(server);
    } catch (e) {
      conn.fail(toErrorInfo(e));
      return this.view(server);
    }
    await conn.connect(() =>
      factory.create({
        serverId: server.id,
        host: server.host,
        port: server.port,
        username: server.username,
        password: secret,
        options: { ...server.options },
        tls: this.pins.trustFor(server.host, server.port),
        trustFor: (host, port) => this.pins.trustFor(host, port),
        log: this.opts.log,
      }),
    );
    const typed = secret !== undefined && this.sessionPasswords.get(id) === secret;
    if (conn.status.state === 'connected' && typed && (password !== undefined || !this.storedPasswords.has(id))) {
      // A typed password goes to the keychain once it has proved right (also after a certificate prompt).
      await this.storeInKeychain(server, secret!);
    }
    if (conn.status.error?.code === 'AUTH_FAILED') this.sessionPasswords.delete(id);
    return this.view(this.servers.require(id));
  }

  private async disconnect(id: string): Promise<ServerView> {
    const server = this.servers.require(id);
    await this.connections.get(id)?.disconnect();
    return this.view(server);
  }

  private async reconnectAll(): Promise<ServerView[]> {
    const targets = this.servers.list().filter((s) => {
      const state = this.connections.get(s.id)?.status.state ?? 'disconnected';
      return state === 'disconnected' || state === 'error';
    });
    await Promise.allSettled(targets.map((s) => this.connect(s.id)));
    return this.servers.list().map((s) => this.view(s));
  }

  private async importServers(content: string): Promise<{ added: number; skipped: number }> {
    const { added, skipped } = await this.servers.importList(content);
    for (const s of added) {
      this.refreshServerNode(s);
      this.changed(s);
    }
    return { added: added.length, skipped };
  }

  private async acceptCertificate(serverId: string, fingerprint: string): Promise<ServerView> {
    this.servers.require(serverId);
    const error = this.connections.get(serverId)?.status.error;
    const cert = error && (error.code === 'CERT_UNTRUSTED' || error.code === 'CERT_CHANGED') ? error.certificate : undefined;
    if (!cert) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'This server has no certificate waiting for a decision; connect to it first.' });
    }
    if (normalizeFingerprint(fingerprint) !== normalizeFingerprint(cert.fingerprint256)) {
      throw new PolyvisorError({
        code: 'INVALID_INPUT',
        message: `The fingerprint ${fingerprint} is not the one the server presented (${cert.fingerprint256}); nothing was trusted.`,
      });
    }
    await this.pins.pin(cert);
    return this.connect(serverId);
  }

  private async forgetCertificate(serverId: string): Promise<void> {
    const server = this.servers.require(serverId);
    await this.pins.forget(server.host, server.port);
    this.changed(server);
  }

  private async runAction(requestArg: ActionRequest): Promise<TaskInfo[]> {
    const request = checkActionRequest(requestArg);
    const plans = request.nodeIds.map((id) => {
      const node = this.inventory.get(id);
      if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
      const provider = this.connections.get(node.serverId)?.liveProvider;
      if (!provider) {
        throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.serverName(node.serverId)} is not connected.` });
      }
      checkAction(node, request.action);
      return { node, provider };
    });
    const params = request.params ?? {};
    return plans.map(({ node, provider }) => {
      const nodeParams = { ...params };
      if (request.action === 'snapshot_create' && !nodeParams.name?.trim()) nodeParams.name = defaultSnapshotName(node.name);
      return this.tasks.start(
        { serverId: node.serverId, targetId: node.id, targetName: node.name, action: request.action },
        (reporter) => provider.runAction({ nativeRef: node.nativeRef, kind: node.kind }, request.action, nodeParams, reporter),
      );
    });
  }

  private async openConsole(id: string, protocol: 'rfb' | 'text', options: ConsoleOptions = {}): Promise<ConsoleTicket> {
    if (protocol !== 'rfb' && protocol !== 'text') {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Unknown console protocol ${JSON.stringify(protocol)}; expected "rfb" or "text".` });
    }
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    const provider = this.connections.get(node.serverId)?.liveProvider;
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.serverName(node.serverId)} is not connected.` });
    if (!provider.openConsole || !provider.capabilities.consoles.includes(protocol)) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${this.serverName(node.serverId)} offers no ${protocol === 'rfb' ? 'graphical' : 'text'} console.` });
    }
    const target = { nativeRef: node.nativeRef, kind: node.kind };
    return this.consoles.open({ nodeId: id, protocol, node: { ...node }, openStream: () => provider.openConsole!(target, protocol, options) });
  }

  private async openLogs(id: string, options: LogsOptions): Promise<ConsoleTicket> {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    const provider = this.connections.get(node.serverId)?.liveProvider;
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.serverName(node.serverId)} is not connected.` });
    if (!provider.openLogs || node.kind !== 'container') {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${node.name} has no log to show.` });
    }
    const target = { nativeRef: node.nativeRef, kind: node.kind };
    return this.consoles.open({ nodeId: id, protocol: 'text', node: { ...node }, openStream: async () => logConsoleStream(await provider.openLogs!(target, options)) });
  }

  // ---- passwords ----

  /** Keeps a password typed in the server dialog: in the keychain when wanted and possible, always in memory for this session. */
  private async keepPassword(server: SavedServer, password: string): Promise<void> {
    this.sessionPasswords.set(server.id, password);
    await this.storeInKeychain(server, password);
  }

  private async storeInKeychain(server: SavedServer, password: string): Promise<void> {
    if (!server.rememberPassword || !this.keychain.available) return;
    try {
      await this.secrets.set(serverSecretAccount(server.id), password);
      this.storedPasswords.add(server.id);
    } catch (e) {
      this.keychain = { available: false, message: toErrorInfo(e).message };
    }
  }

  private async forgetStoredPassword(id: string): Promise<void> {
    if (this.storedPasswords.delete(id) || this.keychain.available) {
      await this.secrets.delete(serverSecretAccount(id)).catch(() => false);
    }
  }

  /** The password to connect with; PASSWORD_REQUIRED when the server needs one we do not have. */
  private async passwordFor(server: SavedServer): Promise<string | undefined> {
    const typed = this.sessionPasswords.get(server.id);
    if (typed !== undefined) return typed;
    if (server.rememberPassword && this.keychain.available) {
      const stored = await this.secrets.get(serverSecretAccount(server.id));
      if (stored !== null) return stored;
      this.storedPasswords.delete(server.id);
    }
    // Servers reached without a user name (Docker's socket or TLS client certificates) need no password.
    if (!server.username) return undefined;
    const why = server.rememberPassword && !this.keychain.available ? ` The OS keychain is not available${this.keychain.message ? ` (${this.keychain.message})` : ''}, so it cannot be remembered.` : '';
    throw new PolyvisorError({ code: 'PASSWORD_REQUIRED', message: `Enter the password for ${server.username}@${server.host}.${why}` });
  }

  // ---- views and events ----

  private connectionFor(id: string): ServerConnection {
    let conn = this.connections.get(id);
    if (!conn) {
      conn = new ServerConnection(id, {
        status: (status) => this.onStatus(id, status),
        inventory: (delta) => this.inventory.apply(delta),
      });
      this.connections.set(id, conn);
    }
    return conn;
  }

  private onStatus(id: string, status: ConnectionStatus): void {
    const server = this.servers.get(id);
    if (!server) return;
    if (status.state === 'disconnected' || status.state === 'error') this.inventory.clearServer(id);
    this.refreshServerNode(server, status);
    this.changed(server);
  }

  private refreshServerNode(server: SavedServer, status = this.connections.get(server.id)?.status): void {
    this.inventory.setServer(server.id, {
      name: server.name,
      type: server.type,
      host: server.host,
      port: server.port,
      connection: status?.state ?? 'disconnected',
      error: status?.error,
    });
  }

  private view(server: SavedServer): ServerView {
    const status = this.connections.get(server.id)?.status ?? { state: 'disconnected' as const };
    const view: ServerView = {
      id: server.id,
      type: server.type,
      name: server.name,
      host: server.host,
      port: server.port,
      username: server.username,
      autoConnect: server.autoConnect,
      rememberPassword: server.rememberPassword,
      hasStoredPassword: this.storedPasswords.has(server.id),
      options: { ...server.options },
      state: status.state,
    };
    if (status.error) view.error = { ...status.error } as ErrorInfo;
    if (status.capabilities) view.capabilities = status.capabilities;
    const pin = this.pins.get(server.host, server.port);
    if (pin) view.pinnedFingerprint = pin.fingerprint256;
    return view;
  }

  private changed(server: SavedServer): ServerView {
    const view = this.view(server);
    this.emit('server:changed', view);
    return view;
  }

  private serverName(serverId: string): string {
    return this.servers.get(serverId)?.name ?? 'The server';
  }

  private emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<E>)(payload);
      } catch (e) {
        this.opts.log?.('error', `A ${event} listener failed: ${toErrorInfo(e).message}`);
      }
    }
  }
}

/** Like XenCenter's default: the VM's name and the local date and time. */
function defaultSnapshotName(vmName: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${vmName} ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

/** A provider may report the created object's native ref or its full node id. */
function resultNodeId(target: TaskTarget, resultId: string): string {
  if (resultId.startsWith(`${target.serverId}:`)) return resultId;
  return target.action === 'snapshot_create' ? nodeId(target.serverId, 'snapshot', resultId) : resultId;
}

