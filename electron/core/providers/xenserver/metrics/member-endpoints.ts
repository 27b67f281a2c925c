// Where a host's performance data is asked: a real host's rrdd knows only that host and
// the VMs resident on it, so a member's data comes from the member's own address (its
// host.address, the pool's port), with the master's session — as XenCenter asks. A
// member's certificate is not the master's: it is pinned through the master session
// (host.get_server_certificate) and the member must present exactly that certificate;
// verification is never switched off. A member that presents another one is refused.

import { X509Certificate } from 'node:crypto';
import type https from 'node:https';
import type { PeerCertificate } from 'node:tls';
import { PolyvisorError } from '../../../../../shared/errors';
import { httpsAgent, isCertificateError, normalizeFingerprint, type TlsTrust } from '../../../tls/trust';
import { serverName } from '../http-post';
import type { XapiRecord } from '../records';
import type { XapiSession } from '../session';

export interface Endpoint {
  host: string;
  port: number;
  agent: https.Agent;
  /** the host ref asked, undefined for the address we are logged in to */
  member?: string;
}

export interface MemberEndpointsContext {
  session(): XapiSession;
  trustAt(host: string, port: number): TlsTrust;
  host(ref: string): XapiRecord | undefined;
}

interface MemberAgent {
  address: string;
  fingerprint: string;
  agent: https.Agent;
}

export class MemberEndpoints {
  private readonly members = new Map<string, Promise<MemberAgent>>();

  constructor(private readonly ctx: MemberEndpointsContext) {}

  /** The member's address with an agent that accepts only the certificate the pool announces for it. */
  async at(hostRef: string): Promise<Endpoint> {
    const session = this.ctx.session();
    const address = this.addressOf(hostRef);
    let pending = this.members.get(hostRef);
    const known = pending ? await pending.catch(() => undefined) : undefined;
    if (!pending || !known || known.address !== address) {
      if (known) known.agent.destroy();
      pending = this.pin(session, hostRef, address);
      this.members.set(hostRef, pending);
      pending.catch(() => this.members.delete(hostRef));
    }
    const member = await pending;
    return { host: member.address, port: session.port, agent: member.agent, member: hostRef };
  }

  /** A certificate failure at a member as the user reads it; the pin is asked again next time. */
  refusal(endpoint: Endpoint, err: unknown): unknown {
    if (!endpoint.member || !isCertificateError(err)) return err;
    const pinned = this.members.get(endpoint.member);
    this.members.delete(endpoint.member);
    void pinned?.then((m) => m.agent.destroy(), () => undefined);
    const name = String(this.ctx.host(endpoint.member)?.name_label ?? endpoint.member);
    return new PolyvisorError({
      code: 'CERT_CHANGED',
      message:
        `The host ${name} (${serverName(endpoint.host, endpoint.port)}) presented a certificate that is not the one the pool says it has ` +
        `(host.get_server_certificate): its performance data was not read. The certificate may have been replaced, or someone may be intercepting the connection.`,
    });
  }

  close(): void {
    for (const pending of this.members.values()) void pending.then((m) => m.agent.destroy(), () => undefined);
    this.members.clear();
  }

  private addressOf(hostRef: string): string {
    const address = this.ctx.host(hostRef)?.address;
    if (typeof address !== 'string' || !address) {
      throw new PolyvisorError({ code: 'NOT_FOUND', message: `The pool gives no address for host ${hostRef}: its performance data cannot be read.` });
    }
    return address.replace(/^\[|\]$/g, '');
  }

  private async pin(session: XapiSession, hostRef: string, address: string): Promise<MemberAgent> {
    const pem = String(await session.call('host.get_server_certificate', hostRef));
    let fingerprint: string;
    try {
      fingerprint = normalizeFingerprint(new X509Certificate(pem).fingerprint256);
    } catch (err) {
      throw new PolyvisorError({ code: 'SERVER_ERROR', message: `The pool sent no usable certificate for host ${hostRef} (host.get_server_certificate).` }, { cause: err });
    }
    const trust = { ...this.ctx.trustAt(address, session.port), pinnedPem: pem, pinnedFingerprint: fingerprint };
    const agent = httpsAgent(trust, {
      // exactly the announced certificate, even one a public authority signed
      checkServerIdentity: (_host: string, cert: PeerCertificate) =>
        normalizeFingerprint(cert.fingerprint256) === fingerprint ? undefined : Object.assign(new Error('the certificate is not the one the pool announces for this host'), { code: 'HOSTNAME_MISMATCH' }),
    });
    return { address, fingerprint, agent };
  }
}
