// The performance data handlers one address serves: GET /rrd_updates, /host_rrd and
// /vm_rrd. `hostRef`: the host answering at this address (member hosts); absent: the
// simulator answers for the whole pool (its /host_rrd is then the master's).

import type { SimCore } from '../core';
import type { XapiHttpServer } from '../server';
import { hostRrdHandler, vmRrdHandler } from './rrd-dump';
import { rrdUpdatesHandler } from './rrd-updates';

/** `port`: the pool's HTTPS port (every host listens on the same one). */
export function registerRrdHandlers(server: XapiHttpServer, core: SimCore, port: () => number, hostRef?: () => string | undefined): void {
  const addressOf = (ref: string) => {
    const address = core.db.get('host', ref)?.address;
    return typeof address === 'string' && address ? address : undefined;
  };
  server.rawHandlers.set('GET /rrd_updates', rrdUpdatesHandler(core, hostRef));
  server.rawHandlers.set('GET /host_rrd', hostRrdHandler(core, hostRef ?? (() => core.masterHost())));
  server.rawHandlers.set('GET /vm_rrd', vmRrdHandler(core, hostRef, addressOf, port));
}
