// `polyvisor pool join` and `pool eject` as real processes against two XAPI simulators on
// one port at two loopback addresses (a pool on 127.0.0.1, a standalone host on
// 127.0.0.2): every outcome is read back from the simulators' own records.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { makeStandalone } from '../sim/xapi/standalone';
import { openCliProfile, type CliProfile } from './cli-profile';
import { otherSession } from './xenserver/harness';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let pool: XapiSimulator;
let lone: XapiSimulator;

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

const loneUuid = () => (lone.db.records('host').values().next().value as { uuid: string }).uuid;
const poolHostUuids = () => [...pool.db.records('host').values()].map((h) => h.uuid as string);
const firstGuest = () => [...lone.db.records('VM')].find(([, v]) => !v.is_control_domain && !v.is_a_template && !v.is_a_snapshot)![0];

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, pool] = await Promise.all([
    openCliProfile('cli-pool'),
    startXapiSimulator({ generate: { hosts: 2, vms: 2, snapshots: 0 }, poolName: 'Big pool', taskDurationMs: 60 }),
  ]);
  lone = await startXapiSimulator({ host: '127.0.0.2', port: pool.port, generate: { hosts: 1, vms: 2, snapshots: 0, localStorage: true }, taskDurationMs: 60 });
  makeStandalone(lone.db, { name: 'lone-host', address: lone.host });
});

afterAll(async () => {
  await Promise.all([pool?.stop(), lone?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor pool join and pool eject against the XAPI simulator', { timeout: 120_000 }, () => {
  it('adds the pool and the standalone server', async () => {
    for (const [name, sim] of [['big', pool], ['lone', lone]] as const) {
      await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', name, '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
    }
  });

  it("refuses to join while a VM runs on the host, with the server's code, and joins nothing", async () => {
    const call = await otherSession(lone);
    await call('VM.start', firstGuest(), false, false);
    const refused = await cli(['pool', 'join', 'lone', '--to', 'big']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/SERVER_ERROR JOINING_HOST_CANNOT_HAVE_RUNNING_VMS: lone-host cannot join Big pool/);
    expect(poolHostUuids()).not.toContain(loneUuid());
    await call('VM.hard_shutdown', firstGuest());

    const usage = await cli(['pool', 'join', 'lone']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('pool join: --to <pool server|pool> is required');
  });

  it('pool join adds the standalone host to the pool: the pool lists it, the host answers as a member', async () => {
    const uuid = loneUuid();
    const { stdout } = await ok(['pool', 'join', 'lone', '--to', 'big', '--json']);
    expect(JSON.parse(stdout)).toEqual({ host: 'lone-host', pool: 'Big pool', status: 'success' });
    expect(poolHostUuids()).toContain(uuid);
    const call = await otherSession(pool);
    const records = (await call('host.get_all_records')) as Record<string, { uuid: string }>;
    expect(Object.values(records).map((h) => h.uuid)).toContain(uuid);
    await expect(otherSession(lone)).rejects.toThrow(/HOST_IS_SLAVE/);
  });

  it('pool eject takes it out again: gone from the pool, standalone on its own address', async () => {
    const uuid = loneUuid();
    await ok(['pool', 'eject', 'lone-host', '--server', 'big']);
    expect(poolHostUuids()).not.toContain(uuid);
    const call = await otherSession(lone);
    const pools = (await call('pool.get_all_records')) as Record<string, { master: string; name_label: string }>;
    const [only] = Object.values(pools);
    expect(only!.name_label).toBe('');
    expect((await call('host.get_record', only!.master)) as { uuid: string }).toMatchObject({ uuid });
  });
});
