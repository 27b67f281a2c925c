// Fault injection, restart, certificate rotation and pool members that answer
// HOST_IS_SLAVE — the situations a client must survive.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error xen-api ships no type declarations
import { Xapi } from 'xen-api';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login, until } from './rpc-client';

const vmIn = (sim: XapiSimulator, state: string) =>
  [...sim.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_control_domain && r.power_state === state)![0];

describe('faults', () => {
  let sim: XapiSimulator;
  let session: string;
  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 1, vms: 6, snapshots: 0 }, tls: false, taskDurationMs: 40 });
    session = await login(sim.url);
  });
  afterAll(() => sim?.stop());

  it('failNext fails the next calls of one method with the given XAPI failure, sync and Async', async () => {
    const vm = vmIn(sim, 'Halted');
    sim.faults.failNext('VM.start', ['HOST_OFFLINE', 'OpaqueRef:somewhere'], 2);
    for (let i = 0; i < 2; i++) {
      expect(await jsonCall(sim.url, 'VM.start', [session, vm, false, false])).toEqual({
        ok: false,
        description: ['HOST_OFFLINE', 'OpaqueRef:somewhere'],
      });
    }
    expect(await jsonCall(sim.url, 'VM.start', [session, vm, false, false])).toEqual({ ok: true, value: null });

    sim.faults.failNext('VM.snapshot', ['SR_FULL', '1', '2']);
    const task = expectOk(await jsonCall(sim.url, 'Async.VM.snapshot', [session, vm, 'x'])) as string;
    const record = async () => expectOk(await jsonCall(sim.url, 'task.get_record', [session, task])) as Record<string, unknown>;
    await until(async () => (await record()).status !== 'pending', 'the task to end');
    const t = await record();
    expect(t).toMatchObject({ status: 'failure', error_info: ['SR_FULL', '1', '2'] });
  });

  it('delay slows one method (or all)', async () => {
    sim.faults.delay(300, 'VM.get_all');
    let t0 = Date.now();
    expectOk(await jsonCall(sim.url, 'VM.get_all', [session]));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    t0 = Date.now();
    expectOk(await jsonCall(sim.url, 'host.get_all', [session]));
    expect(Date.now() - t0).toBeLessThan(250);
    sim.faults.clear();
    t0 = Date.now();
    expectOk(await jsonCall(sim.url, 'VM.get_all', [session]));
    expect(Date.now() - t0).toBeLessThan(250);
  });

  it('dropConnections cuts a long-polling event.from; the server keeps serving', async () => {
    const { token } = expectOk(await jsonCall(sim.url, 'event.from', [session, ['VM'], '', 0])) as { token: string };
    const poll = jsonCall(sim.url, 'event.from', [session, ['VM'], token, 30]);
    await until(() => sim.waitingPolls > 0, 'the long poll to arrive');
    sim.faults.dropConnections();
    await expect(poll).rejects.toThrow();
    expect((await jsonCall(sim.url, 'VM.get_all', [session])).ok).toBe(true);
  });

  it('afterAnswer makes a change once, after the answer was written and not in it', async () => {
    const vm = vmIn(sim, 'Halted');
    const nameOf = async () => (expectOk(await jsonCall(sim.url, 'VM.get_all_records', [session])) as Record<string, { name_label: string }>)[vm]!.name_label;
    sim.faults.afterAnswer('VM.get_all_records', () => sim.db.update('VM', vm, { name_label: 'changed meanwhile' }));
    expect(await nameOf()).not.toBe('changed meanwhile');
    expect(sim.db.get('VM', vm)!.name_label).toBe('changed meanwhile');
    sim.db.update('VM', vm, { name_label: 'changed again' });
    expect(await nameOf()).toBe('changed again');
    expect(sim.db.get('VM', vm)!.name_label).toBe('changed again');
  });

  it('restart keeps data, address and port, and invalidates every session', async () => {
    const vm = vmIn(sim, 'Halted');
    expectOk(await jsonCall(sim.url, 'VM.set_name_label', [session, vm, 'survives restart']));
    const port = sim.port;
    await sim.restart();
    expect(sim.port).toBe(port);
    expect(await jsonCall(sim.url, 'VM.get_all', [session])).toEqual({ ok: false, description: ['SESSION_INVALID', session] });
    session = await login(sim.url);
    expect(expectOk(await jsonCall(sim.url, 'VM.get_name_label', [session, vm]))).toBe('survives restart');
  });
});

function peerFingerprint(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fp);
    });
    socket.on('error', reject);
  });
}

describe('TLS', () => {
  it('serves the certificate it reports, and a new one after rotateCertificate', async () => {
    const sim = await startXapiSimulator({ generate: { hosts: 1, vms: 1, snapshots: 0 } });
    try {
      expect(sim.url).toBe(`https://127.0.0.1:${sim.port}`);
      expect(sim.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const oldPem = sim.certPem;
      const old = sim.fingerprint256;
      expect(await peerFingerprint(sim.port, oldPem)).toBe(old);
      await sim.rotateCertificate();
      expect(sim.fingerprint256).not.toBe(old);
      expect(await peerFingerprint(sim.port, sim.certPem)).toBe(sim.fingerprint256);
      await expect(peerFingerprint(sim.port, oldPem)).rejects.toThrow();
    } finally {
      await sim.stop();
    }
  });
});

describe('pool member (HOST_IS_SLAVE)', () => {
  let master: XapiSimulator;
  let member: XapiSimulator;
  beforeAll(async () => {
    master = await startXapiSimulator({ generate: { hosts: 2, vms: 3, snapshots: 0 }, tls: false, poolName: 'Master pool' });
    // same port on another loopback address: the client keeps its port when redirected
    member = await startXapiSimulator({
      generate: { hosts: 1, vms: 1, snapshots: 0 },
      host: '127.0.0.2',
      port: master.port,
      tls: false,
      slaveOf: { host: '127.0.0.1' },
      poolName: 'Member pool',
    });
  });
  afterAll(async () => {
    await member?.stop();
    await master?.stop();
  });

  it('answers every login with HOST_IS_SLAVE and the master address', async () => {
    expect(member.port).toBe(master.port);
    expect(await jsonCall(member.url, 'session.login_with_password', ['root', 'password'])).toEqual({
      ok: false,
      description: ['HOST_IS_SLAVE', '127.0.0.1'],
    });
    expect(await jsonCall(member.url, 'session.login_with_password', ['root', 'wrong'])).toEqual({
      ok: false,
      description: ['HOST_IS_SLAVE', '127.0.0.1'],
    });
  });

  it('sends the xen-api client on to the master', async () => {
    const xapi = new Xapi({ url: member.url, auth: { user: 'root', password: 'password' }, transport: 'json-rpc', watchEvents: false });
    try {
      await xapi.connect();
      expect(xapi.pool.name_label).toBe('Master pool');
    } finally {
      await xapi.disconnect();
    }
  });
});
