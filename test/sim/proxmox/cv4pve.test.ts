// Drives the simulator with an independent client, @corsinvest/cv4pve-api-javascript
// (JSON bodies, numeric booleans, raw ticket in the cookie). The client itself
// skips certificate verification (hard-wired in its source), which is fine for
// this test of the simulator; product code never does that.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cv4pve from '@corsinvest/cv4pve-api-javascript';
import { startProxmoxSimulator, type ProxmoxSimulator } from './index';

const { PveClient } = cv4pve as unknown as { PveClient: new (host: string, port: number) => any };

describe('cv4pve-api-javascript against the simulator', () => {
  let sim: ProxmoxSimulator;
  let client: any;

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 100 });
    client = new PveClient(sim.host, sim.port);
    client.logEnabled = false;
  });
  afterAll(() => sim?.stop());

  it('refuses a wrong password and logs in with the right one', async () => {
    const wrong = new PveClient(sim.host, sim.port);
    wrong.logEnabled = false;
    expect(await wrong.login('root', 'nope', 'pam')).toBe(false);
    expect(wrong.lastResult.statusCode).toBe(401);
    expect(await client.login('root', 'password', 'pam')).toBe(true);
  });

  it('lists the cluster resources', async () => {
    const res = await client.cluster.resources.resources();
    expect(res.isSuccessStatusCode).toBe(true);
    const data = res.response.data as Array<Record<string, unknown>>;
    expect(data.filter((r) => r.type === 'node').map((r) => r.node).sort()).toEqual(['node1', 'node2', 'node3', 'node4']);
    expect(data.find((r) => r.id === 'qemu/100')).toMatchObject({ name: 'server1', node: 'node2', status: 'running' });
    const vmsOnly = await client.cluster.resources.resources('vm');
    expect((vmsOnly.response.data as Array<{ type: string }>).every((r) => r.type === 'qemu' || r.type === 'lxc')).toBe(true);
  });

  it('reports parameter errors the PVE way', async () => {
    const res = await client.cluster.resources.resources('bogus');
    expect(res.statusCode).toBe(400);
    expect(res.responseInError).toBe(true);
    expect(res.response.errors.type).toMatch(/enumeration/);
  });

  it('creates a snapshot with RAM, follows the task and rolls back to it', async () => {
    const vm = client.nodes.get('node2').qemu.get(100);
    const created = await vm.snapshot.snapshot('cv4pve_snap', 'made by cv4pve', true);
    expect(created.isSuccessStatusCode).toBe(true);
    const upid = created.response.data as string;
    expect(upid).toMatch(/^UPID:node2:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmsnapshot:100:root@pam:$/);
    expect(await client.waitForTaskToFinish(upid, 50, 5000)).toBe(true);
    expect(await client.getExitStatusTask(upid)).toBe('OK');

    const list = (await vm.snapshot.snapshotList()).response.data as Array<Record<string, unknown>>;
    expect(list.find((s) => s.name === 'cv4pve_snap')).toMatchObject({ parent: 'snap2', vmstate: 1, description: 'made by cv4pve' });
    expect(list.find((s) => s.name === 'current')).toMatchObject({ parent: 'cv4pve_snap' });

    const back = await vm.snapshot.get('snap1').rollback.rollback();
    expect(back.isSuccessStatusCode).toBe(true);
    expect(await client.waitForTaskToFinish(back.response.data, 50, 5000)).toBe(true);
    expect(await client.getExitStatusTask(back.response.data)).toBe('OK');
    const after = (await vm.snapshot.snapshotList()).response.data as Array<Record<string, unknown>>;
    expect(after.find((s) => s.name === 'current')).toMatchObject({ parent: 'snap1' });
    // snap1 holds RAM: the VM comes back running
    const status = await vm.status.current.vmStatus();
    expect(status.response.data).toMatchObject({ status: 'running', qmpstatus: 'running' });
  });

  it('fails a conflicting snapshot while one is running, with the lock message', async () => {
    const ct = client.nodes.get('node1').lxc.get(106);
    const first = await ct.snapshot.snapshot('ct_a', 'first');
    const second = await ct.snapshot.snapshot('ct_b', 'second');
    expect(first.isSuccessStatusCode && second.isSuccessStatusCode).toBe(true);
    expect(await client.waitForTaskToFinish(second.response.data, 20, 5000)).toBe(true);
    expect(await client.getExitStatusTask(second.response.data)).toBe('CT is locked (snapshot)');
    expect(await client.waitForTaskToFinish(first.response.data, 20, 5000)).toBe(true);
    expect(await client.getExitStatusTask(first.response.data)).toBe('OK');
  });
});
