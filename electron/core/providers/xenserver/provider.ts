// A live connection to one XenServer/XCP-ng pool: login, one `reset` with the whole
// inventory, then event.from long polls turned into deltas; on any drop it goes
// 'reconnecting', retries with capped jittered backoff, resyncs and says 'connected'.

import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError, isPolyvisorError, toErrorInfo, type ErrorInfo } from '../../../../shared/errors';
import { POWER_ACTIONS, type ActionName, type Capabilities, type ConnectionState } from '../../../../shared/model';
import type { ActionResult, ConsoleStream, Provider, ProviderConfig, ProviderEvents, TaskReporter } from '../provider';
import { ProviderListeners } from '../common/provider-listeners';
import { runVmAction } from './actions';
import { openXapiConsole } from './console';
import { fetchEverything, waitForEvents, type Snapshot } from './events';
import { InventoryTracker } from './inventory';
import { openSession, type TransportChoice, type XapiSession } from './session';
import type { TransportKind } from './transport';
import { jitter, sleep } from '../../util/timing';

export interface XenServerOptions {
  transport: TransportChoice;
  /** event.from timeout (XenCenter: 30 s) */
  eventTimeoutS: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  taskPollMs: number;
  callTimeoutMs: number;
}

export function readOptions(options: ProviderConfig['options']): XenServerOptions {
  const number = (key: string, fallback: number) => {
    const v = Number(options[key]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const transport = String(options.transport ?? 'auto');
  return {
    transport: transport === 'jsonrpc' || transport === 'xmlrpc' ? transport : 'auto',
    eventTimeoutS: number('eventTimeoutS', 30),
    reconnectMinMs: number('reconnectMinMs', 1_000),
    reconnectMaxMs: number('reconnectMaxMs', 30_000),
    taskPollMs: number('taskPollMs', 500),
    callTimeoutMs: number('callTimeoutMs', 120_000),
  };
}

/** Errors a retry cannot fix: the user has to act. */
function isFatal(err: unknown): boolean {
  return isPolyvisorError(err, 'AUTH_FAILED') || isPolyvisorError(err, 'CERT_CHANGED') || isPolyvisorError(err, 'CERT_UNTRUSTED');
}

export class XenServerProvider implements Provider {
  readonly type = 'xenserver' as const;
  readonly capabilities: Capabilities = {
    snapshotKinds: ['disk', 'memory'],
    consoles: ['rfb', 'text'],
    powerActions: [...POWER_ACTIONS],
  };

  private readonly options: XenServerOptions;
  private readonly listeners = new ProviderListeners();
  private readonly tracker: InventoryTracker;
  private session: XapiSession | null = null;
  private stop: AbortController | null = null;
  private watching: Promise<void> | null = null;
  private learnedTransport: TransportKind | undefined;

  constructor(private readonly config: ProviderConfig) {
    this.options = readOptions(config.options);
    this.tracker = new InventoryTracker(config.serverId);
  }

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void {
    return this.listeners.on(event, listener);
  }

  async connect(): Promise<void> {
    if (this.stop) return;
    const stop = new AbortController();
    this.stop = stop;
    try {
      const session = await this.login(stop.signal);
      let snapshot: Snapshot;
      try {
        snapshot = await fetchAbortable(session, stop.signal);
      } catch (err) {
        session.abort();
        throw err;
      }
      if (stop.signal.aborted) {
        session.abort();
        throw new PolyvisorError({ code: 'CANCELLED', message: 'The connection was closed while connecting.' });
      }
      this.tracker.load(snapshot.tables);
      this.session = session;
      this.emitInventory(this.tracker.resetDelta());
      this.log('info', `connected to ${session.host}:${session.port} over ${session.transportKind}`);
      this.watching = this.watch(session, snapshot.token, stop.signal);
    } catch (err) {
      if (this.stop === stop) this.stop = null;
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    const stop = this.stop;
    if (!stop) return;
    this.stop = null;
    stop.abort();
    const session = this.session;
    this.session = null;
    if (session) await session.close();
    await this.watching;
    this.watching = null;
  }

  async runAction(
    target: { nativeRef: string; kind: string },
    action: ActionName,
    params: ActionParams,
    task: TaskReporter,
  ): Promise<ActionResult> {
    const session = () => {
      if (!this.session) {
        throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'Not connected to the server; try again once it is back.' });
      }
      return this.session;
    };
    session();
    return runVmAction(
      { serverId: this.config.serverId, session, tracker: this.tracker, taskPollMs: this.options.taskPollMs },
      target,
      action,
      params,
      task,
    );
  }

  openConsole(target: { nativeRef: string; kind: string }, protocol: 'rfb' | 'text'): Promise<ConsoleStream> {
    return openXapiConsole({ session: this.session, trust: this.config.tls }, target, protocol);
  }

  private async login(signal: AbortSignal): Promise<XapiSession> {
    const { host, port, username, password, tls } = this.config;
    const session = await openSession({
      host,
      port,
      username,
      password: password ?? '',
      trust: tls,
      trustFor: this.config.trustFor,
      transport: this.learnedTransport ?? this.options.transport,
      callTimeoutMs: this.options.callTimeoutMs,
      signal,
    });
    // an XML-RPC-only host stays one: reconnects need not probe /jsonrpc again
    if (this.options.transport === 'auto') this.learnedTransport = session.transportKind;
    return session;
  }

  private async watch(first: XapiSession, firstToken: string, signal: AbortSignal): Promise<void> {
    let session = first;
    let token = firstToken;
    while (!signal.aborted) {
      try {
        const batch = await waitForEvents(session, token, this.options.eventTimeoutS);
        token = batch.token;
        if (batch.events.length) {
          const delta = this.tracker.applyEvents(batch.events);
          if (delta) this.emitInventory(delta);
        }
      } catch (err) {
        if (signal.aborted) return;
        this.log('warn', `event stream interrupted: ${toErrorInfo(err).message}`);
        session.abort();
        if (this.session === session) this.session = null;
        const resumed = await this.reconnect(err, signal);
        if (!resumed) return;
        ({ session, token } = resumed);
      }
    }
  }

  private async reconnect(cause: unknown, signal: AbortSignal): Promise<{ session: XapiSession; token: string } | null> {
    this.emitState('reconnecting', toErrorInfo(cause));
    let delay = this.options.reconnectMinMs;
    while (!signal.aborted) {
      let session: XapiSession | null = null;
      try {
        session = await this.login(signal);
        const snapshot = await fetchAbortable(session, signal);
        if (signal.aborted) break;
        this.tracker.load(snapshot.tables);
        this.session = session;
        const delta = this.tracker.resyncDelta();
        if (delta.upsert.length || delta.remove.length) this.emitInventory(delta);
        this.emitState('connected');
        return { session, token: snapshot.token };
      } catch (err) {
        session?.abort();
        if (signal.aborted) break;
        if (isFatal(err)) {
          this.emitState('error', toErrorInfo(err));
          if (this.stop?.signal === signal) this.stop = null;
          return null;
        }
        this.log('debug', `reconnect failed: ${toErrorInfo(err).message}`);
        await sleep(jitter(delay), signal);
        delay = Math.min(delay * 2, this.options.reconnectMaxMs);
      }
    }
    return null;
  }

  private emitInventory(delta: Parameters<ProviderEvents['inventory']>[0]): void {
    this.listeners.inventory(delta);
  }

  private emitState(state: ConnectionState, error?: ErrorInfo): void {
    this.listeners.state(state, error);
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.config.log?.(level, message);
  }
}

/** The initial load can be large: a disconnect must not wait for it. */
async function fetchAbortable(session: XapiSession, signal: AbortSignal): Promise<Snapshot> {
  const abort = () => session.abort();
  signal.addEventListener('abort', abort);
  try {
    return await fetchEverything(session);
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

