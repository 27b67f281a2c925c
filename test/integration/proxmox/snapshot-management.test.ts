// The rest of snapshot management on Proxmox VE, through the provider against the
// simulator and read back from the simulator's own state: policy marks, editing a
// description (a rename PVE cannot do), a new guest or a template from a snapshot,
// and a revert that first keeps the current state.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, addSnapshot, type ProxmoxSimulator } from '../../sim/proxmox';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ActionName } from '../../../shared/model';
import type { ActionParams } from '../../../shared/contract';
import { policyTag } from '../../../shared/schedules';
import { failure, Mirror, providerFor, reporter, SERVER_ID } from './helpers';

const POLICY = 'polyvisor:7f0c1a52-policy';

describe('Proxmox snapshot management', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let mirror: Mirror;

  const run = (ref: string, kind: string, action: ActionName, params: ActionParams = {}, r = reporter()) =>
    provider.runAction({ nativeRef: ref, kind }, action, params, r);
  const simSnapshot = (vmid: number, name: string) => sim.state.guest(vmid)!.snapshots.get(name);

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

  describe('policy marks', () => {
    it('writes the policy tag on the description’s last line and reads it back as the node’s policy', async () => {
      const result = await run('qemu/102', 'vm', 'snapshot_create', { name: 'nightly1', description: 'kept by the nightly policy', policyId: POLICY });
      expect(simSnapshot(102, 'nightly1')!.description).toBe(`kept by the nightly policy\n${policyTag(POLICY)}`);
      const node = mirror.nodes.get(result.resultId!)!;
      expect(node.snapshot).toMatchObject({ policyId: POLICY, description: 'kept by the nightly policy' });
      expect(node.props.description).toBe('kept by the nightly policy');
    });

    it('marks a snapshot without a description with the tag alone, and leaves a user’s snapshot unmarked', async () => {
      const marked = await run('lxc/106', 'container', 'snapshot_create', { name: 'hourly1', policyId: POLICY });
      expect(simSnapshot(106, 'hourly1')!.description).toBe(policyTag(POLICY));
      expect(mirror.nodes.get(marked.resultId!)!.snapshot).toMatchObject({ policyId: POLICY, description: '' });
      const mine = await run('lxc/106', 'container', 'snapshot_create', { name: 'mine', description: `about ${policyTag(POLICY)} in my own words` });
      const node = mirror.nodes.get(mine.resultId!)!;
      // a tag inside a user's text is not a mark: retention must never take this one
      expect(node.snapshot!.policyId).toBeUndefined();
      expect(node.snapshot!.description).toBe(`about ${policyTag(POLICY)} in my own words`);
    });

    it('reads a mark another Polyvisor wrote, seen by a poll', async () => {
      addSnapshot(sim.state, sim.state.guest(200)!, 'elsewhere', `from the other desk\n${policyTag('polyvisor:other')}`);
      await provider.runAction({ nativeRef: 'qemu/200', kind: 'vm' }, 'snapshot_create', { name: 'here' }, reporter());
      expect(mirror.get('snapshot', 'qemu/200/elsewhere')!.snapshot).toMatchObject({ policyId: 'polyvisor:other', description: 'from the other desk' });
    });
  });

  describe('edit', () => {
    it('changes the description and keeps the policy’s tag under it', async () => {
      await run('qemu/102/nightly1', 'snapshot', 'snapshot_edit', { description: 'checked by hand\nsecond line' });
      expect(simSnapshot(102, 'nightly1')!.description).toBe(`checked by hand\nsecond line\n${policyTag(POLICY)}`);
      expect(simSnapshot(102, 'nightly1')!.config.description).toBe(`checked by hand\nsecond line\n${policyTag(POLICY)}`);
      const node = mirror.get('snapshot', 'qemu/102/nightly1')!;
      expect(node.snapshot).toMatchObject({ description: 'checked by hand\nsecond line', policyId: POLICY });
    });

    it('changes a user snapshot’s description to exactly what was typed, also to nothing', async () => {
      await run('qemu/100/snap2', 'snapshot', 'snapshot_edit', { name: 'snap2', description: '' });
      expect(simSnapshot(100, 'snap2')!.description).toBe('');
      expect(mirror.get('snapshot', 'qemu/100/snap2')!.snapshot!.description).toBe('');
    });

    it('refuses a rename and says why, changing nothing', async () => {
      const before = simSnapshot(100, 'snap1')!.description;
      const e = await failure(run('qemu/100/snap1', 'snapshot', 'snapshot_edit', { name: 'renamed', description: 'new text' }));
      expect(e.code).toBe('UNSUPPORTED');
      expect(e.info.field).toBe('name');
      expect(e.message).toMatch(/cannot rename a snapshot: its name "snap1" is its key/);
      expect(simSnapshot(100, 'snap1')!.description).toBe(before);
      expect(sim.state.guest(100)!.snapshots.has('renamed')).toBe(false);
    });

    it('reports the server’s refusal while the guest is locked', async () => {
      sim.state.guest(105)!.lock = 'backup';
      addSnapshot(sim.state, sim.state.guest(105)!, 'locked1', 'x');
      const e = await failure(run('lxc/105/locked1', 'snapshot', 'snapshot_edit', { description: 'y' })).finally(() => (sim.state.guest(105)!.lock = undefined));
      expect(e).toMatchObject({ code: 'SERVER_ERROR', message: 'CT is locked (backup)', info: { serverCode: '500' } });
      expect(simSnapshot(105, 'locked1')!.description).toBe('x');
    });
  });

  describe('clone and template', () => {
    it('makes a new VM from a snapshot in the next free VMID, with the snapshot’s configuration, and shows it', async () => {
      const source = sim.state.guest(100)!;
      const memoryAtSnap1 = source.snapshots.get('snap1')!.config.memory;
      source.maxmem = 4 * 1073741824; // changed since the snapshot: the clone must not have it
      const expectedId = 103; // 100–102 and 105–107 exist: PVE hands out the lowest free VMID
      const r = reporter();
      sim.tasks.durationMs = 1200; // long enough for progress to be seen under load
      const result = await run('qemu/100/snap1', 'snapshot', 'snapshot_clone', { name: 'server1-copy' }, r).finally(() => (sim.tasks.durationMs = 120));
      expect(result.resultId).toBe(`${SERVER_ID}:vm:qemu/${expectedId}`);
      const copy = sim.state.guest(expectedId)!;
      expect(copy).toMatchObject({ type: 'qemu', node: 'node2', name: 'server1-copy', status: 'stopped', template: false, lock: undefined });
      expect(String(Math.round(copy.maxmem / 1048576))).toBe(String(memoryAtSnap1));
      expect(copy.config.vmstate).toBeUndefined(); // snap1 holds RAM: a clone starts cold
      expect(copy.snapshots.size).toBe(0);
      expect(copy.config.scsi0).toMatch(new RegExp(`vm-${expectedId}-disk-0`));
      expect(copy.config.description).toBe('Before upgrade');
      const task = [...sim.tasks.tasks.values()].find((t) => t.type === 'qmclone')!;
      expect(task).toMatchObject({ id: '100', exitstatus: 'OK' });
      expect(mirror.nodes.get(result.resultId!)).toMatchObject({ kind: 'vm', name: 'server1-copy', state: 'halted', parentId: `${SERVER_ID}:host:node2` });
      expect(r.fractions.some((f) => f > 0 && f < 1)).toBe(true);
      expect(r.fractions.at(-1)).toBe(1);
    });

    it('leaves the policy tag out of the clone’s description', async () => {
      const result = await run('qemu/102/nightly1', 'snapshot', 'snapshot_clone', { name: 'from-policy' });
      const copy = sim.state.guest(Number(result.resultId!.split('/').pop()))!;
      expect(copy.config.description).toBe('checked by hand\nsecond line');
    });

    it('makes a container from a snapshot under its hostname, with a default name when none is given', async () => {
      const result = await run('lxc/106/snapshot1', 'snapshot', 'snapshot_clone', {});
      const vmid = Number(result.resultId!.split('/').pop());
      expect(result.resultId).toBe(`${SERVER_ID}:container:lxc/${vmid}`);
      expect(sim.state.guest(vmid)).toMatchObject({ type: 'lxc', name: 'test-snapshot1', status: 'stopped' });
      expect([...sim.tasks.tasks.values()].some((t) => t.type === 'vzclone' && t.id === '106')).toBe(true);
      expect(mirror.nodes.get(result.resultId!)).toMatchObject({ kind: 'container', name: 'test-snapshot1' });
    });

    it('asks for the next VMID again when another client took it first', async () => {
      let stolen = 0;
      const posts = () => sim.requestCount('POST /nodes/node2/qemu/100/clone');
      const postsBefore = posts();
      const off = sim.onAnswer((call) => {
        if (call !== 'GET /cluster/nextid' || stolen) return;
        // another client creates a guest in the VMID it was just handed
        stolen = Math.min(...[...Array(50).keys()].map((i) => 100 + i).filter((id) => !sim.state.guest(id)));
        sim.state.addGuest({ vmid: stolen, type: 'qemu', node: 'node1', name: 'race-winner' });
      });
      const result = await run('qemu/100/snap1', 'snapshot', 'snapshot_clone', { name: 'race-loser' }).finally(off);
      const vmid = Number(result.resultId!.split('/').pop());
      expect(vmid).toBeGreaterThan(stolen);
      expect(sim.state.guest(stolen)!.name).toBe('race-winner');
      expect(sim.state.guest(vmid)!.name).toBe('race-loser');
      expect(posts() - postsBefore).toBe(2);
    });

    it('refuses a name PVE would refuse before asking the server', async () => {
      const before = sim.requestCount('GET /cluster/nextid');
      const e = await failure(run('qemu/100/snap1', 'snapshot', 'snapshot_clone', { name: 'not a dns name' }));
      expect(e).toMatchObject({ code: 'INVALID_INPUT', info: { field: 'name' } });
      expect(sim.requestCount('GET /cluster/nextid')).toBe(before);
    });

    it('makes a VM template from a snapshot: a clone, then converted', async () => {
      const result = await run('qemu/100/snap1', 'snapshot', 'snapshot_template', { name: 'server1-base' });
      const vmid = Number(result.resultId!.split('/').pop());
      expect(result.resultId).toBe(`${SERVER_ID}:template:qemu/${vmid}`);
      const copy = sim.state.guest(vmid)!;
      expect(copy).toMatchObject({ name: 'server1-base', template: true, status: 'stopped', lock: undefined });
      expect(copy.config.scsi0).toMatch(new RegExp(`base-${vmid}-disk-0`));
      expect([...sim.tasks.tasks.values()].some((t) => t.type === 'qmtemplate' && t.id === String(vmid) && t.exitstatus === 'OK')).toBe(true);
      expect(mirror.nodes.get(result.resultId!)).toMatchObject({ kind: 'template', name: 'server1-base' });
    });

    it('makes a container template from a snapshot (pct converts at once)', async () => {
      const result = await run('lxc/106/snapshot1', 'snapshot', 'snapshot_template', { name: 'ct-base' });
      const vmid = Number(result.resultId!.split('/').pop());
      expect(sim.state.guest(vmid)).toMatchObject({ type: 'lxc', name: 'ct-base', template: true });
      expect(mirror.nodes.get(result.resultId!)).toMatchObject({ kind: 'template', name: 'ct-base' });
    });

    it('reports a snapshot that is gone with the server’s words', async () => {
      addSnapshot(sim.state, sim.state.guest(200)!, 'vanishing', '');
      await run('qemu/200', 'vm', 'snapshot_create', { name: 'refresh200' });
      sim.state.guest(200)!.snapshots.delete('vanishing');
      const e = await failure(run('qemu/200/vanishing', 'snapshot', 'snapshot_clone', { name: 'never' }));
      expect(e).toMatchObject({ code: 'SERVER_ERROR', message: "snapshot 'vanishing' does not exist" });
      expect([...sim.state.guests.values()].some((g) => g.name === 'never')).toBe(false);
    });
  });

  describe('revert', () => {
    it('keeps the current state as a snapshot first when asked, then reverts', async () => {
      const g = sim.state.guest(106)!;
      const wasAt = g.parent!;
      const before = new Set(g.snapshots.keys());
      const result = await run('lxc/106/snapshot1', 'snapshot', 'snapshot_revert', { snapshotFirst: true });
      const added = [...g.snapshots.keys()].filter((n) => !before.has(n));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/^snap_\d{8}_\d{6}$/);
      expect(g.snapshots.get(added[0])!.parent).toBe(wasAt);
      expect(g.parent).toBe('snapshot1');
      expect(result.resultId).toBe(`${SERVER_ID}:snapshot:lxc/106/${added[0]}`);
      expect(mirror.get('container', 'lxc/106')!.currentSnapshotId).toBe(`${SERVER_ID}:snapshot:lxc/106/snapshot1`);
      expect(mirror.nodes.get(result.resultId!)).toBeDefined();
    });

    it('leaves a VM running after reverting to a snapshot with RAM, as PVE does (snapshotFirst too)', async () => {
      const g = sim.state.guest(100)!;
      Object.assign(g, { status: 'stopped', qmpstatus: undefined, startedAt: undefined });
      await run('qemu/100/snap1', 'snapshot', 'snapshot_revert', { snapshotFirst: true });
      expect(g).toMatchObject({ status: 'running', qmpstatus: 'running', parent: 'snap1' });
      expect(mirror.get('vm', 'qemu/100')!.state).toBe('running');
    });
  });
});
