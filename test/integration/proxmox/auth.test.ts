// Authentication, CSRF, tickets, API tokens, certificates and reconnection:
// the provider and raw HTTPS requests against the simulator.

import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { isPolyvisorError, type PolyvisorError } from '../../../shared/errors';
import type { ConnectionState } from '../../../shared/model';
import { Mirror, providerFor, reporter, waitFor } from './helpers';

async function failure(p: Promise<unknown>): Promise<PolyvisorError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isPolyvisorError(e)) throw new Error(`expected a PolyvisorError, got ${String(e)}`);
  return e;
}

interface RawResponse {
  status: number;
  reason: string;
  body: { data: unknown; message?: string };
}

/** One HTTPS request trusting exactly the simulator's certificate. */
function raw(sim: ProxmoxSimulator, method: string, path: string, headers: Record<string, string> = {}, form?: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : '';
    const req = https.request(
      {
        host: sim.host,
        port: sim.port,
        method,
        path: `/api2/json${path}`,
        ca: sim.certPem,
        headers: { ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('Proxmox authentication', () => {
  let sim: ProxmoxSimulator;
  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 60 });
    sim.addApiToken('root@pam', 'polyvisor', '5f0e2c1a-6d3b-4f7e-9a21-0c8d7e6f5a4b');
  });
  afterAll(() => sim?.stop());

  it('refuses a wrong password with AUTH_FAILED and sends no inventory', async () => {
    const provider = providerFor(sim, { password: 'Tr0ub4dor&3' });
    const mirror = new Mirror(provider);
    const e = await failure(provider.connect());
    expect(e.code).toBe('AUTH_FAILED');
    expect(JSON.stringify(e.info)).not.toContain('Tr0ub4dor');
    expect(mirror.deltas).toEqual([]);
    await provider.disconnect();
  });

  it('asks for the password when none is known', async () => {
    const provider = providerFor(sim, { password: undefined });
    expect((await failure(provider.connect())).code).toBe('PASSWORD_REQUIRED');
  });

  it('logs in with the realm in the user name too', async () => {
    const provider = providerFor(sim, { username: 'root@pam' }, { realm: 'pve' });
    await provider.connect();
    await provider.disconnect();
  });

  it('works with an API token: inventory and a write without any CSRF token', async () => {
    const before = sim.stats().passwordLogins;
    const provider = providerFor(sim, { username: 'root@pam', password: '5f0e2c1a-6d3b-4f7e-9a21-0c8d7e6f5a4b' }, { tokenId: 'polyvisor' });
    const mirror = new Mirror(provider);
    try {
      await provider.connect();
      expect(mirror.get('vm', 'qemu/100')).toBeDefined();
      await provider.runAction({ nativeRef: 'qemu/102', kind: 'vm' }, 'snapshot_create', { name: 'by_token' }, reporter());
      expect(sim.state.guest(102)!.snapshots.has('by_token')).toBe(true);
      const task = [...sim.tasks.tasks.values()].at(-1)!;
      expect(task.user).toBe('root@pam!polyvisor');
      expect(sim.stats().passwordLogins).toBe(before);
    } finally {
      await provider.disconnect();
    }
  });

  it('takes the token id whole, as PVE shows it (user@realm!name), with no user name', async () => {
    const provider = providerFor(sim, { username: '', password: '5f0e2c1a-6d3b-4f7e-9a21-0c8d7e6f5a4b' }, { tokenId: 'root@pam!polyvisor' });
    await provider.connect();
    await provider.disconnect();
  });

  it('refuses a wrong API token secret with AUTH_FAILED', async () => {
    const provider = providerFor(sim, { username: 'root@pam', password: 'not-the-secret' }, { tokenId: 'polyvisor' });
    expect((await failure(provider.connect())).code).toBe('AUTH_FAILED');
  });

  describe('CSRF at the HTTP level', () => {
    let cookie: string;
    let csrf: string;
    beforeAll(async () => {
      const login = await raw(sim, 'POST', '/access/ticket', {}, { username: 'root@pam', password: 'password' });
      const data = login.body.data as { ticket: string; CSRFPreventionToken: string };
      cookie = `PVEAuthCookie=${encodeURIComponent(data.ticket)}`;
      csrf = data.CSRFPreventionToken;
    });

    it('refuses a write without the CSRF token, like pveproxy (401), and changes nothing', async () => {
      const tasksBefore = sim.tasks.tasks.size;
      const res = await raw(sim, 'POST', '/nodes/node1/qemu/200/snapshot', { Cookie: cookie }, { snapname: 'nocsrf' });
      expect(res.status).toBe(401);
      expect(res.reason).toBe('Permission denied - invalid csrf token');
      expect(sim.tasks.tasks.size).toBe(tasksBefore);
      const forged = await raw(sim, 'POST', '/nodes/node1/qemu/200/snapshot', { Cookie: cookie, CSRFPreventionToken: csrf.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }, { snapname: 'nocsrf' });
      expect(forged.status).toBe(401);
    });

    it('accepts the write with the token, and reads without it', async () => {
      const ok = await raw(sim, 'POST', '/nodes/node1/qemu/200/snapshot', { Cookie: cookie, CSRFPreventionToken: csrf }, { snapname: 'withcsrf' });
      expect(ok.status).toBe(200);
      expect(ok.body.data).toMatch(/^UPID:node1:/);
      const read = await raw(sim, 'GET', '/cluster/resources', { Cookie: cookie });
      expect(read.status).toBe(200);
    });

    it('refuses requests without a ticket and with a forged one', async () => {
      expect((await raw(sim, 'GET', '/version')).status).toBe(401);
      const forged = cookie.replace(/%3A%3A.{4}/, '%3A%3AAAAA');
      expect((await raw(sim, 'GET', '/version', { Cookie: forged })).reason).toBe('permission denied - invalid PVE ticket');
    });
  });
});

