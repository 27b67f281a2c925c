// The performance data handlers one address serves: GET /rrd_updates, /host_rrd and
// /vm_rrd. `hostRef`: the host answering at this address (member hosts); absent: the
// simulator answers for the whole pool (its /host_rrd is then the master's).

import type http from 'node:http';
import type { SimCore } from '../core';
import type { XapiHttpServer } from '../server';
import { hostRrdHandler, vmRrdHandler } from './rrd-dump';
import { rrdUpdatesHandler } from './rrd-updates';

/** One performance data request as a host received it (tests count them). */
export interface RrdRequest {
  /** the host ref answering at that address, undefined where the simulator answers for the whole pool */
  hostRef?: string;
  path: string;
  query: URLSearchParams;
}

/** `port`: the pool's HTTPS port (every host listens on the same one); `log`: told of every request. */
export function registerRrdHandlers(server: XapiHttpServer, core: SimCore, port: () => number, hostRef?: () => string | undefined, log?: (request: RrdRequest) => void): void {
  const addressOf = (ref: string) => {
    const address = core.db.get('host', ref)?.address;
    return typeof address === 'string' && address ? address : undefined;
  };
  const logged = (path: string, handler: (query: URLSearchParams, res: http.ServerResponse) => void) => (query: URLSearchParams, res: http.ServerResponse) => {
    log?.({ hostRef: hostRef?.(), path, query });
    handler(query, res);
  };
  server.rawHandlers.set('GET /rrd_updates', logged('/rrd_updates', rrdUpdatesHandler(core, hostRef)));
  server.rawHandlers.set('GET /host_rrd', logged('/host_rrd', hostRrdHandler(core, hostRef ?? (() => core.masterHost()))));
  server.rawHandlers.set('GET /vm_rrd', logged('/vm_rrd', vmRrdHandler(core, hostRef, addressOf, port)));
}
