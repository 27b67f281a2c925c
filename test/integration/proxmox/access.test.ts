// Users and permissions on Proxmox VE (issue 16) against the simulator: a pve-realm user
// logs in as user@realm, its session's access comes from GET /access/permissions — a
// group's PVEVMUser role on one VM over PVEAuditor everywhere — so that VM may be powered
// but not snapshotted and the others not even powered, which the server then refuses too;
// the Users tab's subjects and an ACL change read back from the simulator's state.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { providerFor, reporter, SERVER_ID } from './helpers';
import type { Provider } from '../../../electron/core/providers/provider';

let sim: ProxmoxSimulator;
let alice: Provider;
let root: Provider;

beforeAll(async () => {
  sim = await startProxmoxSimulator({
    taskDurationMs: 30,
    access: {
      groups: ['operators'],
      users: [{ userid: 'alice@pve', password: 'alice-secret', groups: ['operators'] }],
      acl: [
        { path: '/', type: 'group', ugid: 'operators', roleid: 'PVEAuditor', propagate: true },
        { path: '/vms/100', type: 'group', ugid: 'operators', roleid: 'PVEVMUser', propagate: true },
      ],
    },
  });
  root = providerFor(sim);
  alice = providerFor(sim, { username: 'alice', password: 'alice-secret', options: { realm: 'pve' } });
  await Promise.all([root.connect(), alice.connect()]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([alice?.disconnect(), root?.disconnect()]);
  await sim?.stop();
});

describe('Proxmox VE users and permissions', () => {
  it('root@pam may do anything', () => {
    expect(root.access!.session()).toMatchObject({ user: 'root@pam', superuser: true, denied: {} });
  });

  it('a group member’s access per VM, as GET /access/permissions gives it', async () => {
    const access = alice.access!.session()!;
    expect(access).toMatchObject({ user: 'alice@pve', superuser: false });
    expect(access.roles.sort()).toEqual(['PVEAuditor', 'PVEVMUser']);
    // server-wide (PVEAuditor on /): nothing but looking
    expect(access.denied).toMatchObject({ start: 'VM.PowerMgmt on /vms', snapshot_create: 'VM.Snapshot on /vms', access_manage: 'Permissions.Modify on /' });
    const vm100 = access.deniedOn?.[`${SERVER_ID}:vm:qemu/100`];
    expect(vm100?.start).toBeUndefined();
    expect(vm100?.snapshot_create).toBe('VM.Snapshot on /vms/100');
    const g100 = sim.state.guest(100)!;
    // the server agrees: power on VM 100 runs, its snapshot and another VM's start are refused with PVE's words
    await expect(alice.runAction({ nativeRef: 'qemu/100', kind: 'vm' }, 'snapshot_create', { name: 'nope' }, reporter())).rejects.toMatchObject({ info: { serverCode: '403', serverParams: ['Permission check failed (/vms/100, VM.Snapshot)'] } });
    expect(g100.snapshots.has('nope')).toBe(false);
    const other = [...sim.state.guests.values()].find((g) => g.vmid !== 100 && g.type === 'qemu' && !g.template)!;
    await expect(alice.runAction({ nativeRef: `qemu/${other.vmid}`, kind: 'vm' }, other.status === 'running' ? 'shutdown' : 'start', {}, reporter())).rejects.toMatchObject({ info: { serverCode: '403' } });
  });

  it('lists users and groups with their ACL roles, and gives a role on / (read back from the simulator)', async () => {
    const overview = await root.access!.overview();
    expect(overview.subjects.find((s) => s.id === 'group:operators')?.roles.sort()).toEqual(['PVEAuditor', 'PVEVMUser (/vms/100)']);
    expect(overview.subjects.map((s) => s.name)).toEqual(expect.arrayContaining(['root@pam', 'alice@pve', 'operators']));
    expect(overview.roles.map((r) => r.name)).toContain('PVEVMAdmin');
    await root.access!.setRole('group:operators', 'PVEVMAdmin');
    expect(sim.state.access.acl.filter((e) => e.ugid === 'operators').map((e) => [e.path, e.roleid])).toEqual([
      ['/vms/100', 'PVEVMUser'],
      ['/', 'PVEVMAdmin'],
    ]);
    await root.access!.removeSubject('group:operators');
    expect(sim.state.access.acl.some((e) => e.ugid === 'operators')).toBe(false);
    await expect(alice.access!.addSubject('alice@pve', 'Administrator')).rejects.toMatchObject({ info: { serverCode: '403' } });
  });
});
