// A pool's member hosts at addresses of their own, for performance data: all of
// 127.0.0.0/8 is loopback on Linux, so the master keeps the simulator's address and
// each member listens on 127.0.0.2, .3, … at the same port (its host.address says so),
// each with a self-signed certificate of its own, as a real host has (host.get_server_certificate
// answers it: rrd/host-certificates.ts). A member serves GET /rrd_updates, /host_rrd and
// /vm_rrd for itself and its resident VMs, as a real member's rrdd does; the master then
// answers for itself only. Only the performance handlers are served there: a member's
// other answers (login's HOST_IS_SLAVE …) are the HOST_IS_SLAVE simulator's business (slaveOf).

import { makeSelfSignedCert, type ServerCert } from '../cert';
import type { SimCore } from '../core';
import { XapiHttpServer } from '../server';
import { registerRrdHandlers, type RrdRequest } from './handlers';

export interface MemberHosts {
  /** the address each host answers at, by host ref */
  readonly addresses: ReadonlyMap<string, string>;
  /** the certificate (PEM) each member serves and host.get_server_certificate announces, by host ref */
  readonly certificates: ReadonlyMap<string, string>;
  /**
   * The member serves another certificate than the one the pool announces for it (a replaced
   * or intercepted host): host.get_server_certificate still answers the announced one.
   */
  presentForeignCertificate(hostRef: string): Promise<void>;
  close(): Promise<void>;
}

/** The pool master's ref (the simulator's address answers for it). */
export function poolMaster(core: SimCore): string | undefined {
  const pool = core.db.records('pool').values().next().value;
  return typeof pool?.master === 'string' ? pool.master : undefined;
}

export async function startMemberHosts(core: SimCore, opts: { masterAddress: string; port: number; tls: boolean; log?: (request: RrdRequest) => void }): Promise<MemberHosts> {
  const master = poolMaster(core);
  const addresses = new Map<string, string>();
  const certificates = new Map<string, string>();
  const servers = new Map<string, XapiHttpServer>();
  let next = 2;
  for (const ref of core.db.records('host').keys()) {
    const address = ref === master ? opts.masterAddress : `127.0.0.${next++}`;
    addresses.set(ref, address);
    core.db.update('host', ref, { address });
    if (ref === master) continue;
    const cert: ServerCert | undefined = opts.tls ? await makeSelfSignedCert(address) : undefined;
    if (cert) certificates.set(ref, cert.cert);
    const server = new XapiHttpServer(core, { tls: cert && { key: cert.key, cert: cert.cert }, jsonRpc: true });
    registerRrdHandlers(server, core, () => opts.port, () => ref, opts.log);
    await server.listen(address, opts.port);
    servers.set(ref, server);
  }
  return {
    addresses,
    certificates,
    async presentForeignCertificate(hostRef) {
      const server = servers.get(hostRef);
      if (!server || !opts.tls) throw new Error(`${hostRef} is not a member host served over TLS`);
      const other = await makeSelfSignedCert(addresses.get(hostRef)!);
      server.setCertificate(other.key, other.cert);
    },
    async close() {
      await Promise.all([...servers.values()].map((s) => s.close()));
    },
  };
}
