// Add Server to Pool and Remove Server from Pool through the whole core, between XAPI
// simulators that listen on one port at three loopback addresses (a pool member is
// reached at its master's port, see test/sim/xapi/index.ts): a pool of two hosts on
// 127.0.0.1, a standalone host on 127.0.0.2 and one on 127.0.0.3 that runs another
// product version. pools:joinPlan gives the servers' reasons; pool_join moves the host
// into the pool (read back from the pool simulator's own host list, and the joined
// simulator answers HOST_IS_SLAVE as a member does); pool_eject takes it out again.

import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { xenServerProviderFactory } from '../../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { makeStandalone } from '../../sim/xapi/standalone';
import { waitFor } from '../provider-mirror';

const OPTIONS = { eventTimeoutS: 5, taskPollMs: 50, reconnectMinMs: 100, reconnectMaxMs: 500 };
const until = <T>(what: string, probe: () => Promise<T | undefined | false>) => waitFor(probe, what, 60_000);

/** An independent JSON-RPC client: the simulators' own answers, not Polyvisor's. */
function rpc(sim: XapiSimulator, method: string, params: unknown[]): Promise<{ result?: unknown; error?: { message: string; data?: string[] } }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 });
    const req = https.request(
      { host: sim.host, port: sim.port, path: '/jsonrpc', method: 'POST', ca: sim.certPem, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function login(sim: XapiSimulator): Promise<string> {
  const answer = await rpc(sim, 'session.login_with_password', ['root', 'password']);
  if (answer.error) throw new Error(JSON.stringify(answer.error));
  return answer.result as string;
}

const uuidOf = (sim: XapiSimulator) => (sim.db.records('host').values().next().value as { uuid: string }).uuid;
const hostUuids = (sim: XapiSimulator) => [...sim.db.records('host').values()].map((h) => h.uuid as string);

describe('XenServer pool membership through the core', () => {
  let pool: XapiSimulator;
  let lone: XapiSimulator;
  let odd: XapiSimulator;
  let home: string;
  let core: PolyvisorCore;
  const ids: Record<'pool' | 'lone' | 'odd', string> = { pool: '', lone: '', odd: '' };

  const tree = () => core.invoke('inventory:get');
  const hostNode = async (serverId: string) => (await tree()).find((n) => n.serverId === serverId && n.kind === 'host');
  const finished = (id: string) => until(`task ${id}`, async () => (await core.invoke('tasks:list')).find((t) => t.id === id && t.status !== 'running'));

  beforeAll(async () => {
    pool = await startXapiSimulator({ generate: { hosts: 2, vms: 2, snapshots: 0 }, poolName: 'Join pool', taskDurationMs: 150 });
    [lone, odd] = await Promise.all(
      ['127.0.0.2', '127.0.0.3'].map((host) => startXapiSimulator({ host, port: pool.port, generate: { hosts: 1, vms: 3, snapshots: 1, localStorage: true }, taskDurationMs: 150 })),
    );
    makeStandalone(lone.db, { name: 'lone-host', address: lone.host });
    makeStandalone(odd.db, { name: 'odd-host', address: odd.host, productVersion: '8.2.1' });
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-xapi-pool-join-'));
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
    for (const [key, sim] of [['pool', pool], ['lone', lone], ['odd', odd]] as const) {
      const server = await core.invoke('servers:add', { type: 'xenserver', name: key, host: sim.host, port: sim.port, username: 'root', options: OPTIONS });
      expect((await core.invoke('servers:connect', server.id, 'password')).error?.code).toBe('CERT_UNTRUSTED');
      expect((await core.invoke('certs:accept', server.id, sim.fingerprint256)).state).toBe('connected');
      ids[key] = server.id;
    }
  });
  afterAll(async () => {
    await core?.stop();
    await Promise.all([pool?.stop(), lone?.stop(), odd?.stop()]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('lists the pool for each standalone host, with the server\'s reason where it cannot join', async () => {
    const loneHost = await until('the standalone host with pool_join', async () => {
      const n = await hostNode(ids.lone);
      return n?.allowed.includes('pool_join') && n;
    });
    const poolNode = (await tree()).find((n) => n.serverId === ids.pool && n.kind === 'pool')!;
    expect((await core.invoke('pools:joinPlan', loneHost.id)).pools).toContainEqual({ poolId: poolNode.id, ok: true });

    const oddHost = (await hostNode(ids.odd))!;
    const refused = (await core.invoke('pools:joinPlan', oddHost.id)).pools.find((p) => p.poolId === poolNode.id)!;
    expect(refused.ok).toBe(false);
    expect(refused.reason?.serverCode).toBe('POOL_JOINING_HOST_MUST_HAVE_SAME_PRODUCT_VERSION');
    // the simulator's own pool.join refuses with the same code, and nothing moved
    const session = await login(odd);
    const answer = await rpc(odd, 'pool.join', [session, '127.0.0.1', 'root', 'password']);
    expect(answer.error?.message).toBe('POOL_JOINING_HOST_MUST_HAVE_SAME_PRODUCT_VERSION');
    expect(hostUuids(pool)).not.toContain(uuidOf(odd));
  });

  it('refuses a join with the wrong master password and a join of a host running a VM, with the server\'s codes', async () => {
    const session = await login(odd);
    const wrong = await rpc(odd, 'pool.join', [session, '127.0.0.1', 'root', 'not-the-password']);
    // the product check comes after the master's login: the master's own refusal comes back first
    expect(wrong.error?.message).toBe('SESSION_AUTHENTICATION_FAILED');
    const vm = [...odd.db.records('VM')].find(([, v]) => !v.is_control_domain && !v.is_a_template && !v.is_a_snapshot)![0];
    const start = await rpc(odd, 'VM.start', [session, vm, false, false]);
    expect(start.error).toBeUndefined();
    const oddHost = (await hostNode(ids.odd))!;
    const poolNode = (await tree()).find((n) => n.serverId === ids.pool && n.kind === 'pool')!;
    const reason = await until('the running VM in the plan', async () => {
      const choice = (await core.invoke('pools:joinPlan', oddHost.id)).pools.find((p) => p.poolId === poolNode.id);
      return choice?.reason?.serverCode === 'JOINING_HOST_CANNOT_HAVE_RUNNING_VMS' && choice.reason;
    });
    expect(reason.code).toBe('SERVER_ERROR');
    const running = await rpc(odd, 'pool.join', [session, '127.0.0.1', 'root', 'password']);
    expect(running.error?.message).toBe('JOINING_HOST_CANNOT_HAVE_RUNNING_VMS');
  });

  it('joins the standalone host to the pool: the pool lists it, the host answers as a member and its connection follows to the master', async () => {
    const loneHost = (await hostNode(ids.lone))!;
    const loneUuid = uuidOf(lone);
    const guestUuids = [...lone.db.records('VM').values()].filter((v) => !v.is_control_domain && !v.is_default_template).map((v) => v.uuid as string);
    expect(guestUuids.length).toBeGreaterThan(0);
    const poolNode = (await tree()).find((n) => n.serverId === ids.pool && n.kind === 'pool')!;
    const [task] = await core.invoke('actions:run', { nodeIds: [loneHost.id], action: 'pool_join', params: { targetId: poolNode.id } });
    expect((await finished(task!.id)).status).toBe('success');

    expect(hostUuids(pool)).toContain(loneUuid);
    const vmUuids = [...pool.db.records('VM').values()].map((v) => v.uuid as string);
    for (const uuid of guestUuids) expect(vmUuids).toContain(uuid);
    const joined = [...pool.db.records('host')].find(([, h]) => h.uuid === loneUuid)![0];
    // its local SR came along, reached by the joined host only
    const localSrs = [...pool.db.records('PBD').values()].filter((p) => p.host === joined).map((p) => pool.db.get('SR', p.SR as string)!);
    expect(localSrs.some((sr) => sr.type === 'lvm' && !sr.shared)).toBe(true);

    const answer = await until('HOST_IS_SLAVE from the joined host', async () => {
      const a = await rpc(lone, 'session.login_with_password', ['root', 'password']);
      return a.error && a;
    });
    expect(answer.error?.message).toBe('HOST_IS_SLAVE');
    expect(answer.error?.data).toEqual(['127.0.0.1']);

    // the pool's own connection shows the new member under the pool; the joined server follows to the master
    await until('the joined host in the pool server\'s tree', async () => (await tree()).find((n) => n.serverId === ids.pool && n.kind === 'host' && n.props.uuid === loneUuid));
    await until('the joined server connected to the master', async () => {
      const view = (await core.invoke('servers:list')).find((s) => s.id === ids.lone);
      const hosts = (await tree()).filter((n) => n.serverId === ids.lone && n.kind === 'host');
      return view?.state === 'connected' && hosts.length === 3 && view;
    });
  });

  it('ejects the member: it leaves the pool\'s list and comes back standalone with empty local storage', async () => {
    const loneUuid = uuidOf(lone);
    const member = await until('the member with pool_eject', async () => {
      const n = (await tree()).find((x) => x.serverId === ids.pool && x.kind === 'host' && x.props.uuid === loneUuid);
      return n?.allowed.includes('pool_eject') && n;
    });
    const master = (await tree()).find((n) => n.serverId === ids.pool && n.kind === 'host' && n.nativeRef === (pool.db.records('pool').values().next().value as { master: string }).master)!;
    expect(master.allowed).not.toContain('pool_eject');

    const [task] = await core.invoke('actions:run', { nodeIds: [member.id], action: 'pool_eject' });
    expect((await finished(task!.id)).status).toBe('success');
    expect(hostUuids(pool)).not.toContain(loneUuid);
    await until('the member gone from the tree', async () => !(await tree()).some((n) => n.id === member.id) || undefined);

    // the ejected host answers logins again, on its own: no guests, a new empty local SR
    const session = await login(lone);
    expect(session).toMatch(/^OpaqueRef:/);
    expect([...lone.db.records('VM').values()].filter((v) => !v.is_control_domain && !v.is_default_template)).toEqual([]);
    const srs = [...lone.db.records('SR').values()];
    expect(srs.map((s) => s.name_label)).toEqual(['Local storage']);
    expect(srs[0]!.VDIs).toEqual([]);
  });

  it('refuses to eject the master, as xapi does (its internal Cannot_eject_master)', async () => {
    const session = await login(pool);
    const masterRef = (pool.db.records('pool').values().next().value as { master: string }).master;
    const answer = await rpc(pool, 'pool.eject', [session, masterRef]);
    expect(answer.error?.message).toBe('INTERNAL_ERROR');
    expect(answer.error?.data).toEqual(['Xapi_pool.Cannot_eject_master']);
    expect(pool.db.get('host', masterRef)).toBeDefined();
  });
});
