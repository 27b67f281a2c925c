// How `console:open` reaches the console bridge (electron/core/console/, its own module).
// The core checks the node and its provider; the broker turns a lazily opened
// console stream into a one-time local WebSocket URL for the renderer.

import type { ConsoleTicket } from '../../shared/contract';
import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import type { ConsoleStream } from './providers/provider';

export interface ConsoleRequest {
  nodeId: string;
  protocol: 'rfb' | 'text';
  node: InventoryNode;
  /** opens the console on the hypervisor; call it when the renderer's WebSocket arrives */
  openStream: () => Promise<ConsoleStream>;
}

export interface ConsoleBroker {
  open(request: ConsoleRequest): Promise<ConsoleTicket>;
  /** closes every bridge (app stopping) */
  close?(): Promise<void>;
}

/** Until a console bridge is plugged in. */
export const noConsoleBroker: ConsoleBroker = {
  async open() {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'Consoles are not available in this build.' });
  },
};
