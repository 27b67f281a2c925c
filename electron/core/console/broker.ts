// Plugs the console bridge into the core: `console:open` becomes a one-time
// ws:// URL on loopback, usable only from the app's own page origins.

import type { ConsoleTicket } from '../../../shared/contract';
import type { ConsoleBroker, ConsoleRequest } from '../console-broker';
import { startConsoleBridge, type ConsoleBridge } from './bridge';

export class BridgeConsoleBroker implements ConsoleBroker {
  private readonly origins = new Set<string>();
  private bridge?: Promise<ConsoleBridge>;

  /** e.g. the web host's `http://127.0.0.1:PORT`, or Electron's `app://polyvisor` */
  allowOrigin(origin: string): void {
    this.origins.add(origin);
  }

  async open(request: ConsoleRequest): Promise<ConsoleTicket> {
    this.bridge ??= startConsoleBridge({ isAllowedOrigin: (o) => o !== undefined && this.origins.has(o) });
    return (await this.bridge).issue(request.protocol, request.openStream);
  }

  async close(): Promise<void> {
    const bridge = this.bridge;
    this.bridge = undefined;
    if (bridge) await (await bridge).close();
  }
}
