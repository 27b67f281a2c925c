// The Proxmox provider moving guests on the simulator's migration cluster
// (pve1–pve3): the plan from PVE's precondition answers with PVE's reasons, live
// migration, local disks copied only when forced, LXC restart migration, the
// failures PVE's worker reports (memory), cancel — each checked in the
// simulator's state and, for one, through an independent HTTP client.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ProxmoxSimulator } from '../../sim/proxmox';
import { connectedSimulator, failure, fetchAsRoot, reporter, type Mirror, SERVER_ID, waitFor } from './helpers';

describe('Proxmox provider: migration', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let mirror: Mirror;
  let stop: (() => Promise<void>) | undefined;

  const targets = async (vmRef: string) => Object.fromEntries((await provider.migration!.plan([vmRef]))[0].targets.map((t) => [t.hostRef, t]));
  const migrate = (vmRef: string, kind: string, targetRef: string, r = reporter(), force = false) =>
    provider.runAction({ nativeRef: vmRef, kind }, 'migrate', { targetRef, ...(force ? { force: true } : {}) }, r);

  beforeAll(async () => {
    ({ sim, provider, mirror, stop } = await connectedSimulator({ seed: 'migration', taskDurationMs: 200 }));
  });
  afterAll(() => stop?.());

  it('offers migrate on guests and the migration facet on the descriptor', async () => {
    expect(mirror.get('vm', 'qemu/110')!.allowed).toContain('migrate');
    expect(mirror.get('container', 'lxc/120')!.allowed).toContain('migrate');
    expect(mirror.get('host', 'pve1')).toMatchObject({ maintenance: false });
    expect(mirror.get('host', 'pve1')!.allowed).toEqual(expect.arrayContaining(['maintenance_enter', 'evacuate', 'host_reboot', 'host_shutdown']));
    expect(mirror.get('host', 'pve1')!.allowed).not.toContain('maintenance_exit');
  });

  it('plans from GET …/migrate: every other node ok or with PVE reason and parameters', async () => {
    expect(await targets('qemu/110')).toEqual({ pve2: { hostRef: 'pve2', ok: true }, pve3: { hostRef: 'pve3', ok: true } });
    const db = await targets('qemu/112');
    expect(db.pve1).toMatchObject({ ok: false, reason: { code: 'SERVER_ERROR', serverCode: 'local_disks', serverParams: ['local-lvm:vm-112-disk-0'] } });
    const gpu = await targets('qemu/113');
    expect(gpu.pve3).toMatchObject({ ok: false, reason: { serverCode: 'local_resources', serverParams: ['hostpci0'] } });
    const pinned = await targets('qemu/114');
    expect(pinned.pve1).toMatchObject({ ok: false, reason: { serverCode: 'unavailable_storages', serverParams: ['fast-ssd'] } });
    expect(pinned.pve1.reason!.message).toBe('Storage fast-ssd is not available on pve1.');
    // a running container moves in restart mode: the dialog says it stops
    expect(await targets('lxc/120')).toMatchObject({ pve2: { ok: true, offline: true }, pve3: { ok: true, offline: true } });
  });

  it('names an offline node as the reason, and guests lose migrate when no other node is online', async () => {
    sim.state.node('pve3')!.online = false;
    await mirror.until(() => mirror.get('host', 'pve3')?.state === 'halted', 'pve3 offline');
    expect((await targets('qemu/110')).pve3).toMatchObject({ ok: false, reason: { serverCode: 'offline', serverParams: ['pve3'] } });
    // a guest on the offline node cannot be asked to move: PVE would answer for it from there
    await mirror.until(() => !mirror.get('container', 'lxc/130')!.allowed.includes('migrate'), 'monitor on offline pve3 without migrate');
    sim.state.node('pve2')!.online = false;
    await mirror.until(() => !mirror.get('vm', 'qemu/110')!.allowed.includes('migrate'), 'migrate gone from web-01');
    sim.state.node('pve2')!.online = true;
    sim.state.node('pve3')!.online = true;
    await mirror.until(() => !!mirror.get('vm', 'qemu/110')?.allowed.includes('migrate'), 'migrate back on web-01');
  });

  it('moves a running VM online: the worker followed with progress, the guest on the target in PVE and in the tree', async () => {
    const r = reporter();
    await migrate('qemu/110', 'vm', 'pve2', r);
    expect(sim.state.guest(110)).toMatchObject({ node: 'pve2', status: 'running', lock: undefined });
    const task = [...sim.tasks.tasks.values()].find((t) => t.type === 'qmigrate' && t.id === '110')!;
    expect(task.log.join('\n')).toContain('migration status: completed');
    expect(r.fractions.some((f) => f > 0 && f < 1)).toBe(true);
    expect(r.fractions.at(-1)).toBe(1);
    // another client reads the same from the API
    const res = await fetchAsRoot(sim, 'GET', '/cluster/resources?type=vm', {});
    expect((JSON.parse(res.body).data as Array<{ id: string; node: string }>).find((e) => e.id === 'qemu/110')?.node).toBe('pve2');
    await mirror.until(() => mirror.get('vm', 'qemu/110')?.parentId === `${SERVER_ID}:host:pve2`, 'web-01 under pve2');
  });

  it('fails a running VM with a local disk with PVE words, and moves it with force (with-local-disks)', async () => {
    const e = await failure(migrate('qemu/112', 'vm', 'pve1'));
    expect(e.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'TASK ERROR', serverParams: [expect.stringMatching(/^migration aborted$/), expect.stringMatching(/^UPID:pve2:/)] });
    expect(e.info.message).toBe('migration aborted: can\'t live migrate attached local disks without with-local-disks option');
    expect(sim.state.guest(112)).toMatchObject({ node: 'pve2', lock: undefined });
    await migrate('qemu/112', 'vm', 'pve1', reporter(), true);
    expect(sim.state.guest(112)).toMatchObject({ node: 'pve1', status: 'running' });
    const task = [...sim.tasks.tasks.values()].filter((t) => t.type === 'qmigrate' && t.id === '112').at(-1)!;
    expect(task.log.join('\n')).toContain("found local disk 'local-lvm:vm-112-disk-0' (attached)");
  });

  it('reports a target without the memory as PVE does, the VM staying where it was', async () => {
    const e = await failure(migrate('qemu/116', 'vm', 'pve3'));
    expect(e.info).toMatchObject({ code: 'SERVER_ERROR', serverParams: [expect.stringMatching(/^migration problems$/), expect.any(String)] });
    expect(e.info.message).toContain('online migrate failure - remote command failed with exit code 255');
    expect(sim.state.guest(116)).toMatchObject({ node: 'pve2', status: 'running', lock: undefined });
  });

  it('restart-migrates a running container: stopped in PVE while it moves, running on the target after', async () => {
    const moving = migrate('lxc/120', 'container', 'pve3');
    await waitFor(() => sim.state.guest(120)!.status === 'stopped', 'the container stopped for the move');
    await moving;
    expect(sim.state.guest(120)).toMatchObject({ node: 'pve3', status: 'running' });
    const task = [...sim.tasks.tasks.values()].find((t) => t.type === 'vzmigrate' && t.id === '120')!;
    expect(task.log.join('\n')).toContain('shutdown CT 120');
  });

  it('answers PVE refusals before the worker: a locked guest', async () => {
    sim.state.guest(111)!.lock = 'backup';
    await mirror.until(() => !mirror.get('vm', 'qemu/111')!.allowed.includes('migrate'), 'web-02 locked');
    const e = await failure(migrate('qemu/111', 'vm', 'pve3'));
    expect(e.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: '500' });
    expect(e.info.message).toContain('VM is locked (backup)');
    sim.state.guest(111)!.lock = undefined;
  });

  it('cancels a migration: PVE stops the worker, the guest stays and is unlocked', async () => {
    sim.tasks.durationMs = 5000;
    try {
      const r = reporter();
      const moving = failure(migrate('qemu/111', 'vm', 'pve3', r));
      await waitFor(() => sim.state.guest(111)!.lock === 'migrate' && r.cancel !== null, 'the migration running');
      await r.cancel!();
      expect((await moving).info.code).toBe('CANCELLED');
      expect(sim.state.guest(111)).toMatchObject({ node: 'pve1', lock: undefined });
      const task = [...sim.tasks.tasks.values()].filter((t) => t.type === 'qmigrate' && t.id === '111').at(-1)!;
      expect(task.exitstatus).toBe('interrupted by signal');
    } finally {
      sim.tasks.durationMs = 200;
    }
  });
});
