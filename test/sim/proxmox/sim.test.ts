// The simulator's own PVE conventions at the HTTP level: body formats, parameter
// errors, unknown methods, task logs and snapshot bookkeeping.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from './index';

describe('Proxmox simulator HTTP conventions', () => {
  let sim: ProxmoxSimulator;
  let headers: Record<string, string>;

  const call = async (method: string, path: string, body?: { json?: unknown; form?: Record<string, string> }) => {
    const res = await fetch(`${sim.url}/api2/json${path}`, {
      method,
      headers: {
        ...headers,
        ...(body?.json !== undefined ? { 'Content-Type': 'application/json' } : body?.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: body?.json !== undefined ? JSON.stringify(body.json) : body?.form ? new URLSearchParams(body.form).toString() : undefined,
    });
    return { status: res.status, reason: res.statusText, body: (await res.json()) as { data: any; errors?: Record<string, string>; total?: number } };
  };
  const waitTask = async (upid: string) => {
    const node = upid.split(':')[1];
    for (;;) {
      const r = await call('GET', `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`);
      if (r.body.data.status === 'stopped') return r.body.data as { exitstatus: string };
      await new Promise((res) => setTimeout(res, 10));
    }
  };

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ tls: false, taskDurationMs: 40 });
    const res = await fetch(`${sim.url}/api2/json/access/ticket`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'root', realm: 'pam', password: 'password' }),
    });
    const { ticket, CSRFPreventionToken } = ((await res.json()) as { data: { ticket: string; CSRFPreventionToken: string } }).data;
    headers = { Cookie: `PVEAuthCookie=${ticket}`, CSRFPreventionToken };
  });
  afterAll(() => sim?.stop());

  it('takes JSON bodies with native booleans and form bodies alike', async () => {
    const json = await call('POST', '/nodes/node2/qemu/100/snapshot', { json: { snapname: 'j1', vmstate: true, description: 'json' } });
    expect(json.status).toBe(200);
    expect((await waitTask(json.body.data)).exitstatus).toBe('OK');
    const form = await call('POST', '/nodes/node2/qemu/100/snapshot', { form: { snapname: 'f1', vmstate: '0' } });
    expect((await waitTask(form.body.data)).exitstatus).toBe('OK');
    const list = (await call('GET', '/nodes/node2/qemu/100/snapshot')).body.data as Array<Record<string, unknown>>;
    expect(list.find((s) => s.name === 'j1')).toMatchObject({ vmstate: 1, parent: 'snap2' });
    expect(list.find((s) => s.name === 'f1')).toMatchObject({ parent: 'j1' });
    expect(list.find((s) => s.name === 'f1')).not.toHaveProperty('vmstate');
    expect(list.at(-1)).toMatchObject({ name: 'current', parent: 'f1', running: 1 });
  });

  it('refuses vmstate for a container: the lxc schema has no such parameter', async () => {
    const r = await call('POST', '/nodes/node1/lxc/106/snapshot', { form: { snapname: 'ram', vmstate: '1' } });
    expect(r.status).toBe(400);
    expect(r.reason).toBe('Parameter verification failed.');
    expect(r.body.errors).toEqual({ vmstate: 'property is not defined in schema and the schema does not allow additional properties' });
  });

  it('reports missing, ill-typed and out-of-range parameters per parameter', async () => {
    const r = await call('POST', '/nodes/node1/qemu/99/snapshot', { form: { vmstate: 'maybe' } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual({
      snapname: 'property is missing and it is not optional',
      vmstate: "type check ('boolean') failed - got 'maybe'",
      vmid: 'value must have a minimum value of 100',
    });
    const bad = await call('POST', '/nodes/node1/qemu/102/snapshot', { form: { snapname: '1bad name' } });
    expect(bad.body.errors?.snapname).toMatch(/^invalid format - invalid configuration ID/);
  });

  it('answers 500 with the reason for unknown guests and nodes, 501 for unknown methods', async () => {
    const guest = await call('GET', '/nodes/node1/qemu/100/status/current');
    expect(guest).toMatchObject({ status: 500, reason: "Configuration file 'nodes/node1/qemu-server/100.conf' does not exist" });
    const node = await call('GET', '/nodes/nowhere/status');
    expect(node.status).toBe(500);
    const method = await call('PUT', '/cluster/resources');
    expect(method.status).toBe(501);
  });

  it('keeps a task log with line numbers, paging and a total', async () => {
    const r = await call('POST', '/nodes/node2/qemu/100/snapshot', { form: { snapname: 'logged', vmstate: '1' } });
    await waitTask(r.body.data);
    const path = `/nodes/node2/tasks/${encodeURIComponent(r.body.data)}/log`;
    const all = await call('GET', path);
    expect(all.body.total).toBe(all.body.data.length);
    expect(all.body.data[0]).toEqual({ n: 1, t: 'task started by root@pam' });
    expect(all.body.data.at(-1).t).toBe('TASK OK');
    const page = await call('GET', `${path}?start=1&limit=2`);
    expect(page.body.data.map((l: { n: number }) => l.n)).toEqual([2, 3]);
  });

  it('stops a task on DELETE and rolls its work back', async () => {
    sim.tasks.durationMs = 1000;
    const r = await call('POST', '/nodes/node1/lxc/106/snapshot', { form: { snapname: 'stopped_one' } });
    expect(sim.state.guest(106)!.lock).toBe('snapshot');
    const del = await call('DELETE', `/nodes/node1/tasks/${encodeURIComponent(r.body.data)}`);
    expect(del.status).toBe(200);
    sim.tasks.durationMs = 40;
    expect((await waitTask(r.body.data)).exitstatus).toBe('interrupted by signal');
    expect(sim.state.guest(106)!.lock).toBeUndefined();
    expect(sim.state.guest(106)!.snapshots.has('stopped_one')).toBe(false);
  });

  it('renews a ticket with the ticket as password, and refuses an unknown user', async () => {
    const ticket = decodeURIComponent(headers.Cookie.slice('PVEAuthCookie='.length));
    const renew = await call('POST', '/access/ticket', { form: { username: 'root@pam', password: ticket } });
    expect(renew.status).toBe(200);
    expect(renew.body.data.ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::/);
    const other = await call('POST', '/access/ticket', { form: { username: 'admin@pve', password: ticket } });
    expect(other.status).toBe(401);
  });

  describe('copies: clone, template, next VMID, snapshot descriptions', () => {
    it('hands out the lowest free VMID as a string, as PVE does, and checks one asked for', async () => {
      const next = await call('GET', '/cluster/nextid');
      expect(next.body.data).toBe('103');
      expect((await call('GET', '/cluster/nextid?vmid=555')).body.data).toBe('555');
      const taken = await call('GET', '/cluster/nextid?vmid=100');
      expect(taken.status).toBe(400);
      expect(taken.body.errors).toEqual({ vmid: 'VM 100 already exists' });
    });

    it('clones a snapshot: the VMID is taken (locked "clone") while the worker copies, the snapshot keys are gone after', async () => {
      sim.tasks.durationMs = 1000;
      const r = await call('POST', '/nodes/node2/qemu/100/clone', { form: { newid: '300', snapname: 'snap1', name: 'web-copy' } });
      expect(r.status).toBe(200);
      expect(r.body.data).toMatch(/^UPID:node2:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmclone:100:root@pam:$/);
      expect(sim.state.guest(300)).toMatchObject({ lock: 'clone', name: 'web-copy', status: 'stopped' });
      const again = await call('POST', '/nodes/node2/qemu/100/clone', { form: { newid: '300' } });
      expect(again).toMatchObject({ status: 500, reason: "VM 300 already exists on node 'node2'" });
      sim.tasks.durationMs = 40;
      expect((await waitTask(r.body.data)).exitstatus).toBe('OK');
      const config = (await call('GET', '/nodes/node2/qemu/300/config')).body.data;
      expect(config).toMatchObject({ name: 'web-copy', scsi0: expect.stringMatching(/^local-lvm:vm-300-disk-0,/) });
      for (const key of ['vmstate', 'snaptime', 'parent', 'lock', 'runningmachine']) expect(config).not.toHaveProperty(key);
      expect(config.net0).not.toBe((await call('GET', '/nodes/node2/qemu/100/config')).body.data.net0);
    });

    it('refuses a clone of a snapshot that does not exist, and a name that is no DNS name', async () => {
      const missing = await call('POST', '/nodes/node2/qemu/100/clone', { form: { newid: '301', snapname: 'nope' } });
      expect(missing).toMatchObject({ status: 500, reason: "snapshot 'nope' does not exist" });
      const badName = await call('POST', '/nodes/node1/lxc/106/clone', { form: { newid: '301', hostname: 'no_underscores' } });
      expect(badName.status).toBe(400);
      expect(badName.body.errors?.hostname).toMatch(/not look like a valid DNS name/);
      expect(sim.state.guest(301)).toBeUndefined();
    });

    it('converts only a stopped guest without snapshots; qemu in a worker, lxc at once', async () => {
      const running = await call('POST', '/nodes/node2/qemu/100/template');
      expect(running).toMatchObject({ status: 500, reason: 'unable to create template, because VM contains snapshots' });
      const vm = await call('POST', '/nodes/node2/qemu/300/template');
      expect((await waitTask(vm.body.data)).exitstatus).toBe('OK');
      expect(sim.state.guest(300)!.template).toBe(true);
      expect((await call('POST', '/nodes/node2/qemu/300/template')).reason).toBe("you can't convert a template to a template");
      sim.state.addGuest({ vmid: 310, type: 'lxc', node: 'node1', status: 'running' });
      expect((await call('POST', '/nodes/node1/lxc/310/template')).reason).toBe("you can't convert a CT to template if the CT is running");
      sim.state.guest(310)!.status = 'stopped';
      const ct = await call('POST', '/nodes/node1/lxc/310/template');
      expect(ct).toMatchObject({ status: 200, body: { data: null } });
      expect(sim.state.guest(310)!.template).toBe(true);
    });

    it('changes a snapshot description at once, and not while the guest is locked', async () => {
      const put = await call('PUT', '/nodes/node1/lxc/106/snapshot/snapshot1/config', { form: { description: 'new words' } });
      expect(put).toMatchObject({ status: 200, body: { data: null } });
      expect((await call('GET', '/nodes/node1/lxc/106/snapshot/snapshot1/config')).body.data.description).toBe('new words');
      sim.state.guest(106)!.lock = 'backup';
      const locked = await call('PUT', '/nodes/node1/lxc/106/snapshot/snapshot1/config', { form: { description: 'other' } });
      sim.state.guest(106)!.lock = undefined;
      expect(locked).toMatchObject({ status: 500, reason: 'CT is locked (backup)' });
    });
  });
});
