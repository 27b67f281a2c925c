// The provider's inventory against the simulator over HTTPS (pinned certificate):
// the initial tree, then live changes arriving as minimal deltas.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSnapshot, startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import type { Provider } from '../../../electron/core/providers/provider';
import { fetchAsRoot, Mirror, providerFor, SERVER_ID, waitFor } from './helpers';

describe('Proxmox provider inventory', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let mirror: Mirror;

  beforeAll(async () => {
    // tasks outlast a poll, as real snapshot tasks do; no rotation sweep, so only entry changes trigger list reads
    sim = await startProxmoxSimulator({ taskDurationMs: 400 });
    provider = providerFor(sim, {}, { snapshotSweepPerPoll: 0 });
    mirror = new Mirror(provider);
    await provider.connect();
  });
  afterAll(async () => {
    await provider?.disconnect();
    await sim?.stop();
  });

  it('sends the whole cluster as one reset delta on connect', () => {
    const first = mirror.deltas[0];
    expect(first.reset).toBe(true);
    expect(first.serverId).toBe(SERVER_ID);

    const pool = mirror.get('pool', 'cluster')!;
    expect(pool).toMatchObject({ name: 'pve-cluster', parentId: null, props: { standalone: false, nodes: 4 } });

    const hosts = mirror.ofKind('host');
    expect(hosts.map((h) => h.name).sort()).toEqual(['node1', 'node2', 'node3', 'node4']);
    expect(hosts.every((h) => h.parentId === pool.id && h.state === 'running')).toBe(true);
    expect(mirror.get('host', 'node1')!.props).toMatchObject({ vcpus: 8, memory: 65919459328, ip: '192.168.1.1' });

    const server1 = mirror.get('vm', 'qemu/100')!;
    expect(server1).toMatchObject({
      name: 'server1',
      state: 'running',
      parentId: mirror.get('host', 'node2')!.id,
      props: { vmid: 100, node: 'node2', memory: 1073741824, vcpus: 1, disk: 34359738368, status: 'running' },
    });
    expect(server1.allowed).toEqual(expect.arrayContaining(['shutdown', 'force_shutdown', 'reboot', 'snapshot_create']));
    expect(server1.props.uptime).toBeGreaterThan(800000);

    expect(mirror.get('vm', 'qemu/102')).toMatchObject({ state: 'halted', props: { tags: ['go-proxmox', 'cloud-init'] } });
    expect(mirror.get('vm', 'qemu/102')!.allowed).toEqual(['start', 'snapshot_create', 'migrate', 'clone', 'to_template', 'destroy']);
    expect(mirror.get('template', 'qemu/101')).toMatchObject({ name: 'leap154', allowed: ['clone', 'destroy'] });
    expect(mirror.get('template', 'lxc/107')).toMatchObject({ name: 'test-container', parentId: mirror.get('host', 'node3')!.id });
    expect(mirror.get('container', 'lxc/106')).toMatchObject({ name: 'test', state: 'running', props: { tags: ['tag1', 'tag2'] } });
    // guests of every kind, and nothing for storage entries
    expect(mirror.ofKind('vm')).toHaveLength(3);
    expect(mirror.ofKind('container')).toHaveLength(2);
    expect(mirror.ofKind('template')).toHaveLength(2);
  });

  it('shows snapshots as a tree with the current position', () => {
    const vm = mirror.get('vm', 'qemu/100')!;
    const snap1 = mirror.get('snapshot', 'qemu/100/snap1')!;
    const snap2 = mirror.get('snapshot', 'qemu/100/snap2')!;
    expect(snap1.snapshot).toEqual({
      ofId: vm.id,
      parentSnapshotId: null,
      time: new Date(1693252591 * 1000).toISOString(),
      withMemory: true,
      description: 'Before upgrade',
    });
    expect(snap2.snapshot).toMatchObject({ parentSnapshotId: snap1.id, withMemory: false, description: 'After upgrade' });
    expect(snap2.parentId).toBe(vm.id);
    expect(snap2.allowed).toEqual(['snapshot_revert', 'snapshot_delete', 'snapshot_edit', 'snapshot_clone', 'snapshot_template']);
    expect(vm.currentSnapshotId).toBe(snap2.id);
    expect(mirror.get('container', 'lxc/106')!.currentSnapshotId).toBe(mirror.get('snapshot', 'lxc/106/snapshot1')!.id);
    expect(mirror.get('vm', 'qemu/102')!.currentSnapshotId).toBeNull();
    expect(mirror.nodes.has(`${SERVER_ID}:snapshot:qemu/100/current`)).toBe(false);
  });

  describe('live changes', () => {
    let mark: number;
    const since = () => mirror.deltas.slice(mark);

    it('sends nothing while only usage counters move (cpu, mem, uptime)', async () => {
      mark = mirror.deltas.length;
      // several polls; the simulator jitters cpu/mem and uptime grows
      const polls = sim.requestCount('GET /cluster/resources');
      await waitFor(() => sim.requestCount('GET /cluster/resources') >= polls + 4, 'four more polls');
      expect(since()).toEqual([]);
    });

    it('sends only the changed guest when it is renamed and powered off in the simulator', async () => {
      mark = mirror.deltas.length;
      const g = sim.state.guest(200)!;
      g.name = 'renamed-200';
      const t0 = Date.now();
      await mirror.until(() => mirror.get('vm', 'qemu/200')?.name === 'renamed-200', 'the new name');
      expect(Date.now() - t0).toBeLessThan(5000); // a few polls of 150 ms, even on a loaded machine
      const deltas = since();
      expect(deltas).toHaveLength(1);
      expect(deltas[0].reset).toBeUndefined();
      expect(deltas[0].upsert.map((n) => n.id)).toEqual([`${SERVER_ID}:vm:qemu/200`]);
      expect(deltas[0].remove).toEqual([]);

      mark = mirror.deltas.length;
      Object.assign(sim.state.guest(105)!, { status: 'stopped', startedAt: undefined });
      await mirror.until(() => mirror.get('container', 'lxc/105')?.state === 'halted', 'lxc/105 halted');
      expect(since().flatMap((d) => d.upsert.map((n) => n.id))).toEqual([`${SERVER_ID}:container:lxc/105`]);
    });

    it('adds and removes guests, with their snapshots', async () => {
      sim.state.addGuest({ vmid: 300, type: 'lxc', node: 'node4', name: 'fresh', status: 'running' });
      await mirror.until(() => !!mirror.get('container', 'lxc/300'), 'the new container');
      expect(mirror.get('container', 'lxc/300')).toMatchObject({ parentId: mirror.get('host', 'node4')!.id, state: 'running' });

      mark = mirror.deltas.length;
      sim.state.removeGuest(100);
      await mirror.until(() => !mirror.get('vm', 'qemu/100'), 'qemu/100 removed');
      const removed = since().flatMap((d) => d.remove).sort();
      expect(removed).toEqual([`${SERVER_ID}:snapshot:qemu/100/snap1`, `${SERVER_ID}:snapshot:qemu/100/snap2`, `${SERVER_ID}:vm:qemu/100`]);
    });

    it('notices a snapshot taken elsewhere when the guest entry changes (lock while the task runs)', async () => {
      const res = await fetchAsRoot(sim, 'POST', '/nodes/node1/qemu/102/snapshot', { snapname: 'by_gui', description: 'from the web UI' });
      expect(res.status).toBe(200);
      await mirror.until(() => !!mirror.get('snapshot', 'qemu/102/by_gui') && mirror.get('vm', 'qemu/102')!.currentSnapshotId !== null, 'snapshot by_gui');
      expect(mirror.get('vm', 'qemu/102')!.currentSnapshotId).toBe(`${SERVER_ID}:snapshot:qemu/102/by_gui`);
    });

    it('marks an offline node and its guests', async () => {
      sim.state.node('node3')!.online = false;
      await mirror.until(() => mirror.get('host', 'node3')?.state === 'halted', 'node3 offline');
      await mirror.until(() => mirror.get('template', 'lxc/107')?.state === 'unknown', 'lxc/107 unknown');
      sim.state.node('node3')!.online = true;
      await mirror.until(() => mirror.get('host', 'node3')?.state === 'running', 'node3 online');
    });
  });
});

