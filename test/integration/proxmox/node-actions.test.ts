// The Proxmox provider's node actions on the simulator's migration cluster: the
// evacuation plan, node maintenance (five guests moved, each a child task, the
// node marked in its notes; exit), a node that cannot be emptied, HA maintenance
// set with ha-manager, reboot and shutdown refused while guests run — every
// outcome read back from the simulator's state.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../../electron/core/providers/provider';
import { MAINTENANCE_MARK } from '../../../electron/core/providers/proxmox/maintenance-mark';
import { proxmoxDescriptor } from '../../../electron/core/providers/proxmox/descriptor';
import type { ProxmoxSimulator } from '../../sim/proxmox';
import { inlineChildren, type RecordedChild } from '../../fixtures/child-tasks';
import { connectedSimulator, failure, reporter, waitFor, type Mirror } from './helpers';

describe('Proxmox provider: node actions', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let mirror: Mirror;
  let stop: (() => Promise<void>) | undefined;

  const onNode = (node: string, action: Parameters<Provider['runAction']>[1], params = {}) => {
    const r = reporter();
    const children: RecordedChild[] = [];
    r.child = inlineChildren(r.signal, children);
    return { r, children, done: provider.runAction({ nativeRef: node, kind: 'host' }, action, params, r) };
  };
  const guestsOn = (node: string) => [...sim.state.guests.values()].filter((g) => g.node === node && !g.template).map((g) => g.vmid);

  beforeAll(async () => {
    ({ sim, provider, mirror, stop } = await connectedSimulator({ seed: 'migration', taskDurationMs: 150 }));
    sim.state.nodeRebootMs = 500;
  });
  afterAll(() => stop?.());

  it("names the maintenance as Proxmox does and says it moves guests live", () => {
    expect(proxmoxDescriptor.facets).toMatchObject({ migration: 'live', maintenanceMode: { en: 'Node Maintenance', 'zh-CN': '节点维护' } });
  });

  it('plans an evacuation: a target for what can move, PVE reason for what cannot', async () => {
    const plan = await provider.migration!.evacuationPlan('pve2');
    expect(plan).toEqual([
      { vmRef: 'qemu/112', reason: expect.objectContaining({ serverCode: 'local_disks', serverParams: ['local-lvm:vm-112-disk-0'] }) },
      { vmRef: 'qemu/113', reason: expect.objectContaining({ serverCode: 'local_resources', serverParams: ['hostpci0'] }) },
      { vmRef: 'qemu/114', reason: expect.objectContaining({ serverCode: 'unavailable_storages', serverParams: ['fast-ssd'] }) },
      // 12 GiB fit pve1 (64 GiB), not pve3 (8 GiB)
      { vmRef: 'qemu/116', hostRef: 'pve1' },
    ]);
  });

  it('enters node maintenance: five guests moved as child tasks, the node marked in its notes; exit takes the mark off', async () => {
    expect(guestsOn('pve1')).toHaveLength(5);
    const { children, done, r } = onNode('pve1', 'maintenance_enter');
    await done;
    expect(children.map((c) => [c.step.target.nativeRef, c.step.action, c.info.status])).toEqual([
      ['qemu/110', 'migrate', 'success'],
      ['qemu/111', 'migrate', 'success'],
      ['qemu/115', 'migrate', 'success'],
      ['lxc/120', 'migrate', 'success'],
      ['lxc/121', 'migrate', 'success'],
    ]);
    expect(r.fractions.length).toBeGreaterThan(4);
    expect(guestsOn('pve1')).toEqual([]);
    expect(sim.state.guest(110)).toMatchObject({ status: 'running' });
    expect(sim.state.guest(120)).toMatchObject({ status: 'running' });
    expect(sim.state.node('pve1')!.description).toBe(MAINTENANCE_MARK);
    await mirror.until(() => mirror.get('host', 'pve1')?.maintenance === true, 'pve1 in maintenance');
    expect(mirror.get('host', 'pve1')!.allowed).toContain('maintenance_exit');
    expect(mirror.get('host', 'pve1')!.allowed).not.toContain('maintenance_enter');

    await onNode('pve1', 'maintenance_exit').done;
    expect(sim.state.node('pve1')!.description).toBeUndefined();
    await mirror.until(() => mirror.get('host', 'pve1')?.maintenance === false, 'pve1 out of maintenance');
  });

  it('keeps what the user wrote in the notes around the mark', async () => {
    sim.state.node('pve3')!.description = 'rack 4, UPS B';
    await onNode('pve3', 'maintenance_enter').done;
    expect(sim.state.node('pve3')!.description).toBe(`rack 4, UPS B\n${MAINTENANCE_MARK}`);
    await onNode('pve3', 'maintenance_exit').done;
    expect(sim.state.node('pve3')!.description).toBe('rack 4, UPS B');
  });

  it('does not mark a node it could not empty: each unmovable guest fails as its own child with PVE reason', async () => {
    const { children, done } = onNode('pve2', 'maintenance_enter');
    const e = await failure(done);
    expect(e.info.message).toMatch(/^3 of \d+ guests did not leave pve2: db-01: /);
    const failed = children.filter((c) => c.info.status === 'failure').map((c) => [c.step.target.nativeRef, c.info.error?.serverCode]);
    expect(failed).toEqual([
      ['qemu/112', 'local_disks'],
      ['qemu/113', 'local_resources'],
      ['qemu/114', 'unavailable_storages'],
    ]);
    expect(sim.state.guest(116)!.node).not.toBe('pve2');
    expect(guestsOn('pve2').sort()).toEqual([112, 113, 114]);
    expect(sim.state.node('pve2')!.description).toBeUndefined();
  });

  it('evacuates with force: the running VM with a local disk moves, its disk copied along', async () => {
    const { children, done } = onNode('pve2', 'evacuate', { force: true });
    await failure(done);
    expect(children.find((c) => c.step.target.nativeRef === 'qemu/112')?.info.status).toBe('success');
    expect(sim.state.guest(112)!.node).not.toBe('pve2');
  });

  it('shows HA node maintenance set with ha-manager, and leaves ending it to ha-manager', async () => {
    sim.state.node('pve3')!.haMaintenance = true;
    await mirror.until(() => mirror.get('host', 'pve3')?.maintenance === true, 'pve3 in HA maintenance');
    expect(mirror.get('host', 'pve3')!.allowed).not.toContain('maintenance_exit');
    const e = await failure(onNode('pve3', 'maintenance_exit').done);
    expect(e.info).toMatchObject({ code: 'UNSUPPORTED' });
    expect(e.info.message).toContain('ha-manager crm-command node-maintenance disable pve3');
    sim.state.node('pve3')!.haMaintenance = false;
    await mirror.until(() => mirror.get('host', 'pve3')?.maintenance === false, 'pve3 out of HA maintenance');
  });

  it('stops a cancelled maintenance before the next guest: the running move is stopped in PVE, the node not marked', async () => {
    const before = guestsOn('pve1');
    expect(before.length).toBeGreaterThan(2);
    sim.tasks.durationMs = 3000;
    try {
      const { r, children, done } = onNode('pve1', 'maintenance_enter');
      await waitFor(() => [...sim.state.guests.values()].some((g) => g.lock === 'migrate'), 'the first move running');
      r.abort.abort();
      expect((await failure(done)).info.code).toBe('CANCELLED');
      expect(children).toHaveLength(1);
      expect(children[0].info.error?.code).toBe('CANCELLED');
      expect(guestsOn('pve1')).toEqual(before);
      expect([...sim.state.guests.values()].every((g) => g.lock === undefined)).toBe(true);
      expect(sim.state.node('pve1')!.description).toBeUndefined();
    } finally {
      sim.tasks.durationMs = 150;
    }
  });

  it('refuses to reboot a node that runs guests unless forced', async () => {
    const running = guestsOn('pve1').filter((id) => sim.state.guest(id)!.status === 'running');
    expect(running.length).toBeGreaterThan(0);
    const e = await failure(onNode('pve1', 'host_reboot').done);
    expect(e.info.code).toBe('INVALID_INPUT');
    expect(sim.state.node('pve1')!.online).toBe(true);
    expect(sim.state.guest(running[0])!.status).toBe('running');
  });

  it('reboots an empty node: the task ends when PVE shows it back online', async () => {
    expect(guestsOn('pve3')).toEqual([]);
    const booted = sim.state.node('pve3')!.bootedAt;
    const { done } = onNode('pve3', 'host_reboot');
    await waitFor(() => !sim.state.node('pve3')!.online, 'pve3 down');
    await done;
    expect(sim.state.node('pve3')).toMatchObject({ online: true });
    expect(sim.state.node('pve3')!.bootedAt).toBeGreaterThan(booted);
  });

  it('shuts a node down with force: its guests stop, the node stays offline', async () => {
    const running = guestsOn('pve1').filter((id) => sim.state.guest(id)!.status === 'running');
    await onNode('pve1', 'host_shutdown', { force: true }).done;
    expect(sim.state.node('pve1')!.online).toBe(false);
    for (const id of running) expect(sim.state.guest(id)!.status).toBe('stopped');
    await mirror.until(() => mirror.get('host', 'pve1')?.state === 'halted', 'pve1 halted');
    expect(mirror.get('host', 'pve1')!.allowed).toEqual([]);
  });

  it('powers a node on by wake on LAN where its config has a MAC, the task ending when PVE shows it online', async () => {
    await onNode('pve3', 'host_shutdown').done;
    await mirror.until(() => !!mirror.get('host', 'pve3')?.allowed.includes('host_power_on'), 'pve3 offline and wakeable');
    expect(mirror.get('host', 'pve3')!.state).toBe('halted');
    await onNode('pve3', 'host_power_on').done;
    expect(sim.state.node('pve3')!.online).toBe(true);
    await mirror.until(() => mirror.get('host', 'pve3')?.state === 'running', 'pve3 running');
  });
});
