// Live connections to saved servers: connect (with the password from the
// credentials service), disconnect, reconnect all, and trust on first use. A
// certificate is accepted only when it is exactly the one the core itself
// presented for that server's current address (a fingerprint from anywhere else
// is refused), and a presentation is forgotten as soon as the server changes.

import type { ServerView } from '../../../shared/contract';
import { PolyvisorError, toErrorInfo, type CertificateInfo, type ErrorInfo } from '../../../shared/errors';
import { ServerConnection, type ConnectionStatus } from '../connections/server-connection';
import { startBounded } from '../connections/bounded-start';
import { connectOrder } from '../connections/connect-order';
import type { LastKnownTrees } from '../connections/last-known-trees';
import type { InventoryStore } from '../inventory/inventory-store';
import type { Provider, ProviderConfig, ServerPolicy } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { SavedServer } from '../servers/saved-server';
import type { ServerStore } from '../servers/server-store';
import type { PinStore } from '../tls/pin-store';
import { outsideDatesRefusal } from '../tls/classify';
import { normalizeFingerprint } from '../tls/trust';
import type { CredentialService } from './credentials';

export interface ConnectionHooks {
  /** the server's view changed (state, error, capabilities) */
  changed(server: SavedServer): void;
  /** the snapshot policies a server runs itself, whole; [] when it is no longer connected */
  policies?(serverId: string, policies: ServerPolicy[]): void;
  log?: ProviderConfig['log'];
  limits?: ProviderConfig['limits'];
  /** runs one connection attempt as a task the user sees; `attempt` resolves with its failure, if any */
  asTask?(server: SavedServer, attempt: () => Promise<ErrorInfo | undefined>): Promise<void>;
  /** the servers' last known trees: shown while a server is not live, and the connecting order's sizes */
  lastKnown?: LastKnownTrees;
  /** how many servers connect at once when many are started together (default 8) */
  connectLimit?(): number;
  /** how long one connecting server may hold its place among those (default 10 s) */
  connectSlotMs?: number;
}

interface Presentation {
  certificate: CertificateInfo;
  /** the server's address when it was presented */
  host: string;
  port: number;
  validity?: ErrorInfo['certificateValidity'];
}