describe('Proxmox provider snapshot sweep', () => {
  it('finds snapshots made without any visible change of the guest entry', async () => {
    const sim = await startProxmoxSimulator({ generate: { nodes: 2, vms: 30, cts: 10 } });
    const provider = providerFor(sim, {}, { snapshotSweepPerPoll: 10 });
    const mirror = new Mirror(provider);
    try {
      await provider.connect();
      const g = sim.state.guest(105)!;
      addSnapshot(sim.state, g, 'quiet', 'no lock seen');
      // 40 guests, 10 per poll: seen within four polls
      await mirror.until(() => !!mirror.get('snapshot', `${g.type}/105/quiet`), 'snapshot "quiet" found by the sweep');
    } finally {
      await provider.disconnect();
      await sim.stop();
    }
  });
});

describe('Proxmox provider on a larger cluster', () => {
  it('shows the tree at once and fills in the snapshot lists as they arrive, after one reset', async () => {
    const sim = await startProxmoxSimulator({ generate: { nodes: 3, vms: 160, cts: 40 } });
    const provider = providerFor(sim, {}, { initialSnapshotWaitMs: 0, snapshotConcurrency: 4, snapshotSweepPerPoll: 0 });
    const mirror = new Mirror(provider);
    const expected = [...sim.state.guests.values()].reduce((n, g) => n + g.snapshots.size, 0);
    try {
      await provider.connect();
      const first = mirror.deltas[0];
      expect(first.reset).toBe(true);
      expect(first.upsert.filter((n) => n.kind === 'vm' || n.kind === 'container' || n.kind === 'template')).toHaveLength(200);
      expect(first.upsert.filter((n) => n.kind === 'snapshot').length).toBeLessThan(expected);
      await mirror.until(() => mirror.ofKind('snapshot').length === expected, `all ${expected} snapshots`, 90_000);
      expect(mirror.deltas.filter((d) => d.reset)).toHaveLength(1);
    } finally {
      await provider.disconnect();
      await sim.stop();
    }
  });
});

