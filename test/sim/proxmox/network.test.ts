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

describe('bonds and bridges with ports (PVE::API2::Network, PVE::INotify writer)', () => {
  beforeAll(() => {
    sim.state.interfaces.push({ node: 'node3', iface: 'eno2', type: 'eth' }, { node: 'node3', iface: 'eno3', type: 'eth' }, { node: 'node3', iface: 'eno4', type: 'eth' });
  });

  it('makes a Linux bond pending until applied, keeping bond-primary and the hash policy only where the writer does', async () => {
    const made = await call(root, 'POST', '/nodes/node3/network', { iface: 'bond1', type: 'bond', slaves: 'eno2 eno3', bond_mode: 'active-backup', 'bond-primary': 'eno3', bond_xmit_hash_policy: 'layer2+3' });
    expect(made.status).toBe(200);
    const listed = ((await call(root, 'GET', '/nodes/node3/network')).data as Array<Record<string, unknown>>).find((i) => i.iface === 'bond1');
    expect(listed).toMatchObject({ type: 'bond', slaves: 'eno2 eno3', bond_mode: 'active-backup', 'bond-primary': 'eno3' });
    expect(listed?.bond_xmit_hash_policy).toBeUndefined();
    expect(listed?.active).toBeUndefined();
    await taskEnded(String((await call(root, 'PUT', '/nodes/node3/network')).data));
    expect(runningInterfaces(sim.state, 'node3').find((i) => i.iface === 'bond1')).toMatchObject({ slaves: 'eno2 eno3', 'bond-primary': 'eno3' });
  });

  it('refuses a slave in another bond, a missing slave, a primary that is no slave and a bridge port that does not exist', async () => {
    const used = await call(root, 'POST', '/nodes/node3/network', { iface: 'bond2', type: 'bond', slaves: 'eno3,eno4', bond_mode: '802.3ad' });
    expect([used.status, used.errors]).toEqual([400, { slaves: "eno3 is already used on interface 'bond1'." }]);
    const missing = await call(root, 'POST', '/nodes/node3/network', { iface: 'bond2', type: 'bond', slaves: 'eno4 eno9' });
    expect([missing.status, missing.statusText]).toEqual([500, "bond 'bond2' - unable to find slave 'eno9'"]);
    const primary = await call(root, 'POST', '/nodes/node3/network', { iface: 'bond2', type: 'bond', slaves: 'eno4', bond_mode: 'active-backup', 'bond-primary': 'eno2' });
    expect([primary.status, primary.statusText]).toEqual([500, "bond 'bond2' - bond-primary interface is not a slave"]);
    const noPort = await call(root, 'POST', '/nodes/node3/network', { iface: 'vmbr5', type: 'bridge', bridge_ports: 'eno8' });
    expect([noPort.status, noPort.statusText]).toEqual([500, "bridge 'vmbr5' - unable to find bridge port 'eno8'"]);
    const bridged = await call(root, 'POST', '/nodes/node3/network', { iface: 'vmbr5', type: 'bridge', bridge_ports: 'eno1' });
    expect([bridged.status, bridged.errors]).toEqual([400, { bridge_ports: "eno1 is already used on interface 'vmbr0'." }]);
    expect((await call(root, 'GET', '/nodes/node3/network')).changes).toBeUndefined();
  });

  it('makes a VLAN-aware bridge on a bond with an address; the hash policy stays on an 802.3ad bond', async () => {
    expect((await call(root, 'POST', '/nodes/node3/network', { iface: 'bond2', type: 'bond', slaves: 'eno4', bond_mode: '802.3ad', bond_xmit_hash_policy: 'layer3+4', 'bond-primary': 'eno4' })).status).toBe(200);
    expect((await call(root, 'POST', '/nodes/node3/network', { iface: 'vmbr5', type: 'bridge', bridge_ports: 'bond2', bridge_vlan_aware: '1', cidr: '10.9.0.3/24' })).status).toBe(200);
    const read = await call(root, 'GET', '/nodes/node3/network');
    expect(read.changes).toContain('+iface vmbr5');
    await taskEnded(String((await call(root, 'PUT', '/nodes/node3/network')).data));
    const running = runningInterfaces(sim.state, 'node3');
    expect(running.find((i) => i.iface === 'bond2')).toEqual({ node: 'node3', iface: 'bond2', type: 'bond', slaves: 'eno4', bond_mode: '802.3ad', bond_xmit_hash_policy: 'layer3+4' });
    expect(running.find((i) => i.iface === 'vmbr5')).toMatchObject({ bridge_ports: 'bond2', bridge_vlan_aware: 1, cidr: '10.9.0.3/24' });
  });
});

