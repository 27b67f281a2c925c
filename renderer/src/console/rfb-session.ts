// One graphical console outside React: noVNC on the console bridge's one-time
// WebSocket, drawn into an element of its own so the console can be kept alive
// while its tab is closed (console-keeper.ts) and shown again without reconnecting.
// Reconnects with a new ticket when the socket closes while the VM still runs
// (a reboot restarts the VM's VNC server) and when the VM moved to another host.
import RFB from '@novnc/novnc';
import type { ConsoleTicket } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { closeError, errorOf, hasLiveConsole, openTicket, reconnectDelay, type ConsolePhase } from './console-session';
import { pressCombo, type KeyPress } from './keysyms';

export interface RfbSessionState {
  phase: ConsolePhase;
  error: ErrorInfo | null;
  /** how many times this console connected (1 = never reconnected) */
  connections: number;
  /** the guest's last clipboard text (RFB ServerCutText) */
  guestClipboard: string | null;
  /** why the OS clipboard could not be read or written (the browser's or OS's refusal) */
  clipboardError: string | null;
  clipboardShared: boolean;
  scaled: boolean;
}

export interface RfbSessionOptions {
  /** thumbnails: no keyboard, mouse or clipboard, a coarser picture */
  viewOnly?: boolean;
  /** start without connecting until setPaused(false) (a thumbnail not yet in sight) */
  paused?: boolean;
  scaled?: boolean;
  /** share the clipboard both ways: the guest's cut text to the OS clipboard, the OS clipboard to the guest on focus */
  clipboard?: boolean;
  /** e.g. the detached window's ticket from its opener */
  ticket?: (nodeId: string) => Promise<ConsoleTicket>;
}

export class RfbSession {
  /** noVNC draws in here; the view moves it into its frame and back */
  readonly element: HTMLDivElement;
  private node: InventoryNode;
  private rfb: RFB | null = null;
  private state: RfbSessionState;
  private readonly listeners = new Set<() => void>();
  private everConnected = false;
  private failedReconnects = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private disposed = false;
  private paused = false;
  /** the text both sides last agreed on: not sent back to where it came from */
  private lastClipboard: string | null = null;

  constructor(node: InventoryNode, private readonly options: RfbSessionOptions = {}) {
    this.node = node;
    this.state = { phase: 'opening', error: null, connections: 0, guestClipboard: null, clipboardError: null, clipboardShared: options.clipboard ?? false, scaled: options.scaled ?? true };
    this.element = document.createElement('div');
    this.element.className = 'console-screen';
    this.paused = options.paused ?? false;
    if (this.paused) this.state = { ...this.state, phase: 'paused' };
    this.connectIfLive();
  }

  get nodeId(): string {
    return this.node.id;
  }

  getState = (): RfbSessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The node changed: stop when it stopped, start when it started, follow it when it moved to another host. */
  update(node: InventoryNode): void {
    const moved = node.parentId !== this.node.parentId && this.rfb !== null;
    const wasLive = hasLiveConsole(this.node);
    this.node = node;
    const live = hasLiveConsole(node);
    if (!live) return this.stop('stopped');
    if (!wasLive || moved) this.reconnect();
  }

  /** Opens a new console (after a failure, or to follow the VM). */
  reconnect(): void {
    this.disconnectNow();
    this.connectIfLive();
  }

  /** Thumbnails out of sight: close the socket until shown again. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) this.stop('paused');
    else this.connectIfLive();
  }

  setScaled(scaled: boolean): void {
    if (this.rfb) this.rfb.scaleViewport = scaled;
    this.set({ scaled });
  }

  setClipboardShared(on: boolean): void {
    this.set({ clipboardShared: on, clipboardError: null });
  }

  /**
   * The OS clipboard → the guest's (RFB ClientCutText), when sharing is on: called as the
   * console takes the focus, as XenCenter hands its clipboard over when its console is entered.
   */
  async offerOsClipboard(): Promise<void> {
    if (!this.state.clipboardShared || this.options.viewOnly || !this.rfb) return;
    let text: string;
    try {
      text = await navigator.clipboard.readText();
    } catch (e) {
      console.warn('console: the OS clipboard could not be read', e);
      return this.set({ clipboardError: e instanceof Error ? e.message : String(e) });
    }
    if (!text || text === this.lastClipboard) return;
    this.lastClipboard = text;
    this.rfb?.clipboardPasteFrom(text);
  }

