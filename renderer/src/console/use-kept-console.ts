// The Console tab's graphical console from the keeper: the parked one when the VM's
// console is still open, shown in the tab's frame and parked again when the tab closes.
import { useEffect, useLayoutEffect, useState, useSyncExternalStore, type RefObject } from 'react';
import type { InventoryNode } from '../../../shared/model';
import { consoleKeeper } from './console-keeper';
import type { RfbSession, RfbSessionState } from './rfb-session';

/** Clipboard sharing starts on, as in XenCenter's consoles; each console has its switch. */
const NEW_CONSOLE = { clipboard: true, scaled: true } as const;

const NO_STATE: RfbSessionState = { phase: 'opening', error: null, connections: 0, guestClipboard: null, clipboardError: null, clipboardShared: true, scaled: true };
const noSubscribe = () => () => undefined;

export function useKeptConsole(node: InventoryNode, frame: RefObject<HTMLElement | null>): { session: RfbSession | null; state: RfbSessionState } {
  const [session, setSession] = useState<RfbSession | null>(null);
  useLayoutEffect(() => {
    const kept = consoleKeeper.acquire(node, NEW_CONSOLE);
    frame.current?.appendChild(kept.element);
    setSession(kept);
    return () => consoleKeeper.release(kept);
    // the node's changes reach the session below; a new node is a new console
  }, [node.id]);
  useEffect(() => session?.update(node), [session, node]);
  const state = useSyncExternalStore(session?.subscribe ?? noSubscribe, session?.getState ?? (() => NO_STATE));
  return { session, state };
}
