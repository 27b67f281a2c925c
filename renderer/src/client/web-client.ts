// Web mode: the contract over one WebSocket (shared/wire.ts), reconnecting when the socket drops.
import type { ChannelArgs, ChannelResult, Channel, EventMap, EventName, PolyvisorClient } from '../../../shared/contract';
import { PolyvisorError, type ErrorInfo } from '../../../shared/errors';
import { WEB_API_PATH, WEB_TOKEN_PARAM, type ClientMessage, type ServerMessage } from '../../../shared/wire';

export type LinkState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface WebClientOptions {
  /** ws(s)://host:port/api?token=… */
  url: string;
  /** delay before the first reconnect attempt; doubles up to maxDelayMs */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export class WebClient implements PolyvisorClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** invokes made while the socket is not open yet */
  private readonly queue: ClientMessage[] = [];
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly linkListeners = new Set<(state: LinkState, reopened: boolean) => void>();
  private delay: number;
  private everOpened = false;
  private closedByUser = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  linkState: LinkState = 'connecting';

  constructor(private readonly options: WebClientOptions) {
    this.delay = options.initialDelayMs ?? 250;
    this.open();
  }

  invoke<C extends Channel>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>> {
    // JSON has no undefined: an omitted optional argument must stay omitted, not become null
    const sent: unknown[] = [...args];
    while (sent.length && sent[sent.length - 1] === undefined) sent.pop();
    const message: ClientMessage = { type: 'invoke', id: this.nextId++, channel, args: sent };
    return new Promise<ChannelResult<C>>((resolve, reject) => {
      this.pending.set(message.id, { resolve: resolve as (v: unknown) => void, reject });
      if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
      else this.queue.push(message);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set!.delete(listener as (payload: never) => void);
  }

  /** Link state of the socket; `reopened` is true when the link came back after a drop (state must be reloaded). */
  onLink(listener: (state: LinkState, reopened: boolean) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  close(): void {
    this.closedByUser = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close();
  }

  private setLink(state: LinkState, reopened = false): void {
    this.linkState = state;
    for (const l of this.linkListeners) l(state, reopened);
  }

  private open(): void {
    this.setLink('connecting');
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      const reopened = this.everOpened;
      this.everOpened = true;
      this.delay = this.options.initialDelayMs ?? 250;
      for (const m of this.queue.splice(0)) socket.send(JSON.stringify(m));
      this.setLink('open', reopened);
    };
    socket.onmessage = (ev) => this.receive(String(ev.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      // requests in flight are lost with the socket: fail them rather than hang
      const lost: ErrorInfo = { code: 'CONNECTION_FAILED', message: 'Connection to the Polyvisor service was lost' };
      const queuedIds = new Set(this.queue.map((m) => m.id));
      for (const [id, p] of this.pending) {
        if (queuedIds.has(id)) continue;
        this.pending.delete(id);
        p.reject(new PolyvisorError(lost));
      }
      this.setLink('closed');
      if (this.closedByUser) return;
      this.reconnectTimer = setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, this.options.maxDelayMs ?? 5000);
    };
  }

  private receive(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      // the host only sends JSON; a frame that is not cannot be matched to a request or an event
      return;
    }
    if (message.type === 'reply') {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.reply.ok) p.resolve(message.reply.value);
      else p.reject(new PolyvisorError(message.reply.error));
    } else if (message.type === 'event') {
      const set = this.listeners.get(message.event);
      if (!set) return;
      for (const l of set) (l as (payload: unknown) => void)(message.payload);
    }
  }
}

/** The API URL for a page served at http://127.0.0.1:PORT/ with its token (see web-token.ts). */
export function apiUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WEB_API_PATH}?${WEB_TOKEN_PARAM}=${encodeURIComponent(token)}`;
}
