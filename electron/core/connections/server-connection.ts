// One saved server's live connection: owns its provider, follows its state, and
// forwards its inventory and the snapshot policies the server runs itself. A
// generation number makes events from a provider that was replaced or
// disconnected harmless.

import type { Capabilities, ConnectionState, InventoryDelta } from '../../../shared/model';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { Provider, ServerPolicy } from '../providers/provider';

export interface ConnectionStatus {
  state: ConnectionState;
  error?: ErrorInfo;
  capabilities?: Capabilities;
}

export interface ServerConnectionHooks {
  status(status: ConnectionStatus): void;
  inventory(delta: InventoryDelta): void;
  /** the server's own snapshot policies, whole (providers with the `policies` facet); [] once it is no longer connected */
  policies?(policies: ServerPolicy[]): void;
}

export class ServerConnection {
  private provider: Provider | undefined;
  private unsubscribers: Array<() => void> = [];
  private generation = 0;
  private inflight: Promise<void> | undefined;
  private current: ConnectionStatus = { state: 'disconnected' };

  constructor(
    readonly serverId: string,
    private readonly hooks: ServerConnectionHooks,
  ) {}

  get status(): ConnectionStatus {
    return { ...this.current };
  }

  /** The live provider, while connected or reconnecting. */
  get liveProvider(): Provider | undefined {
    return this.current.state === 'connected' || this.current.state === 'reconnecting' ? this.provider : undefined;
  }

  /** Connects with a provider from `create`; resolves when connected or failed (see status). */
  async connect(create: () => Provider): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.current.state === 'connected') return;
    const previous = this.provider;
    this.detach();
    // a replaced provider that fails to close cannot affect the new one (its events are ignored by generation)
    if (previous) await previous.disconnect().catch(() => undefined);

    const generation = ++this.generation;
    this.set({ state: 'connecting' });
    let provider: Provider;
    try {
      provider = create();
    } catch (e) {
      this.set({ state: 'error', error: toErrorInfo(e) });
      return;
    }
    this.provider = provider;
    this.unsubscribers = [
      provider.on('inventory', (delta) => {
        if (generation === this.generation) this.hooks.inventory({ ...delta, serverId: this.serverId });
      }),
      provider.on('state', (state, error) => {
        if (generation === this.generation && this.current.state !== 'connecting') this.onProviderState(state, error);
      }),
      provider.on('policies', (policies) => {
        if (generation === this.generation) this.hooks.policies?.(policies);
      }),
    ];
    const attempt = provider.connect().then(
      () => {
        if (generation !== this.generation) return;
        this.set({ state: 'connected', capabilities: provider.capabilities });
        if (provider.policies) this.hooks.policies?.(provider.policies.list());
      },
      async (e) => {
        if (generation !== this.generation) return;
        this.detach();
        // the connect error below is what the user sees; closing the half-open provider is tidying up
        await provider.disconnect().catch(() => undefined);
        if (generation === this.generation) this.set({ state: 'error', error: toErrorInfo(e) });
      },
    );
    this.inflight = attempt.finally(() => {
      if (generation === this.generation) this.inflight = undefined;
    });
    return this.inflight;
  }

  async disconnect(): Promise<void> {
    this.generation++;
    this.inflight = undefined;
    const provider = this.provider;
    this.detach();
    this.set({ state: 'disconnected' });
    // disconnecting is final from the user's view; a provider that fails to log out leaves nothing to act on
    if (provider) await provider.disconnect().catch(() => undefined);
  }

  /** Marks the connection failed without trying (e.g. no password to try with). */
  fail(error: ErrorInfo): void {
    this.set({ state: 'error', error });
  }

  private onProviderState(state: ConnectionState, error?: ErrorInfo): void {
    const capabilities = this.provider?.capabilities;
    if (state === 'connected') this.set({ state, capabilities });
    else if (state === 'reconnecting') this.set({ state, error, capabilities });
    else if (state === 'error') this.set({ state, error: error ?? { code: 'CONNECTION_FAILED', message: 'The connection failed.' } });
    else if (state === 'disconnected') this.set({ state, error });
  }

  private detach(): void {
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
    this.provider = undefined;
  }

  private set(status: ConnectionStatus): void {
    const hadPolicies = this.current.state === 'connected' || this.current.state === 'reconnecting';
    this.current = status;
    this.hooks.status({ ...status });
    if (hadPolicies && status.state !== 'connected' && status.state !== 'reconnecting') this.hooks.policies?.([]);
  }
}
