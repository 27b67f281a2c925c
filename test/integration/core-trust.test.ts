// Issue 11, findings 1 and 4: a remembered password follows its server, never its
// saved entry to another address; a certificate is trusted only when the core
// itself presented it; a certificate outside its dates is shown with them and
// refused, pinned or not (TLS is verified or pinned, never switched off), until the
// server's certificate is renewed. Against the XAPI simulator, with a
// recording proxy standing for "another host" so we can see what reaches it.

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startHostileProxy, type HostileProxy } from '../peers/hostile-proxy';
import type { ServerCert } from '../sim/xapi/cert';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';

const OPTIONS = { eventTimeoutS: 5, taskPollMs: 50, reconnectMinMs: 100, reconnectMaxMs: 500 };

let real: XapiSimulator;
let other: XapiSimulator;
let home: string;
let core: PolyvisorCore;
const proxies: HostileProxy[] = [];
/** every request body that reached "the other host", as text */
const seenByOther: string[] = [];

async function certValidUntil(notAfterDate: Date, notBeforeDate = new Date(Date.now() - 86_400_000)): Promise<ServerCert> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}

async function proxyTo(sim: XapiSimulator, cert?: ServerCert, record?: string[]): Promise<HostileProxy> {
  const proxy = await startHostileProxy({
    upstream: { host: sim.host, port: sim.port, tls: true },
    listen: { tls: true, ...(cert ? { cert } : {}) },
    rules: record ? [{ match: (r) => (record.push(r.body.toString('utf8')), false), behaviour: { kind: 'redirect-loop' } }] : [],
  });
  proxies.push(proxy);
  return proxy;
}

async function trustAndConnect(server: ServerView, password?: string): Promise<ServerView> {
  const first = await core.invoke('servers:connect', server.id, ...(password ? [password] : []));
  if (first.state === 'connected') return first;
  expect(first.error?.code).toBe('CERT_UNTRUSTED');
  return core.invoke('certs:accept', server.id, first.error!.certificate!.fingerprint256);
}

