// The Console tab's graphical console from the keeper: the parked one when the VM's
// console is still open, parked again when the tab closes.
import { useEffect, useLayoutEffect, useState } from 'react';
import type { InventoryNode } from '../../../shared/model';
import { consoleKeeper } from './console-keeper';
import type { RfbSession } from './rfb-session';

/** Clipboard sharing starts on, as in XenCenter's consoles; each console has its switch. */
const NEW_CONSOLE = { clipboard: true, scaled: true } as const;

export function useKeptConsole(node: InventoryNode): RfbSession | null {
  const [session, setSession] = useState<RfbSession | null>(null);
  useLayoutEffect(() => {
    const kept = consoleKeeper.acquire(node, NEW_CONSOLE);
    setSession(kept);
    return () => consoleKeeper.release(kept);
    // only a new node is a new console: the node's changes reach the session below
  }, [node.id]);
  useEffect(() => session?.update(node), [session, node]);
  return session;
}