describe('SDN zones and subnets', () => {
  it('refuses a zone without what its type needs, as the zone plugins declare it', async () => {
    const vlan = await call(root, 'POST', '/cluster/sdn/zones', { zone: 'tagged', type: 'vlan' });
    expect([vlan.status, vlan.errors]).toEqual([400, { bridge: 'property is missing and it is not optional' }]);
    const qinq = await call(root, 'POST', '/cluster/sdn/zones', { zone: 'stacked', type: 'qinq' });
    expect([qinq.status, qinq.errors]).toEqual([400, { bridge: 'property is missing and it is not optional', tag: 'property is missing and it is not optional' }]);
    const vxlan = await call(root, 'POST', '/cluster/sdn/zones', { zone: 'overlay', type: 'vxlan', peers: '10.0.0.1,not-an-ip' });
    expect(vxlan.status).toBe(400);
    const dup = await call(root, 'POST', '/cluster/sdn/zones', { zone: 'isolated', type: 'simple' });
    expect([dup.status, dup.statusText]).toEqual([500, "sdn zone object ID 'isolated' already defined"]);
    const denied = await call(auditor, 'POST', '/cluster/sdn/zones', { zone: 'mine', type: 'simple' });
    expect([denied.status, denied.statusText]).toEqual([403, 'Permission check failed (/sdn/zones, SDN.Allocate)']);
  });

  it('a new zone is pending until PUT /cluster/sdn; a zone a vnet uses is not deleted', async () => {
    expect((await call(root, 'POST', '/cluster/sdn/zones', { zone: 'overlay', type: 'vxlan', peers: '10.0.0.1,10.0.0.2', mtu: '1450' })).status).toBe(200);
    const pending = (await call(root, 'GET', '/cluster/sdn/zones', { pending: '1' })).data as Array<Record<string, unknown>>;
    expect(pending.find((z) => z.zone === 'overlay')).toEqual({ zone: 'overlay', type: 'vxlan', state: 'new', pending: { peers: '10.0.0.1,10.0.0.2', mtu: 1450 } });
    await taskEnded(String((await call(root, 'PUT', '/cluster/sdn')).data));
    expect(sdnOf(sim.state).running.zones.get('overlay')).toMatchObject({ type: 'vxlan', peers: '10.0.0.1,10.0.0.2' });

    const inUse = await call(root, 'DELETE', '/cluster/sdn/zones/isolated');
    expect([inUse.status, inUse.statusText]).toEqual([500, 'zone isolated is used by vnet privnet']);
    expect((await call(root, 'DELETE', '/cluster/sdn/zones/overlay')).status).toBe(200);
    const after = (await call(root, 'GET', '/cluster/sdn/zones', { pending: '1' })).data as Array<Record<string, unknown>>;
    expect(after.find((z) => z.zone === 'overlay')?.state).toBe('deleted');
  });

  it('deletes a subnet by its id (<zone>-<cidr with / as ->), pending until applied', async () => {
    const wrong = await call(root, 'DELETE', '/cluster/sdn/vnets/privnet/subnets/isolated-10.99.0.0-24');
    expect([wrong.status, wrong.statusText]).toEqual([500, "sdn subnet ID 'isolated-10.99.0.0-24' does not exist"]);
    const denied = await call(auditor, 'DELETE', '/cluster/sdn/vnets/privnet/subnets/isolated-10.50.0.0-24');
    expect(denied.status).toBe(403);
    expect((await call(root, 'DELETE', '/cluster/sdn/vnets/privnet/subnets/isolated-10.50.0.0-24')).status).toBe(200);
    expect(sdnOf(sim.state).running.subnets.has('isolated-10.50.0.0-24')).toBe(true);
    await taskEnded(String((await call(root, 'PUT', '/cluster/sdn')).data));
    expect(sdnOf(sim.state).running.subnets.has('isolated-10.50.0.0-24')).toBe(false);
  });
});
