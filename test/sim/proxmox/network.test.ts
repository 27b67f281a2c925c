// A node's network and the cluster's SDN in the Proxmox simulator over HTTP, as a client
// sees them: a change goes into the pending file (listed with `changes`, not active) until
// applied, a revert drops it, PVE's refusals for a clash or a missing device, SDN objects
// pending until PUT /cluster/sdn, and the permissions (Sys.Modify, SDN.Allocate) refused with 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from './index';
import { runningInterfaces } from './node-network';
import { sdnOf } from './sdn-state';
import { waitFor } from '../../integration/provider-mirror';

let sim: ProxmoxSimulator;
type Who = { cookie: string; csrf: string };
let root: Who;
let auditor: Who;

async function login(username: string, password: string): Promise<Who> {
  const res = await fetch(`${sim.url}/api2/json/access/ticket`, { method: 'POST', body: new URLSearchParams({ username, password }) });
  const data = ((await res.json()) as { data: { ticket: string; CSRFPreventionToken: string } }).data;
  return { cookie: `PVEAuthCookie=${encodeURIComponent(data.ticket)}`, csrf: data.CSRFPreventionToken };
}

async function call(who: Who, method: string, path: string, params: Record<string, string> = {}) {
  const query = method === 'GET' || method === 'DELETE' ? `?${new URLSearchParams(params)}` : '';
  const res = await fetch(`${sim.url}/api2/json${path}${query}`, {
    method,
    headers: { Cookie: who.cookie, CSRFPreventionToken: who.csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: method === 'POST' || method === 'PUT' ? new URLSearchParams(params).toString() : undefined,
  });
  const body = (await res.json()) as { data: unknown; changes?: string; errors?: Record<string, string> };
  return { status: res.status, statusText: res.statusText, ...body };
}

const taskEnded = (upid: string) => waitFor(() => sim.tasks.tasks.get(upid)?.status === 'stopped', `task ${upid} to end`);

beforeAll(async () => {
  sim = await startProxmoxSimulator({
    tls: false,
    taskDurationMs: 30,
    access: { users: [{ userid: 'audit@pve', password: 'audit-secret' }], acl: [{ path: '/', type: 'user', ugid: 'audit@pve', roleid: 'PVEAuditor', propagate: true }] },
  });
  root = await login('root@pam', 'password');
  auditor = await login('audit@pve', 'audit-secret');
});
afterAll(() => sim?.stop());

describe('node network', () => {
  it('lists bridges, bonds, VLANs and NICs as PVE does', async () => {
    const list = (await call(root, 'GET', '/nodes/node1/network')).data as Array<Record<string, unknown>>;
    expect(list.map((i) => `${i.iface}:${i.type}`).sort()).toEqual(['bond0:bond', 'eno1:eth', 'eno2:eth', 'eno3:eth', 'vmbr0.20:vlan', 'vmbr0:bridge', 'vmbr1:bridge']);
    expect(list.find((i) => i.iface === 'bond0')).toMatchObject({ slaves: 'eno2 eno3', bond_mode: 'active-backup', active: 1 });
    const bridges = (await call(root, 'GET', '/nodes/node1/network', { type: 'any_bridge' })).data as Array<{ iface: string }>;
    expect(bridges.map((b) => b.iface).sort()).toEqual(['vmbr0', 'vmbr1']);
  });

  it('keeps a new VLAN pending (not active, in `changes`) until applied; a revert drops it', async () => {
    expect((await call(root, 'POST', '/nodes/node2/network', { iface: 'vmbr0.50', type: 'vlan', comments: 'lab' })).status).toBe(200);
    let read = await call(root, 'GET', '/nodes/node2/network');
    const vlan = (read.data as Array<Record<string, unknown>>).find((i) => i.iface === 'vmbr0.50');
    expect(vlan).toMatchObject({ type: 'vlan', comments: 'lab' });
    expect(vlan?.active).toBeUndefined();
    expect(read.changes).toContain('+iface vmbr0.50');
    expect(runningInterfaces(sim.state, 'node2').some((i) => i.iface === 'vmbr0.50')).toBe(false);

    expect((await call(root, 'DELETE', '/nodes/node2/network')).status).toBe(200);
    read = await call(root, 'GET', '/nodes/node2/network');
    expect((read.data as Array<{ iface: string }>).some((i) => i.iface === 'vmbr0.50')).toBe(false);
    expect(read.changes).toBeUndefined();

    await call(root, 'POST', '/nodes/node2/network', { iface: 'vmbr0.50', type: 'vlan' });
    const apply = await call(root, 'PUT', '/nodes/node2/network');
    expect(String(apply.data)).toMatch(/^UPID:node2:.*:srvreload:networking:root@pam:$/);
    await taskEnded(String(apply.data));
    expect(runningInterfaces(sim.state, 'node2').find((i) => i.iface === 'vmbr0.50')).toMatchObject({ type: 'vlan' });
    read = await call(root, 'GET', '/nodes/node2/network');
    expect((read.data as Array<Record<string, unknown>>).find((i) => i.iface === 'vmbr0.50')?.active).toBe(1);
  });

  it('refuses a clash, a VLAN on a missing device, deleting an interface in use, and a user without Sys.Modify', async () => {
    const clash = await call(root, 'POST', '/nodes/node2/network', { iface: 'vmbr0', type: 'bridge' });
    expect([clash.status, clash.errors]).toEqual([400, { iface: 'interface already exists' }]);
    const missing = await call(root, 'POST', '/nodes/node2/network', { iface: 'eno9.5', type: 'vlan' });
    expect([missing.status, missing.errors]).toEqual([400, { iface: 'vlan-raw-device eno9 does not exist' }]);
    const inUse = await call(root, 'DELETE', '/nodes/node1/network/eno2');
    expect([inUse.status, inUse.statusText]).toEqual([500, "interface 'eno2' is used by 'bond0'"]);
    const denied = await call(auditor, 'POST', '/nodes/node2/network', { iface: 'vmbr9', type: 'bridge' });
    expect([denied.status, denied.statusText]).toEqual([403, 'Permission check failed (/nodes/node2, Sys.Modify)']);
    expect((await call(root, 'GET', '/nodes/node2/network')).changes).toBeUndefined();
  });
});

describe('SDN', () => {
  it('a new vnet is pending (state new) until PUT /cluster/sdn commits it', async () => {
    expect((await call(root, 'POST', '/cluster/sdn/vnets', { vnet: 'web', zone: 'lab', tag: '40' })).status).toBe(200);
    const pending = (await call(root, 'GET', '/cluster/sdn/vnets', { pending: '1' })).data as Array<Record<string, unknown>>;
    expect(pending.find((v) => v.vnet === 'web')).toEqual({ vnet: 'web', type: 'vnet', state: 'new', pending: { zone: 'lab', tag: 40 } });
    expect(sdnOf(sim.state).running.vnets.has('web')).toBe(false);
    const apply = await call(root, 'PUT', '/cluster/sdn');
    expect(String(apply.data)).toMatch(/:reloadnetworkall::root@pam:$/);
    expect(sdnOf(sim.state).running.vnets.get('web')).toMatchObject({ zone: 'lab', tag: 40 });
    const after = (await call(root, 'GET', '/cluster/sdn/vnets', { pending: '1' })).data as Array<Record<string, unknown>>;
    expect(after.find((v) => v.vnet === 'web')?.state).toBeUndefined();
  });

  it("applies the zones' rules and the permissions", async () => {
    const noTag = await call(root, 'POST', '/cluster/sdn/vnets', { vnet: 'notag', zone: 'lab' });
    expect([noTag.status, noTag.errors]).toEqual([400, { tag: 'missing vlan tag' }]);
    const tagged = await call(root, 'POST', '/cluster/sdn/vnets', { vnet: 'tagged', zone: 'isolated', tag: '5' });
    expect([tagged.status, tagged.errors]).toEqual([400, { tag: 'vlan tag is not allowed on simple zone' }]);
    const long = await call(root, 'POST', '/cluster/sdn/vnets', { vnet: 'waytoolongname', zone: 'isolated' });
    expect(long.status).toBe(400);
    const dup = await call(root, 'POST', '/cluster/sdn/vnets', { vnet: 'labnet', zone: 'lab', tag: '31' });
    expect([dup.status, dup.statusText]).toEqual([500, "vnet ID 'labnet' already defined"]);
    const withSubnet = await call(root, 'DELETE', '/cluster/sdn/vnets/privnet');
    expect(withSubnet.status).toBe(500);
    const denied = await call(auditor, 'DELETE', '/cluster/sdn/vnets/labnet');
    expect([denied.status, denied.statusText]).toEqual([403, 'Permission check failed (/sdn/zones/lab/labnet, SDN.Allocate)']);
    expect(((await call(auditor, 'GET', '/cluster/sdn/vnets')).data as unknown[]).length).toBeGreaterThan(0);

    expect((await call(root, 'DELETE', '/cluster/sdn/vnets/labnet')).status).toBe(200);
    const pending = (await call(root, 'GET', '/cluster/sdn/vnets', { pending: '1' })).data as Array<Record<string, unknown>>;
    expect(pending.find((v) => v.vnet === 'labnet')).toMatchObject({ state: 'deleted', zone: 'lab' });
  });
});