export class ConnectionService {
  private readonly connections = new Map<string, ServerConnection>();
  private readonly presented = new Map<string, Presentation>();

  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly credentials: CredentialService,
    private readonly pins: PinStore,
    private readonly inventory: InventoryStore,
    private readonly hooks: ConnectionHooks,
  ) {}

  status(id: string): ConnectionStatus {
    return this.connections.get(id)?.status ?? { state: 'disconnected' };
  }

  /** The provider of a connected (or reconnecting) server. */
  liveProvider(id: string): Provider | undefined {
    return this.connections.get(id)?.liveProvider;
  }

  async connect(id: string, password?: string): Promise<void> {
    const server = this.servers.require(id);
    const factory = this.registry.require(server.type);
    const conn = this.connectionFor(id);
    if (password) this.credentials.typeOnce(server, password);
    if (conn.status.state === 'connected' && !password) return;
    if (password && conn.status.state !== 'disconnected' && conn.status.state !== 'error') await conn.disconnect();
    let secret: string | undefined;
    try {
      secret = await this.credentials.passwordFor(server);
    } catch (e) {
      conn.fail(toErrorInfo(e));
      return;
    }
    this.presented.delete(id);
    const attempt = async () => {
      await conn.connect(() => factory.create(this.providerConfig(server, secret)));
      return conn.status.state === 'connected' ? undefined : (conn.status.error ?? { code: 'CONNECTION_FAILED' as const, message: `${server.name} did not connect.` });
    };
    if (this.hooks.asTask) await this.hooks.asTask(server, attempt);
    else await attempt();
    const status = conn.status;
    if (status.state === 'connected' && secret !== undefined) await this.credentials.confirmTyped(server, secret);
    if (status.error?.code === 'AUTH_FAILED') this.credentials.rejectTyped(id);
  }

  /** The user's Disconnect: the tree goes (as XenCenter's does); its file stays, the last known tree of the next start. */
  async disconnect(id: string): Promise<void> {
    const server = this.servers.require(id);
    await this.connections.get(id)?.disconnect();
    if (this.hooks.lastKnown?.hide(id)) {
      this.inventory.clearServer(id);
      this.hooks.changed(server);
    }
  }

  /** Connects every server that is neither connected nor on its way. */
  async reconnectAll(): Promise<void> {
    const targets = this.servers.list().filter((s) => {
      const state = this.status(s.id).state;
      return state === 'disconnected' || state === 'error';
    });
    await this.connectMany(targets);
  }

  async connectAutomatic(): Promise<void> {
    await this.connectMany(this.servers.list().filter((s) => s.autoConnect));
  }

  /** A bounded number at once, in the connecting order (connect-order.ts): a slow or dead server holds up the rest for at most a slot's time. */
  private async connectMany(targets: SavedServer[]): Promise<void> {
    const ordered = connectOrder(targets, (s) => this.hooks.lastKnown?.size(s.id) ?? 0);
    await startBounded(ordered, (s) => this.connect(s.id), { limit: this.hooks.connectLimit?.() ?? 8, slotMs: this.hooks.connectSlotMs });
  }

  /** The server's address, type or user changed: reconnect if it was live, forget any pending certificate. */
  async serverChanged(before: SavedServer, after: SavedServer, passwordTyped: boolean): Promise<void> {
    this.presented.delete(after.id);
    const endpointChanged =
      before.host !== after.host || before.port !== after.port || before.username !== after.username || JSON.stringify(before.options) !== JSON.stringify(after.options);
    const conn = this.connections.get(after.id);
    if ((before.host !== after.host || before.port !== after.port) && this.hooks.lastKnown?.at(after.id) !== undefined) {
      // the tree shown as last known is another address's: it would be wrong under this one
      await this.hooks.lastKnown.remove(after.id);
      this.inventory.clearServer(after.id);
    }
    if (!conn || conn.status.state === 'disconnected' || conn.status.state === 'error') return;
    if (endpointChanged || passwordTyped) {
      await conn.disconnect();
      await this.connect(after.id);
    }
  }

  async serverRemoved(id: string): Promise<void> {
    this.presented.delete(id);
    const conn = this.connections.get(id);
    this.connections.delete(id);
    if (conn) await conn.disconnect();
    await this.hooks.lastKnown?.remove(id);
  }

  /** Trusts the certificate the core presented for this server, if the fingerprint is that one; then connects. */
  async acceptCertificate(id: string, fingerprint: string): Promise<void> {
    const server = this.servers.require(id);
    const shown = this.presented.get(id);
    if (!shown || shown.host !== server.host || shown.port !== server.port) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'This server has no certificate waiting for a decision; connect to it first.' });
    }
    if (normalizeFingerprint(fingerprint) !== normalizeFingerprint(shown.certificate.fingerprint256)) {
      throw new PolyvisorError({
        code: 'INVALID_INPUT',
        message: `The fingerprint ${fingerprint} is not the one the server presented (${shown.certificate.fingerprint256}); nothing was trusted.`,
      });
    }
    if (shown.validity) throw outsideDatesRefusal(shown.certificate, shown.validity);
    this.presented.delete(id);
    await this.pins.pin(shown.certificate);
    await this.connect(id);
  }

  async forgetCertificate(id: string): Promise<void> {
    const server = this.servers.require(id);
    await this.pins.forget(server.host, server.port);
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.connections.values()].map((c) => c.disconnect()));
  }

  view(server: SavedServer): ServerView {
    const status = this.status(server.id);
    const view: ServerView = {
      id: server.id,
      type: server.type,
      name: server.name,
      host: server.host,
      port: server.port,
      username: server.username,
      autoConnect: server.autoConnect,
      rememberPassword: server.rememberPassword,
      hasStoredPassword: this.credentials.hasStored(server.id),
      options: { ...server.options },
      state: status.state,
    };
    if (status.error) view.error = { ...status.error };
    if (status.capabilities) view.capabilities = status.capabilities;
    const lastKnownAt = status.state === 'connected' ? undefined : this.hooks.lastKnown?.at(server.id);
    if (lastKnownAt !== undefined) view.lastKnownAt = lastKnownAt;
    const pin = this.pins.get(server.host, server.port);
    if (pin) view.pinnedFingerprint = pin.fingerprint256;
    const access = status.state === 'connected' ? this.liveProvider(server.id)?.access?.session() : undefined;
    if (access) view.access = access;
    if (this.credentials.droppedForEndpointChange(server.id)) view.passwordNotice = 'endpoint-changed';
    return view;
  }

  private providerConfig(server: SavedServer, password: string | undefined): ProviderConfig {
    return {
      serverId: server.id,
      host: server.host,
      port: server.port,
      username: server.username,
      password,
      options: { ...server.options },
      tls: this.pins.trustFor(server.host, server.port),
      trustFor: (host, port) => this.pins.trustFor(host, port),
      log: this.hooks.log,
      ...(this.hooks.limits ? { limits: this.hooks.limits } : {}),
    };
  }

  private connectionFor(id: string): ServerConnection {
    let conn = this.connections.get(id);
    if (!conn) {
      conn = new ServerConnection(id, {
        status: (status) => this.onStatus(id, status),
        inventory: (delta) => {
          this.inventory.apply(delta);
          this.hooks.lastKnown?.providerDelta(delta);
        },
        policies: (policies) => this.hooks.policies?.(id, policies),
      });
      this.connections.set(id, conn);
    }
    return conn;
  }

  private onStatus(id: string, status: ConnectionStatus): void {
    const server = this.servers.get(id);
    if (!server) return;
    const cert = status.error?.certificate;
    if (cert && (status.error?.code === 'CERT_UNTRUSTED' || status.error?.code === 'CERT_CHANGED')) {
      this.presented.set(id, { certificate: cert, host: server.host, port: server.port, validity: status.error.certificateValidity });
    }
    const lastKnown = this.hooks.lastKnown;
    if (status.state === 'connected') lastKnown?.live(id);
    const offline = status.state === 'disconnected' || status.state === 'error';
    // with the cache on, a server that is not live keeps its tree as last known; without it, the tree goes
    if (lastKnown?.active && (offline || status.state === 'reconnecting')) lastKnown.offline(id);
    else if (offline) this.inventory.clearServer(id);
    this.refreshServerNode(server, status);
    this.hooks.changed(server);
  }

  refreshServerNode(server: SavedServer, status = this.status(server.id)): void {
    this.inventory.setServer(server.id, {
      name: server.name,
      type: server.type,
      host: server.host,
      port: server.port,
      connection: status.state,
      error: status.error,
    });
  }
}