beforeAll(async () => {
  real = await startXapiSimulator({ generate: { hosts: 1, vms: 2, snapshots: 0 }, password: 'real-secret' });
  other = await startXapiSimulator({ generate: { hosts: 1, vms: 1, snapshots: 0 }, password: 'whatever' });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-trust-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
});
afterAll(async () => {
  await core?.stop();
  for (const p of proxies) await p.close();
  await real?.stop();
  await other?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('a saved password belongs to the endpoint it was given for', () => {
  it('moving a server to another address drops its password: nothing reaches the new host, and the user is told why', async () => {
    const elsewhere = await proxyTo(other, undefined, seenByOther);
    const added = await core.invoke('servers:add', { type: 'xenserver', host: real.host, port: real.port, username: 'root', password: 'real-secret', options: OPTIONS });
    expect((await trustAndConnect(added)).state).toBe('connected');
    expect(added.hasStoredPassword).toBe(true);

    // a caller of the contract (a user editing the address, or a compromised renderer) moves the server
    const moved = await core.invoke('servers:update', added.id, { port: elsewhere.port });
    expect(moved.hasStoredPassword).toBe(false);
    expect(moved.passwordNotice).toBe('endpoint-changed');
    // whatever the caller does next (connect, accept the new address's certificate), the old password is not sent there
    let view = await core.invoke('servers:connect', moved.id);
    if (view.error?.code === 'CERT_UNTRUSTED') view = await core.invoke('certs:accept', moved.id, view.error.certificate!.fingerprint256);
    expect(view.state).toBe('error');
    expect(view.error?.code).toBe('PASSWORD_REQUIRED');
    expect(view.error?.message).toMatch(/changed since its password was saved/);
    expect(seenByOther.join('\n')).not.toContain('real-secret');

    // moving it back does not bring the password back either: it was forgotten, not parked
    const back = await core.invoke('servers:update', added.id, { port: real.port });
    expect(back.hasStoredPassword).toBe(false);
    expect((await core.invoke('servers:connect', added.id)).error?.code).toBe('PASSWORD_REQUIRED');
    await core.invoke('servers:remove', added.id);
  });

  it('a new password typed with the new address is kept for the new address', async () => {
    const added = await core.invoke('servers:add', { type: 'xenserver', host: real.host, port: real.port, username: 'root', password: 'stale', options: OPTIONS });
    const other2 = await proxyTo(real);
    const moved = await core.invoke('servers:update', added.id, { port: other2.port, password: 'real-secret' });
    expect(moved.hasStoredPassword).toBe(true);
    expect(moved.passwordNotice).toBeUndefined();
    expect((await trustAndConnect(moved)).state).toBe('connected');
    await core.invoke('servers:remove', added.id);
  });
});

describe('certificates are trusted only as the core presented them', () => {
  it('refuses a fingerprint the core never presented, and a presentation made for the old address', async () => {
    const proxy = await proxyTo(real);
    const added = await core.invoke('servers:add', { type: 'xenserver', host: real.host, port: proxy.port, username: 'root', password: 'real-secret', options: OPTIONS });
    // nothing presented yet
    await expect(core.invoke('certs:accept', added.id, proxy.cert!.fingerprint256)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    const shown = await core.invoke('servers:connect', added.id);
    expect(shown.error?.certificate?.fingerprint256).toBe(proxy.cert!.fingerprint256);
    // a different fingerprint from the caller
    await expect(core.invoke('certs:accept', added.id, real.fingerprint256)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    // the server moves: what was presented for the old address is void
    await core.invoke('servers:update', added.id, { port: real.port });
    await expect(core.invoke('certs:accept', added.id, proxy.cert!.fingerprint256)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await core.invoke('servers:remove', added.id);
  });
});

describe('certificates outside their dates', () => {
  it('an expired self-signed certificate is shown with its dates and cannot be accepted: nothing is pinned, no password is sent', async () => {
    const expired = await certValidUntil(new Date(Date.now() - 3_600_000), new Date(Date.now() - 86_400_000 * 800));
    const seen: string[] = [];
    const proxy = await proxyTo(real, expired, seen);
    const added = await core.invoke('servers:add', { type: 'xenserver', host: real.host, port: proxy.port, username: 'root', password: 'real-secret', options: OPTIONS });
    const shown = await core.invoke('servers:connect', added.id);
    expect(shown.error).toMatchObject({ code: 'CERT_UNTRUSTED', certificateValidity: 'expired', certificate: { fingerprint256: expired.fingerprint256 } });
    expect(shown.error?.message).toMatch(/expired on .* renew it on the server/);
    await expect(core.invoke('certs:accept', added.id, expired.fingerprint256)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', certificateValidity: 'expired' } });
    expect((await core.invoke('servers:list')).find((s) => s.id === added.id)?.pinnedFingerprint).toBeUndefined();
    expect(seen.join('')).not.toContain('real-secret');
    await core.invoke('servers:remove', added.id);
  });

  it('a pinned certificate that expires later is refused with its dates; the renewed certificate is offered as a change and connects', async () => {
    const soon = await certValidUntil(new Date(Date.now() + 3_000));
    const proxy = await proxyTo(real, soon);
    const added = await core.invoke('servers:add', { type: 'xenserver', host: real.host, port: proxy.port, username: 'root', password: 'real-secret', options: OPTIONS });
    expect((await trustAndConnect(added)).state).toBe('connected');
    await core.invoke('servers:disconnect', added.id);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(new X509Certificate(soon.cert).validTo) - Date.now()) + 1_500));
    const again = await core.invoke('servers:connect', added.id);
    expect(again.error).toMatchObject({ code: 'CERT_UNTRUSTED', certificateValidity: 'expired', certificate: { fingerprint256: soon.fingerprint256 } });
    expect(again.error?.message).toMatch(/you trusted .* expired .* renew it on the server/);
    await expect(core.invoke('certs:accept', added.id, soon.fingerprint256)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    expect(again.pinnedFingerprint).toBe(soon.fingerprint256);

    // the administrator renews the certificate on the server
    const renewed = await certValidUntil(new Date(Date.now() + 86_400_000 * 365));
    await proxy.close();
    proxies.push(await startHostileProxy({ upstream: { host: real.host, port: real.port, tls: true }, listen: { tls: true, cert: renewed, port: proxy.port } }));
    const changed = await core.invoke('servers:connect', added.id);
    expect(changed.error).toMatchObject({ code: 'CERT_CHANGED', certificate: { fingerprint256: renewed.fingerprint256 } });
    expect((await core.invoke('certs:accept', added.id, renewed.fingerprint256)).state).toBe('connected');
    await core.invoke('servers:remove', added.id);
  });
});