describe('Proxmox provider on a standalone node', () => {
  it('names the pool after the node and marks it standalone', async () => {
    const sim = await startProxmoxSimulator({ generate: { nodes: 1, vms: 3, cts: 2 } });
    const provider = providerFor(sim);
    const mirror = new Mirror(provider);
    try {
      await provider.connect();
      expect(mirror.get('pool', 'cluster')).toMatchObject({ name: 'pve', props: { standalone: true, nodes: 1 } });
      expect(mirror.ofKind('host').map((h) => h.name)).toEqual(['pve']);
      expect(mirror.ofKind('vm').length + mirror.ofKind('container').length + mirror.ofKind('template').length).toBe(5);
    } finally {
      await provider.disconnect();
      await sim.stop();
    }
  });
});

describe('Proxmox providers connecting together, snapshot lists read afterwards', () => {
  it('publish every guest at once, read the lists in the shared background slots until they match each simulator, and offer Convert to template only once a list says none', async () => {
    const sims = await Promise.all([0, 1].map(() => startProxmoxSimulator({ generate: { nodes: 2, vms: 60, cts: 20 } })));
    const providers = sims.map((sim, i) => providerFor(sim, { serverId: `${SERVER_ID}-${i}` }, { initialSnapshotWaitMs: 0, snapshotSweepPerPoll: 0 }));
    const mirrors = providers.map((p) => new Mirror(p));
    const guestIdOf = (i: number, g: { type: string; vmid: number; template: boolean }) => `${SERVER_ID}-${i}:${g.template ? 'template' : g.type === 'lxc' ? 'container' : 'vm'}:${g.type}/${g.vmid}`;
    const offeredWrongly: string[] = [];
    providers.forEach((p, i) =>
      p.on('inventory', (d) => {
        for (const n of d.upsert) {
          const g = [...sims[i].state.guests.values()].find((x) => guestIdOf(i, x) === n.id);
          if (g && g.snapshots.size > 0 && n.allowed.includes('to_template')) offeredWrongly.push(n.id);
        }
      }),
    );
    try {
      await Promise.all(providers.map((p) => p.connect()));
      mirrors.forEach((m, i) => {
        const first = m.deltas[0];
        expect(first.reset).toBe(true);
        expect(first.upsert.filter((n) => n.kind === 'vm' || n.kind === 'container' || n.kind === 'template')).toHaveLength(sims[i].state.guests.size);
      });
      const simSnapshots = (i: number) =>
        [...sims[i].state.guests.values()].flatMap((g) => [...g.snapshots.keys()].map((name) => `${guestIdOf(i, g)}/${name}`)).sort();
      const mirrorSnapshots = (i: number) => mirrors[i].ofKind('snapshot').map((n) => `${n.snapshot?.ofId}/${n.name}`).sort();
      for (const i of [0, 1]) {
        expect(simSnapshots(i).length).toBeGreaterThan(0);
        await mirrors[i].until(() => JSON.stringify(mirrorSnapshots(i)) === JSON.stringify(simSnapshots(i)), `cluster ${i}'s snapshots as its simulator has them`, 90_000);
        const halted = [...sims[i].state.guests.values()].filter((g) => g.status === 'stopped' && !g.template && g.snapshots.size === 0 && !g.lock);
        expect(halted.length).toBeGreaterThan(0);
        // a list without snapshots adds no node: the lists of the snapshot-less guests may come after the last snapshot
        const offered = () => halted.every((g) => mirrors[i].nodes.get(guestIdOf(i, g))?.allowed.includes('to_template'));
        await mirrors[i].until(offered, `Convert to template on cluster ${i}'s ${halted.length} halted guests without snapshots`, 90_000);
      }
      expect(offeredWrongly).toEqual([]);
      expect(mirrors.map((m) => m.deltas.filter((d) => d.reset).length)).toEqual([1, 1]);
    } finally {
      await Promise.all(providers.map((p) => p.disconnect()));
      await Promise.all(sims.map((s) => s.stop()));
    }
  });
});
