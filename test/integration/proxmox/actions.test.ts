// Snapshot and power actions through the provider against the simulator: each
// one starts a real PVE task (UPID) that the provider follows to its end.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ActionName } from '../../../shared/model';
import type { ActionParams } from '../../../shared/contract';
import { failure, Mirror, providerFor, reporter, SERVER_ID, waitFor } from './helpers';

describe('Proxmox provider actions', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let mirror: Mirror;

  const run = (ref: string, kind: string, action: ActionName, params: ActionParams = {}, r = reporter()) =>
    provider.runAction({ nativeRef: ref, kind }, action, params, r);

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 120 });
    provider = providerFor(sim, {}, { pollIntervalMs: 5000 });
    mirror = new Mirror(provider);
    await provider.connect();
  });
  afterAll(async () => {
    await provider?.disconnect();
    await sim?.stop();
  });

  describe('snapshots', () => {
    it('takes a qemu snapshot with RAM and shows it at once, with progress', async () => {
      const r = reporter();
      sim.tasks.durationMs = 1500; // long enough for progress polls to see it running, however loaded the machine
      const result = await run('qemu/100', 'vm', 'snapshot_create', { name: 'with_ram', description: 'RAM too', memory: true }, r).finally(
        () => (sim.tasks.durationMs = 120),
      );
      expect(result.resultId).toBe(`${SERVER_ID}:snapshot:qemu/100/with_ram`);
      expect(sim.state.guest(100)!.snapshots.get('with_ram')).toMatchObject({ vmstate: 'local-lvm:vm-100-state-with_ram', parent: 'snap2' });
      const node = mirror.nodes.get(result.resultId!)!;
      expect(node.snapshot).toMatchObject({ withMemory: true, description: 'RAM too', parentSnapshotId: `${SERVER_ID}:snapshot:qemu/100/snap2` });
      expect(mirror.get('vm', 'qemu/100')!.currentSnapshotId).toBe(result.resultId);
      expect(r.fractions.at(-1)).toBe(1);
      expect(r.fractions.some((f) => f > 0 && f < 1)).toBe(true);
      expect(r.cancel).toBeNull();
    });

    it('takes an lxc snapshot without RAM even when asked for memory', async () => {
      const result = await run('lxc/106', 'container', 'snapshot_create', { name: 'ct_snap', memory: true });
      expect(sim.state.guest(106)!.snapshots.get('ct_snap')?.vmstate).toBeUndefined();
      expect(mirror.nodes.get(result.resultId!)!.snapshot).toMatchObject({ withMemory: false, parentSnapshotId: `${SERVER_ID}:snapshot:lxc/106/snapshot1` });
    });

    it('reverts a qemu VM to a snapshot with RAM: it comes back running from there', async () => {
      Object.assign(sim.state.guest(100)!, { status: 'stopped', qmpstatus: undefined, startedAt: undefined });
      await run('qemu/100/snap1', 'snapshot', 'snapshot_revert');
      const g = sim.state.guest(100)!;
      expect(g.parent).toBe('snap1');
      expect(g.status).toBe('running');
      const vm = mirror.get('vm', 'qemu/100')!;
      expect(vm.currentSnapshotId).toBe(`${SERVER_ID}:snapshot:qemu/100/snap1`);
      expect(vm.state).toBe('running');
    });

    it('reverts a container: it ends stopped at that snapshot', async () => {
      await run('lxc/106/snapshot1', 'snapshot', 'snapshot_revert');
      expect(sim.state.guest(106)!.status).toBe('stopped');
      const ct = mirror.get('container', 'lxc/106')!;
      expect(ct.currentSnapshotId).toBe(`${SERVER_ID}:snapshot:lxc/106/snapshot1`);
      expect(ct.state).toBe('halted');
    });

    it('deletes a snapshot in the middle of the chain: its child moves up', async () => {
      // qemu/100: snap1 → snap2 → with_ram; delete snap2
      await run('qemu/100/snap2', 'snapshot', 'snapshot_delete');
      expect(sim.state.guest(100)!.snapshots.has('snap2')).toBe(false);
      expect(mirror.get('snapshot', 'qemu/100/snap2')).toBeUndefined();
      expect(mirror.get('snapshot', 'qemu/100/with_ram')!.snapshot!.parentSnapshotId).toBe(`${SERVER_ID}:snapshot:qemu/100/snap1`);
    });

    it('rejects a name PVE would refuse, before sending it', async () => {
      const e = await failure(run('qemu/102', 'vm', 'snapshot_create', { name: 'has spaces' }));
      expect(e.code).toBe('INVALID_INPUT');
    });

    it('reports the server error of a duplicate name', async () => {
      const e = await failure(run('qemu/100', 'vm', 'snapshot_create', { name: 'snap1' }));
      expect(e.code).toBe('SERVER_ERROR');
      expect(e.message).toBe("snapshot name 'snap1' already used");
      expect(e.info.serverCode).toBe('TASK ERROR');
      expect(e.info.serverParams?.[1]).toMatch(/^UPID:node2:/);
    });

    it('fails a conflicting operation while a snapshot task holds the lock', async () => {
      sim.tasks.durationMs = 1500; // long enough to hold the lock on a loaded machine
      const slow = run('qemu/102', 'vm', 'snapshot_create', { name: 'first' });
      await waitFor(() => sim.state.guest(102)!.lock === 'snapshot', 'the snapshot lock on qemu/102');
      const e = await failure(run('qemu/102', 'vm', 'snapshot_create', { name: 'second' }));
      sim.tasks.durationMs = 120;
      expect(e.code).toBe('SERVER_ERROR');
      expect(e.message).toBe('VM is locked (snapshot)');
      await slow;
      expect([...sim.state.guest(102)!.snapshots.keys()]).toEqual(['first']);
    });

    it('cancels a running snapshot task: the server stops it and nothing is left behind', async () => {
      sim.tasks.durationMs = 10_000; // it ends by the cancel
      const r = reporter();
      const pending = run('qemu/102', 'vm', 'snapshot_create', { name: 'never' }, r);
      await waitFor(() => r.cancel, 'the task to become cancellable');
      await r.cancel!();
      const e = await failure(pending);
      sim.tasks.durationMs = 120;
      expect(e.code).toBe('CANCELLED');
      expect(e.info.serverParams?.[0]).toBe('interrupted by signal');
      const g = sim.state.guest(102)!;
      expect(g.snapshots.has('never')).toBe(false);
      expect(g.lock).toBeUndefined();
      expect(mirror.get('snapshot', 'qemu/102/never')).toBeUndefined();
    });
  });

  describe('power', () => {
    const vmState = () => mirror.get('vm', 'qemu/200')!.state;

    it('runs the qemu power cycle: start, pause, unpause, reboot, reset, hibernate, resume, shutdown, stop', async () => {
      await run('qemu/200', 'vm', 'start');
      expect(sim.state.guest(200)!.status).toBe('running');
      expect(vmState()).toBe('running');

      await run('qemu/200', 'vm', 'pause');
      expect(sim.state.guest(200)!.qmpstatus).toBe('paused');
      expect(vmState()).toBe('paused');
      expect(mirror.get('vm', 'qemu/200')!.allowed).toContain('unpause');

      await run('qemu/200', 'vm', 'unpause');
      expect(vmState()).toBe('running');

      const before = sim.state.guest(200)!.startedAt!;
      await waitFor(() => Date.now() > before, 'the clock to move past the start time');
      await run('qemu/200', 'vm', 'reboot');
      expect(sim.state.guest(200)!.startedAt).toBeGreaterThan(before);

      await run('qemu/200', 'vm', 'force_reboot');
      expect(lastTaskType()).toBe('qmreset');

      await run('qemu/200', 'vm', 'suspend');
      expect(sim.state.guest(200)!).toMatchObject({ status: 'stopped', lock: 'suspended' });
      expect(vmState()).toBe('suspended');
      expect(mirror.get('vm', 'qemu/200')!.allowed).toEqual(['resume']);

      await run('qemu/200', 'vm', 'resume');
      expect(sim.state.guest(200)!).toMatchObject({ status: 'running', lock: undefined });
      expect(vmState()).toBe('running');

      await run('qemu/200', 'vm', 'shutdown');
      expect(vmState()).toBe('halted');

      await run('qemu/200', 'vm', 'start');
      await run('qemu/200', 'vm', 'force_shutdown');
      expect(lastTaskType()).toBe('qmstop');
      expect(vmState()).toBe('halted');
    });

    it('runs the lxc power cycle and refuses what containers do not have', async () => {
      await run('lxc/105', 'container', 'force_shutdown');
      expect(mirror.get('container', 'lxc/105')!.state).toBe('halted');
      await run('lxc/105', 'container', 'start');
      expect(lastTaskType()).toBe('vzstart');
      await run('lxc/105', 'container', 'reboot');
      expect(lastTaskType()).toBe('vzreboot');
      await run('lxc/105', 'container', 'shutdown');
      expect(mirror.get('container', 'lxc/105')!.state).toBe('halted');
      for (const action of ['force_reboot', 'pause', 'suspend'] as const) {
        const e = await failure(run('lxc/105', 'container', action));
        expect(e.code).toBe('UNSUPPORTED');
      }
    });

    it('reports PVE refusals: already running, not running, template', async () => {
      await run('qemu/200', 'vm', 'start');
      let e = await failure(run('qemu/200', 'vm', 'start'));
      expect(e).toMatchObject({ code: 'SERVER_ERROR', message: 'VM 200 already running' });
      e = await failure(run('lxc/105', 'container', 'shutdown'));
      expect(e).toMatchObject({ code: 'SERVER_ERROR', message: 'CT 105 not running' });
      e = await failure(run('qemu/101', 'template', 'start'));
      expect(e.message).toBe("you can't start a vm if it's a template");
      // refused before the task: HTTP 500 with the reason
      e = await failure(run('qemu/102', 'vm', 'pause'));
      expect(e).toMatchObject({ code: 'SERVER_ERROR', message: 'VM 102 not running', info: { serverCode: '500' } });
    });

    it('says NOT_FOUND for a guest that is gone', async () => {
      const e = await failure(run('qemu/999', 'vm', 'start'));
      expect(e.code).toBe('NOT_FOUND');
    });
  });

  function lastTaskType(): string {
    return [...sim.tasks.tasks.values()].at(-1)!.type;
  }
});
