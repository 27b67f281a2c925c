// The simulator's migration as a plain HTTP client sees it: precondition answers,
// qmigrate/vzmigrate workers with their log, the guest's node changing at the end
// (and in /cluster/resources), PVE's refusals, the bulk migrate and node reboot.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../integration/provider-mirror';
import { startProxmoxSimulator, type ProxmoxSimulator } from './index';

describe('Proxmox simulator: migration', () => {
  let sim: ProxmoxSimulator;
  let headers: Record<string, string>;

  const call = async (method: string, path: string, params: Record<string, string> = {}) => {
    const query = method === 'GET' ? `?${new URLSearchParams(params)}` : '';
    const res = await fetch(`${sim.url}/api2/json${path}${query}`, {
      method,
      headers,
      body: method === 'GET' ? undefined : new URLSearchParams(params).toString(),
    });
    const body = (await res.json()) as { data: unknown; errors?: Record<string, string> };
    return { status: res.status, reason: res.statusText, data: body.data, errors: body.errors };
  };
  const taskEnd = async (upid: string) => {
    const node = upid.split(':')[1];
    const status = await waitFor(async () => {
      const s = (await call('GET', `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`)).data as { status: string; exitstatus?: string };
      return s.status === 'stopped' ? s : null;
    }, `task ${upid}`);
    const log = (await call('GET', `/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, { limit: '500' })).data as Array<{ t: string }>;
    return { exit: status.exitstatus, log: log.map((l) => l.t) };
  };
  const resourceNode = async (id: string) =>
    ((await call('GET', '/cluster/resources', { type: 'vm' })).data as Array<{ id: string; node: string; status: string }>).find((r) => r.id === id);

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ tls: false, seed: 'migration', taskDurationMs: 150 });
    const login = await fetch(`${sim.url}/api2/json/access/ticket`, { method: 'POST', body: new URLSearchParams({ username: 'root@pam', password: 'password' }) });
    const ticket = ((await login.json()) as { data: { ticket: string; CSRFPreventionToken: string } }).data;
    headers = { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket.ticket)}`, CSRFPreventionToken: ticket.CSRFPreventionToken, 'Content-Type': 'application/x-www-form-urlencoded' };
  });
  afterAll(() => sim?.stop());

  it('answers the preconditions as PVE does: targets only for a stopped VM, local disks and devices always', async () => {
    const running = (await call('GET', '/nodes/pve2/qemu/112/migrate')).data as Record<string, unknown>;
    expect(running).toMatchObject({ running: 1, local_resources: [], local_disks: [{ volid: 'local-lvm:vm-112-disk-0', size: 32 * 1024 ** 3, cdrom: 0 }] });
    expect(running).not.toHaveProperty('allowed_nodes');
    const pinned = (await call('GET', '/nodes/pve2/qemu/114/migrate')).data as Record<string, unknown>;
    expect(pinned).toMatchObject({ running: 0, allowed_nodes: [], not_allowed_nodes: { pve1: { unavailable_storages: ['fast-ssd'] }, pve3: { unavailable_storages: ['fast-ssd'] } } });
    const gpu = (await call('GET', '/nodes/pve2/qemu/113/migrate')).data as Record<string, unknown>;
    expect(gpu).toMatchObject({ local_resources: ['hostpci0'], allowed_nodes: ['pve1', 'pve3'] });
  });

  it('moves a running VM online: a qmigrate task whose log grows, the guest on the target at the end', async () => {
    const res = await call('POST', '/nodes/pve1/qemu/110/migrate', { target: 'pve2', online: '1' });
    const upid = String(res.data);
    expect(upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmigrate:110:root@pam:$/);
    expect(sim.state.guest(110)!.lock).toBe('migrate');
    const end = await taskEnd(upid);
    expect(end.exit).toBe('OK');
    expect(end.log.some((l) => l.includes("starting migration of VM 110 to node 'pve2'"))).toBe(true);
    expect(end.log.some((l) => l.includes('migration status: completed'))).toBe(true);
    expect(sim.state.guest(110)).toMatchObject({ node: 'pve2', status: 'running', lock: undefined });
    expect(await resourceNode('qemu/110')).toMatchObject({ node: 'pve2', status: 'running' });
  });

  it('refuses as PVE does before the worker starts', async () => {
    expect(await call('POST', '/nodes/pve2/qemu/112/migrate', { target: 'pve1' })).toMatchObject({ status: 500, reason: "can't migrate running VM without --online" });
    expect(await call('POST', '/nodes/pve2/qemu/112/migrate', { target: 'pve2', online: '1' })).toMatchObject({ status: 400, errors: { target: 'target is local node.' } });
    expect(await call('POST', '/nodes/pve2/qemu/112/migrate', { target: 'pve9', online: '1' })).toMatchObject({ status: 500, reason: "no such cluster node 'pve9'" });
    expect(await call('POST', '/nodes/pve2/qemu/114/migrate', { target: 'pve3' })).toMatchObject({ status: 500, reason: "storage 'fast-ssd' is not available on node 'pve3'" });
    expect(await call('POST', '/nodes/pve3/lxc/130/migrate', { target: 'pve1' })).toMatchObject({ status: 500, reason: "can't migrate running container without --online or --restart" });
  });

  it('fails the worker with the reason in its log: local disk, local device, memory, offline target', async () => {
    const local = await taskEnd(String((await call('POST', '/nodes/pve2/qemu/112/migrate', { target: 'pve1', online: '1' })).data));
    expect(local.exit).toBe('migration aborted');
    expect(local.log.join('\n')).toContain("can't live migrate attached local disks without with-local-disks option");
    const gpu = await taskEnd(String((await call('POST', '/nodes/pve2/qemu/113/migrate', { target: 'pve1' })).data));
    expect(gpu.log.join('\n')).toContain("can't migrate VM which uses local devices: hostpci0");
    const big = await taskEnd(String((await call('POST', '/nodes/pve2/qemu/116/migrate', { target: 'pve3', online: '1' })).data));
    expect(big.exit).toBe('migration problems');
    expect(big.log.join('\n')).toContain('Cannot allocate memory');
    sim.state.node('pve3')!.online = false;
    const offline = await taskEnd(String((await call('POST', '/nodes/pve2/qemu/116/migrate', { target: 'pve3', online: '1' })).data));
    sim.state.node('pve3')!.online = true;
    expect(offline.log.join('\n')).toContain("Can't connect to destination address using public key");
    for (const vmid of [112, 113, 116]) expect(sim.state.guest(vmid)).toMatchObject({ node: 'pve2', lock: undefined });
  });

  it('moves a running VM with its local disk when asked to', async () => {
    const end = await taskEnd(String((await call('POST', '/nodes/pve2/qemu/112/migrate', { target: 'pve1', online: '1', 'with-local-disks': '1' })).data));
    expect(end.exit).toBe('OK');
    expect(end.log.join('\n')).toContain("found local disk 'local-lvm:vm-112-disk-0' (attached)");
    expect(sim.state.guest(112)!.node).toBe('pve1');
  });

  it('restart-migrates a running container: stopped while it moves, running on the target after', async () => {
    const upid = String((await call('POST', '/nodes/pve1/lxc/120/migrate', { target: 'pve3', restart: '1' })).data);
    expect(upid).toContain(':vzmigrate:120:');
    await waitFor(() => sim.state.guest(120)!.status === 'stopped', 'the container stopped midway');
    expect(sim.state.guest(120)!.node).toBe('pve1');
    expect((await taskEnd(upid)).exit).toBe('OK');
    expect(sim.state.guest(120)).toMatchObject({ node: 'pve3', status: 'running' });
  });

  it('bulk-migrates a node with migrateall: one task per guest, skipped ones said in the log', async () => {
    expect(await call('POST', '/nodes/pve2/migrateall', { target: 'pve1' })).toMatchObject({
      status: 500,
      reason: "either 'maxworkers' parameter or max_workers in datacenter.cfg must be set!",
    });
    const upid = String((await call('POST', '/nodes/pve2/migrateall', { target: 'pve1', maxworkers: '2', vms: '110,113,114' })).data);
    expect(upid).toContain(':migrateall::');
    const end = await taskEnd(upid);
    expect(end.exit).toBe('OK');
    expect(end.log).toContain('Check VM 113: skip VM 113 - precondition check failed:');
    expect(end.log).toContain('  Has local resources: hostpci0');
    expect(end.log).toContain("storage 'fast-ssd' is not available on node 'pve1'");
    expect(sim.state.guest(110)!.node).toBe('pve1');
    const types = [...sim.tasks.tasks.values()].filter((t) => t.starttime >= Number.parseInt(upid.split(':')[4], 16)).map((t) => `${t.type}:${t.id}`);
    expect(types).toEqual(expect.arrayContaining(['migrateall:', 'qmigrate:110']));
  });

  it('reboots a node: offline, its guests stopped, back online with its onboot guests', async () => {
    sim.state.nodeRebootMs = 400;
    expect((await call('POST', '/nodes/pve3/status', { command: 'reboot' })).status).toBe(200);
    await waitFor(async () => {
      const nodes = (await call('GET', '/cluster/resources', { type: 'node' })).data as Array<{ node: string; status: string }>;
      return nodes.find((n) => n.node === 'pve3')?.status === 'offline';
    }, 'pve3 offline');
    expect(sim.state.guest(130)!.status).toBe('stopped');
    await waitFor(() => sim.state.node('pve3')!.online, 'pve3 back');
    expect(sim.state.guest(130)!.status).toBe('running');
  });

  it('wakes an offline node on LAN with the MAC from its config, as PVE refuses otherwise', async () => {
    expect(await call('POST', '/nodes/pve1/wakeonlan')).toMatchObject({ status: 500, reason: "'pve1' is local node, cannot wake my self!" });
    expect(await call('POST', '/nodes/pve2/wakeonlan')).toMatchObject({ status: 500, reason: "No wake on LAN MAC address defined for 'pve2'!" });
    sim.state.node('pve3')!.online = false;
    expect(await call('POST', '/nodes/pve3/wakeonlan')).toMatchObject({ status: 200, data: 'BC:24:11:0A:00:03' });
    await waitFor(() => sim.state.node('pve3')!.online, 'pve3 woken');
  });

  it('shows HA node maintenance as the HA status does, and keeps node notes', async () => {
    sim.state.node('pve2')!.haMaintenance = true;
    const ha = (await call('GET', '/cluster/ha/status/current')).data as Array<{ id: string; status: string }>;
    expect(ha.find((e) => e.id === 'lrm:pve2')?.status).toBe('maintenance mode');
    sim.state.node('pve2')!.haMaintenance = false;
    expect((await call('PUT', '/nodes/pve2/config', { description: 'patch night' })).status).toBe(200);
    expect((await call('GET', '/nodes/pve2/config')).data).toMatchObject({ description: 'patch night' });
  });
});