  sendCombo(keys: readonly KeyPress[]): void {
    if (this.rfb) pressCombo(this.rfb, keys);
  }

  typeKeys(keys: readonly KeyPress[]): void {
    const rfb = this.rfb;
    if (!rfb) return;
    for (const key of keys) rfb.sendKey(key.keysym, key.code);
  }

  focus(): void {
    this.rfb?.focus();
  }

  toBlob(callback: (blob: Blob | null) => void): void {
    if (this.rfb) this.rfb.toBlob(callback, 'image/png');
    else callback(null);
  }

  dispose(): void {
    this.disposed = true;
    this.disconnectNow();
    this.element.remove();
    this.listeners.clear();
  }

  private set(patch: Partial<RfbSessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  private stop(phase: ConsolePhase): void {
    this.disconnectNow();
    this.set({ phase });
  }

  private disconnectNow(): void {
    this.attempt++; // whatever the previous attempt still does is stale now
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rfb = this.rfb;
    this.rfb = null;
    rfb?.disconnect();
  }

  private connectIfLive(): void {
    if (this.disposed || this.paused) return;
    if (!hasLiveConsole(this.node)) return this.set({ phase: 'stopped' });
    const attempt = ++this.attempt;
    this.set({ phase: this.everConnected ? 'reconnecting' : 'opening' });
    void this.connect(attempt);
  }

  private retryLater(attempt: number, why: ErrorInfo | null): void {
    if (attempt !== this.attempt || this.disposed) return;
    if (!hasLiveConsole(this.node)) return this.set({ phase: 'stopped' });
    if (!this.everConnected) return this.set({ phase: 'failed', error: why });
    this.set({ phase: 'reconnecting', error: why });
    this.timer = setTimeout(() => this.connectIfLive(), reconnectDelay(this.failedReconnects++));
  }

  private async connect(attempt: number): Promise<void> {
    let url: string;
    try {
      url = (await (this.options.ticket ?? ((id) => openTicket(id, 'rfb')))(this.node.id)).url;
    } catch (e) {
      return this.retryLater(attempt, errorOf(e));
    }
    if (attempt !== this.attempt || this.disposed) return;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let closedWith: ErrorInfo | null = null;
    ws.addEventListener('close', (ev) => (closedWith = closeError(ev.code, ev.reason)));
    const rfb = new RFB(this.element, ws, { shared: true });
    rfb.scaleViewport = this.state.scaled;
    rfb.viewOnly = this.options.viewOnly ?? false;
    if (rfb.viewOnly) {
      rfb.qualityLevel = 2;
      rfb.compressionLevel = 9;
    }
    rfb.background = 'rgb(30, 30, 30)';
    this.rfb = rfb;
    rfb.addEventListener('connect', () => {
      this.everConnected = true;
      this.failedReconnects = 0;
      this.set({ phase: 'connected', error: null, connections: this.state.connections + 1 });
    });
    rfb.addEventListener('clipboard', (ev) => {
      const text = (ev as CustomEvent<{ text: string }>).detail.text;
      // a server may announce the same text twice: writing it again could overwrite a newer copy on this computer
      if (this.options.viewOnly || !this.state.clipboardShared || text === this.lastClipboard) return;
      this.lastClipboard = text;
      this.set({ guestClipboard: text, clipboardError: null });
      navigator.clipboard.writeText(text).catch((e: unknown) => {
        console.warn('console: the OS clipboard could not be written', e);
        this.set({ clipboardError: e instanceof Error ? e.message : String(e) });
      });
    });
    rfb.addEventListener('disconnect', () => {
      if (this.rfb === rfb) this.rfb = null;
      // the close event may come after noVNC's disconnect: give it a moment to tell why
      setTimeout(() => this.retryLater(attempt, closedWith), 50);
    });
  }
}
