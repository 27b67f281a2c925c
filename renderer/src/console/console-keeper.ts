// Graphical consoles that stay open while the selection is elsewhere, as XenCenter
// keeps each VM's console alive: a console whose tab closes is parked in a hidden
// element, still connected, and shown again as it was. Only the `keep` most recently
// shown ones are parked (least recently used closed first), and a parked console
// nobody looked at for `idleMs` is closed. Settings → Consoles sets both.
import type { InventoryNode } from '../../../shared/model';
import { useStore } from '../store/store';
import { RfbSession, type RfbSessionOptions } from './rfb-session';

export interface KeeperLimits {
  /** parked consoles kept connected; 0 closes a console when its tab closes */
  keep: number;
  idleMs: number;
}

export const DEFAULT_KEEPER_LIMITS: KeeperLimits = { keep: 4, idleMs: 15 * 60_000 };

interface Kept {
  session: RfbSession;
  /** views showing it now */
  shown: number;
  idleTimer?: ReturnType<typeof setTimeout>;
}

export class ConsoleKeeper {
  // insertion order is use order: the first entry is the least recently shown
  private readonly kept = new Map<string, Kept>();
  private parking: HTMLDivElement | null = null;
  private limits: KeeperLimits = DEFAULT_KEEPER_LIMITS;

  constructor(private readonly makeSession: (node: InventoryNode, options: RfbSessionOptions) => RfbSession = (n, o) => new RfbSession(n, o)) {}

  /** The node's console, the parked one when there is one, else a new one. */
  acquire(node: InventoryNode, options: RfbSessionOptions): RfbSession {
    let entry = this.kept.get(node.id);
    if (entry) this.kept.delete(node.id);
    else entry = { session: this.makeSession(node, options), shown: 0 };
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    entry.shown++;
    this.kept.set(node.id, entry);
    entry.session.update(node);
    return entry.session;
  }

  /** The view closed: park the console (still connected) within the limits. */
  release(session: RfbSession): void {
    const entry = this.kept.get(session.nodeId);
    if (!entry || entry.session !== session) return;
    entry.shown = Math.max(0, entry.shown - 1);
    if (entry.shown > 0) return;
    this.park().appendChild(session.element);
    // a view that closes and opens again at once (React re-mounting) finds its console still there
    entry.idleTimer = setTimeout(() => this.close(session.nodeId), this.limits.keep > 0 ? this.limits.idleMs : 0);
    if (this.limits.keep > 0) this.enforceLimit();
  }

  configure(limits: KeeperLimits): void {
    this.limits = limits;
    this.enforceLimit();
  }

  /** Follows the inventory: a parked VM that stopped, moved or vanished. */
  nodesChanged(lookup: (id: string) => InventoryNode | undefined): void {
    for (const [id, entry] of [...this.kept]) {
      const node = lookup(id);
      if (!node) this.close(id);
      else entry.session.update(node);
    }
  }

  /** Parked consoles, least recently shown first. */
  parked(): string[] {
    return [...this.kept].filter(([, e]) => e.shown === 0).map(([id]) => id);
  }

  private close(id: string): void {
    const entry = this.kept.get(id);
    if (!entry || entry.shown > 0) return;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    this.kept.delete(id);
    entry.session.dispose();
  }

  private enforceLimit(): void {
    const parked = this.parked();
    for (const id of parked.slice(0, Math.max(0, parked.length - this.limits.keep))) this.close(id);
  }

  private park(): HTMLDivElement {
    if (!this.parking) {
      this.parking = document.createElement('div');
      this.parking.hidden = true;
      this.parking.dataset.testid = 'console-parking';
      document.body.appendChild(this.parking);
    }
    return this.parking;
  }
}

/** Settings → limits (absent settings keep the defaults). */
export function keeperLimitsOf(settings: { consolesKept?: number; consoleIdleMinutes?: number } | null | undefined): KeeperLimits {
  return {
    keep: settings?.consolesKept ?? DEFAULT_KEEPER_LIMITS.keep,
    idleMs: settings?.consoleIdleMinutes !== undefined ? settings.consoleIdleMinutes * 60_000 : DEFAULT_KEEPER_LIMITS.idleMs,
  };
}

/** The window's one keeper, following the store's inventory and settings. */
export const consoleKeeper = new ConsoleKeeper();
consoleKeeper.configure(keeperLimitsOf(useStore.getState().settings));

useStore.subscribe((state, previous) => {
  if (state.index !== previous.index) consoleKeeper.nodesChanged((id) => state.index.nodes.get(id));
  if (state.settings !== previous.settings) consoleKeeper.configure(keeperLimitsOf(state.settings));
});
