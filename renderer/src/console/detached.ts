// Detaching a console into a window of its own (issue 18). The main window opens the
// app's own page with a one-time console ticket in its fragment (shared/detached-console.ts);
// the detached window asks its opener (same origin) for a new ticket and the VM's current
// state when it has to reconnect, so it needs no connection of its own to the core.
import type { ConsoleTicket } from '../../../shared/contract';
import { detachedConsoleHash } from '../../../shared/detached-console';
import { PolyvisorError } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { useStore } from '../store/store';
import { openTicket } from './console-session';

/** What a detached console window may ask the window that opened it. */
export interface DetachedConsoleHost {
  ticket(nodeId: string): Promise<ConsoleTicket>;
  node(nodeId: string): InventoryNode | undefined;
  /** calls `listener` with the node each time it changes (undefined once it is gone); returns the unsubscribe */
  watch(nodeId: string, listener: (node: InventoryNode | undefined) => void): () => void;
}

declare global {
  interface Window {
    polyvisorDetachedHost?: DetachedConsoleHost;
  }
}

export async function detachConsole(node: InventoryNode, language: string): Promise<Window> {
  window.polyvisorDetachedHost ??= {
    ticket: (id) => openTicket(id, 'rfb'),
    node: (id) => useStore.getState().index.nodes.get(id),
    watch: (id, listener) =>
      useStore.subscribe((state, previous) => {
        const node = state.index.nodes.get(id);
        if (node !== previous.index.nodes.get(id)) listener(node);
      }),
  };
  const ticket = await openTicket(node.id, 'rfb');
  const hash = detachedConsoleHash({
    nodeId: node.id,
    name: node.name,
    ticket: ticket.url,
    language,
    theme: document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light',
  });
  // the page without its query: the detached window starts no app of its own
  const url = `${window.location.origin}${window.location.pathname}${hash}`;
  const opened = window.open(url, `polyvisor-console-${node.id.replace(/[^A-Za-z0-9]/g, '-')}`, 'popup,width=1024,height=800');
  if (!opened) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'The console window was blocked: allow pop-ups for this page.' });
  return opened;
}

/** In the detached window: its opener, while it is still open. */
export function detachedHost(): DetachedConsoleHost | null {
  try {
    return (window.opener as Window | null)?.polyvisorDetachedHost ?? null;
  } catch (e) {
    console.warn('console: the main window cannot be reached', e);
    return null;
  }
}