describe('Proxmox ticket expiry', () => {
  it('logs in again once when the server says the ticket expired (401), and carries on', async () => {
    const sim = await startProxmoxSimulator({ ticketLifetimeMs: 2000 });
    const provider = providerFor(sim, {}, { pollIntervalMs: 300 });
    const mirror = new Mirror(provider);
    const states: ConnectionState[] = [];
    provider.on('state', (s) => states.push(s));
    try {
      await provider.connect();
      // the server refuses the expired ticket once; the provider logs in again
      await waitFor(() => sim.stats().refusals['permission denied - invalid PVE ticket'] >= 1, 'the server to refuse the expired ticket');
      sim.state.guest(200)!.name = 'after-expiry';
      await mirror.until(() => mirror.get('vm', 'qemu/200')?.name === 'after-expiry', 'the rename after the new login');
      const stats = sim.stats();
      expect(stats.passwordLogins).toBeGreaterThanOrEqual(2);
      expect(states).toEqual([]);
    } finally {
      await provider.disconnect();
      await sim.stop();
    }
  });

  it('renews the ticket with the ticket itself before it expires, without a single 401', async () => {
    const sim = await startProxmoxSimulator({ ticketLifetimeMs: 4000 });
    const provider = providerFor(sim, {}, { pollIntervalMs: 300, ticketLifetimeMs: 2000 });
    try {
      await provider.connect();
      // renewals at 3/4 of 2 s, while the server would refuse the ticket only after 4 s
      await waitFor(() => sim.stats().ticketRenewals >= 2, 'two ticket renewals');
      const stats = sim.stats();
      expect(stats.passwordLogins).toBe(1);
      expect(stats.refusals).toEqual({});
    } finally {
      await provider.disconnect();
      await sim.stop();
    }
  });
});

describe('Proxmox certificates', () => {
  let sim: ProxmoxSimulator;
  let other: ProxmoxSimulator;
  beforeAll(async () => {
    [sim, other] = await Promise.all([startProxmoxSimulator({}), startProxmoxSimulator({})]);
  });
  afterAll(async () => {
    await sim?.stop();
    await other?.stop();
  });

  it('reports an unknown self-signed certificate as CERT_UNTRUSTED with its fingerprint', async () => {
    const provider = providerFor(sim, { tls: {} });
    const e = await failure(provider.connect());
    expect(e.code).toBe('CERT_UNTRUSTED');
    expect(e.info.certificate?.fingerprint256).toBe(sim.fingerprint256);
    expect(e.info.certificate?.pem).toContain('BEGIN CERTIFICATE');
  });

  it('reports a certificate other than the pinned one as CERT_CHANGED', async () => {
    const provider = providerFor(sim, { tls: { pinnedFingerprint: other.fingerprint256, pinnedPem: other.certPem } });
    const e = await failure(provider.connect());
    expect(e.code).toBe('CERT_CHANGED');
    expect(e.info.pinnedFingerprint).toBe(other.fingerprint256);
    expect(e.info.certificate?.fingerprint256).toBe(sim.fingerprint256);
  });

  it('connects once the presented certificate is pinned', async () => {
    const provider = providerFor(sim, { tls: { pinnedFingerprint: sim.fingerprint256, pinnedPem: sim.certPem } });
    await provider.connect();
    await provider.disconnect();
  });
});

describe('Proxmox reconnection', () => {
  it('reports reconnecting while the server is down, then sends what changed meanwhile as a diff, not a second reset', async () => {
    const sim = await startProxmoxSimulator({});
    const provider = providerFor(sim, {}, { pollIntervalMs: 150, reconnectDelayMs: 100, reconnectMaxMs: 400 });
    const mirror = new Mirror(provider);
    const states: ConnectionState[] = [];
    provider.on('state', (s) => states.push(s));
    try {
      await provider.connect();
      const restarted = sim.restart(1500);
      await waitFor(() => states.includes('reconnecting'), 'the provider to notice the server is down');
      sim.state.removeGuest(200);
      sim.state.guest(102)!.name = 'renamed-while-down';
      await restarted;
      await waitFor(() => states.includes('connected'), 'the provider to be back');
      await mirror.until(() => !mirror.get('vm', 'qemu/200') && mirror.get('vm', 'qemu/102')?.name === 'renamed-while-down', 'the changes made while down');
      expect(states).toEqual(['reconnecting', 'connected']);
      expect(mirror.deltas.filter((d) => d.reset)).toHaveLength(1);
      const after = mirror.deltas.slice(1);
      expect(after.flatMap((d) => d.remove)).toEqual(['srv-pve:vm:qemu/200']);
      // only the renamed guest, not the whole cluster again
      expect(after.flatMap((d) => d.upsert.map((n) => n.id))).toEqual(['srv-pve:vm:qemu/102']);
      expect(mirror.get('vm', 'qemu/100')).toBeDefined();
    } finally {
      await provider.disconnect();
      await sim.stop();
    }
  });
});
