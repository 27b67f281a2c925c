// What every console view shares: asking the core for a one-time ticket, and
// when to try again after the console's socket closed.

import type { ConsoleOptions, ConsoleTicket } from '../../../shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { getClient } from '../client';

export type ConsolePhase =
  /** asking for a ticket and connecting */
  | 'opening'
  | 'connected'
  /** the socket closed while the VM still runs (e.g. it rebooted): a new ticket follows shortly */
  | 'reconnecting'
  /** text consoles: the shell ended; the user may open another */
  | 'ended'
  /** the console could not be opened; `error` says why */
  | 'failed'
  /** the VM or container does not run: there is no console to show */
  | 'stopped'
  /** a thumbnail out of sight: disconnected until it is seen again */
  | 'paused';

export function openTicket(nodeId: string, protocol: 'rfb' | 'text', options?: ConsoleOptions): Promise<ConsoleTicket> {
  return getClient().client.invoke('console:open', nodeId, protocol, options);
}

/** Only a running machine has a console (a paused one still shows its frozen screen). */
export function hasLiveConsole(node: InventoryNode): boolean {
  return node.state === 'running' || node.state === 'paused' || node.state === 'unhealthy';
}

const RECONNECT_DELAYS_MS = [1500, 2000, 3000, 5000, 8000, 10_000];

/** Delay before reconnect attempt number `attempt` (0-based). */
export function reconnectDelay(attempt: number): number {
  return RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)];
}

/** The bridge closes with 1011 and `CODE: message` when the console could not be opened. */
export function closeError(code: number, reason: string): ErrorInfo | null {
  if (code !== 1011) return null;
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(reason);
  // toErrorInfo keeps only the codes of shared/errors.ts; anything else becomes INTERNAL
  if (m) return toErrorInfo({ code: m[1], message: m[2] });
  return { code: 'CONNECTION_FAILED', message: reason };
}

export function errorOf(e: unknown): ErrorInfo {
  return toErrorInfo(e);
}
