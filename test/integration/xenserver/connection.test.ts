// Login, pool-master redirect and the certificate policy, on both transports.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError, type PolyvisorError } from '../../../shared/errors';
import { normalizeFingerprint } from '../../../electron/core/tls/trust';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, pinned, TRANSPORTS } from './harness';
import path from 'node:path';
import { XAPI_DB_DIR } from '../../shared-dir';

const DB = path.join(XAPI_DB_DIR, 'state4.xml');

async function connectError(harness: Harness): Promise<PolyvisorError> {
  const err = await harness.provider.connect().then(
    () => new Error('connected, but should not have'),
    (e: unknown) => e,
  );
  await harness.provider.disconnect();
  if (!isPolyvisorError(err)) throw err;
  return err;
}

describe.each(TRANSPORTS)('XenServer connection over %s', (transport) => {
  let sim: XapiSimulator;
  let other: XapiSimulator;

  beforeAll(async () => {
    sim = await startXapiSimulator({ db: DB, jsonRpc: transport === 'jsonrpc' });
    // a second server, only for its (different) certificate
    other = await startXapiSimulator({ generate: { hosts: 1, vms: 1, snapshots: 0 }, host: '127.0.0.3' });
  });
  afterAll(async () => {
    await sim?.stop();
    await other?.stop();
  });

  it('connects when the pinned certificate is the one served', async () => {
    const harness = new Harness(sim, { transport: 'auto' });
    await harness.provider.connect();
    expect(harness.nodes.size).toBeGreaterThan(0);
    await harness.provider.disconnect();
  });

  it('refuses a wrong password with AUTH_FAILED', async () => {
    const err = await connectError(new Harness(sim, { transport: 'auto', password: 'wrong' }));
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.info.serverCode).toBe('SESSION_AUTHENTICATION_FAILED');
    expect(err.message).not.toContain('wrong');
  });

  it('reports an unknown self-signed certificate as CERT_UNTRUSTED, with the certificate', async () => {
    const err = await connectError(new Harness(sim, { transport: 'auto', trust: {} }));
    expect(err.code).toBe('CERT_UNTRUSTED');
    expect(err.info.certificate?.fingerprint256).toBe(normalizeFingerprint(sim.fingerprint256));
    expect(err.info.certificate?.port).toBe(sim.port);
    expect(err.info.certificate?.pem).toContain('BEGIN CERTIFICATE');
  });

  it('reports a pinned fingerprint that differs from the served one as CERT_CHANGED', async () => {
    const err = await connectError(new Harness(sim, { transport: 'auto', trust: pinned(other) }));
    expect(err.code).toBe('CERT_CHANGED');
    expect(err.info.certificate?.fingerprint256).toBe(normalizeFingerprint(sim.fingerprint256));
    expect(err.info.pinnedFingerprint).toBe(normalizeFingerprint(other.fingerprint256));
  });

  it('refuses a refused port with CONNECTION_FAILED', async () => {
    const closed = await startXapiSimulator({ generate: { hosts: 1, vms: 1, snapshots: 0 } });
    const info = { host: closed.host, port: closed.port, fingerprint256: closed.fingerprint256, certPem: closed.certPem };
    await closed.stop();
    const err = await connectError(new Harness(info, { transport: 'auto' }));
    expect(err.code).toBe('CONNECTION_FAILED');
  });

  it('goes to error with CERT_CHANGED when the certificate is replaced while connected', async () => {
    const rotating = await startXapiSimulator({ db: DB, jsonRpc: transport === 'jsonrpc' });
    try {
      const harness = new Harness(rotating, { transport: 'auto' });
      await harness.provider.connect();
      const oldFingerprint = rotating.fingerprint256;
      await rotating.rotateCertificate();
      rotating.faults.dropConnections();
      const failed = await harness.until(() => harness.states.find((s) => s.state === 'error'), 20_000, 'error state');
      expect(harness.states[0]!.state).toBe('reconnecting');
      expect(failed.error?.code).toBe('CERT_CHANGED');
      expect(failed.error?.certificate?.fingerprint256).toBe(normalizeFingerprint(rotating.fingerprint256));
      expect(failed.error?.pinnedFingerprint).toBe(normalizeFingerprint(oldFingerprint));
      // it stops retrying: the user has to decide
      const count = harness.states.length;
      // longer than the longest reconnect delay (500 ms): a retry would have happened in it
      await new Promise((r) => setTimeout(r, 700));
      expect(harness.states.length).toBe(count);
      await harness.provider.disconnect();
    } finally {
      await rotating.stop();
    }
  });
});

describe.each(TRANSPORTS)('XenServer pool member redirect over %s', (transport) => {
  let master: XapiSimulator;
  let member: XapiSimulator;

  beforeAll(async () => {
    master = await startXapiSimulator({ db: DB, host: '127.0.0.1', poolName: 'The master pool', jsonRpc: transport === 'jsonrpc' });
    member = await startXapiSimulator({
      db: DB,
      host: '127.0.0.2',
      port: master.port,
      slaveOf: { host: '127.0.0.1' },
      poolName: 'not me',
      jsonRpc: transport === 'jsonrpc',
    });
  });
  afterAll(async () => {
    await member?.stop();
    await master?.stop();
  });

  it('follows HOST_IS_SLAVE to the master, keeping the port', async () => {
    const harness = new Harness(member, {
      transport: 'auto',
      trust: { extraCa: [member.certPem, master.certPem] },
    });
    await harness.provider.connect();
    const pool = harness.ofKind('pool')[0]!;
    expect(pool.name).toBe('The master pool');
    await harness.provider.disconnect();
  });

  it("asks about the master's certificate when only the member's is trusted", async () => {
    const err = await connectError(new Harness(member, { transport: 'auto' }));
    expect(err.code).toBe('CERT_UNTRUSTED');
    expect(err.info.certificate?.host).toBe('127.0.0.1');
    expect(err.info.certificate?.port).toBe(master.port);
    expect(err.info.certificate?.fingerprint256).toBe(normalizeFingerprint(master.fingerprint256));
    expect(err.info.redirectTo).toBe('127.0.0.1');
  });
});
