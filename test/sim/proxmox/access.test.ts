// Users and permissions in the Proxmox simulator over HTTP as a client sees it: realms,
// a pve-realm user logging in as user@realm, its effective permissions from a group's ACL
// entry on one VM, PVE's 403 for a call outside them, and ACL changes read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from './index';

let sim: ProxmoxSimulator;

async function login(username: string, password: string): Promise<{ cookie: string; csrf: string } | number> {
  const res = await fetch(`${sim.url}/api2/json/access/ticket`, { method: 'POST', body: new URLSearchParams({ username, password }) });
  if (res.status !== 200) return res.status;
  const data = ((await res.json()) as { data: { ticket: string; CSRFPreventionToken: string } }).data;
  return { cookie: `PVEAuthCookie=${encodeURIComponent(data.ticket)}`, csrf: data.CSRFPreventionToken };
}

async function call(who: { cookie: string; csrf: string }, method: string, path: string, params: Record<string, string> = {}) {
  const query = method === 'GET' ? `?${new URLSearchParams(params)}` : '';
  const res = await fetch(`${sim.url}/api2/json${path}${query}`, {
    method,
    headers: { Cookie: who.cookie, CSRFPreventionToken: who.csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: method === 'GET' ? undefined : new URLSearchParams(params).toString(),
  });
  return { status: res.status, statusText: res.statusText, data: ((await res.json()) as { data: unknown }).data };
}

beforeAll(async () => {
  sim = await startProxmoxSimulator({
    tls: false,
    taskDurationMs: 30,
    access: { groups: ['operators'], users: [{ userid: 'alice@pve', password: 'alice-secret', groups: ['operators'] }], acl: [{ path: '/vms/100', type: 'group', ugid: 'operators', roleid: 'PVEVMUser', propagate: true }] },
  });
});
afterAll(() => sim?.stop());

describe('access', () => {
  it('lists the realms without a login, and refuses a wrong password', async () => {
    const res = await fetch(`${sim.url}/api2/json/access/domains`);
    expect(((await res.json()) as { data: Array<{ realm: string }> }).data.map((r) => r.realm)).toEqual(['pam', 'pve']);
    expect(await login('alice@pve', 'wrong')).toBe(401);
  });

  it('a group member gets the role on that VM only: power yes, snapshot and other VMs no (403 as PVE words it)', async () => {
    const alice = (await login('alice@pve', 'alice-secret')) as { cookie: string; csrf: string };
    const perms = (await call(alice, 'GET', '/access/permissions')).data as Record<string, Record<string, number>>;
    expect(Object.keys(perms)).toEqual(['/vms/100']);
    expect(perms['/vms/100']).toMatchObject({ 'VM.PowerMgmt': 1, 'VM.Console': 1 });
    expect(perms['/vms/100']!['VM.Snapshot']).toBeUndefined();
    const node = sim.state.guest(100)!.node;
    const snap = await call(alice, 'POST', `/nodes/${node}/qemu/100/snapshot`, { snapname: 'nope' });
    expect([snap.status, snap.statusText]).toEqual([403, 'Permission check failed (/vms/100, VM.Snapshot)']);
    expect(sim.state.guest(100)!.snapshots.has?.('nope') ?? false).toBe(false);
    const other = [...sim.state.guests.values()].find((g) => g.vmid !== 100 && g.type === 'qemu')!;
    const start = await call(alice, 'POST', `/nodes/${other.node}/qemu/${other.vmid}/status/start`);
    expect([start.status, start.statusText]).toEqual([403, `Permission check failed (/vms/${other.vmid}, VM.PowerMgmt)`]);
  });

  it('root changes the ACL and adds users and groups; the user’s permissions follow', async () => {
    const root = (await login('root@pam', 'password')) as { cookie: string; csrf: string };
    expect((await call(root, 'POST', '/access/groups', { groupid: 'auditors' })).status).toBe(200);
    expect((await call(root, 'POST', '/access/users', { userid: 'bob@pve', password: 'bob-secret-1', groups: 'auditors' })).status).toBe(200);
    expect((await call(root, 'PUT', '/access/acl', { path: '/', roles: 'PVEAuditor', groups: 'auditors' })).status).toBe(200);
    expect(sim.state.access.acl).toContainEqual({ path: '/', type: 'group', ugid: 'auditors', roleid: 'PVEAuditor', propagate: true });
    const bob = (await login('bob@pve', 'bob-secret-1')) as { cookie: string; csrf: string };
    const perms = (await call(bob, 'GET', '/access/permissions')).data as Record<string, Record<string, number>>;
    expect(perms['/vms']).toMatchObject({ 'VM.Audit': 1 });
    const acl = (await call(bob, 'PUT', '/access/acl', { path: '/vms/100', roles: 'Administrator', users: 'bob@pve' }));
    expect([acl.status, acl.statusText]).toEqual([403, 'Permission check failed (/vms/100, Permissions.Modify)']);
    expect((await call(root, 'PUT', '/access/acl', { path: '/', roles: 'PVEAuditor', groups: 'auditors', delete: '1' })).status).toBe(200);
    expect(sim.state.access.acl.some((e) => e.ugid === 'auditors')).toBe(false);
  });
});
