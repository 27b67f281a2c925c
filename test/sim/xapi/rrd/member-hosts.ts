// A pool's member hosts at addresses of their own, for performance data: all of
// 127.0.0.0/8 is loopback on Linux, so the master keeps the simulator's address and
// each member listens on 127.0.0.2, .3, … at the same port (its host.address says so),
// with the pool's certificate. A member serves GET /rrd_updates for itself and its
// resident VMs, as a real member's rrdd does; the master then answers for itself only.
// Only the performance handlers are served there: a member's other answers (login's
// HOST_IS_SLAVE …) are the HOST_IS_SLAVE simulator's business (slaveOf).

import type { SimCore } from '../core';
import { XapiHttpServer } from '../server';
import { rrdUpdatesHandler } from './rrd-updates';

export interface MemberHosts {
  /** the address each host answers at, by host ref */
  readonly addresses: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/** The pool master's ref (the simulator's address answers for it). */
export function poolMaster(core: SimCore): string | undefined {
  const pool = core.db.records('pool').values().next().value;
  return typeof pool?.master === 'string' ? pool.master : undefined;
}

export async function startMemberHosts(core: SimCore, opts: { masterAddress: string; port: number; tls?: { key: string; cert: string } }): Promise<MemberHosts> {
  const master = poolMaster(core);
  const addresses = new Map<string, string>();
  const servers: XapiHttpServer[] = [];
  let next = 2;
  for (const ref of core.db.records('host').keys()) {
    const address = ref === master ? opts.masterAddress : `127.0.0.${next++}`;
    addresses.set(ref, address);
    core.db.update('host', ref, { address });
    if (ref === master) continue;
    const server = new XapiHttpServer(core, { tls: opts.tls, jsonRpc: true });
    server.rawHandlers.set('GET /rrd_updates', rrdUpdatesHandler(core, () => ref));
    await server.listen(address, opts.port);
    servers.push(server);
  }
  return {
    addresses,
    async close() {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
