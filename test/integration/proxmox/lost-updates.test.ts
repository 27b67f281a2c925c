// No lost updates: changes made on the cluster while the provider connects
// (after it read /cluster/resources, while it reads the snapshot lists) and while
// it reconnects reach the tree. Each time the provider's view must converge to the
// simulator's own state.

import { afterEach, describe, expect, it } from 'vitest';
import { addSnapshot, startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ConnectionState } from '../../../shared/model';
import { fetchAsRoot, Mirror, providerFor, waitFor } from './helpers';

interface GuestView {
  name: string;
  running: boolean;
  snapshots: string[];
  current: string | null;
}

/** What the simulator holds, guest by guest. */
function simView(sim: ProxmoxSimulator): Record<string, GuestView> {
  const out: Record<string, GuestView> = {};
  for (const g of sim.state.guests.values()) {
    out[`${g.type}/${g.vmid}`] = { name: g.name, running: g.status === 'running', snapshots: [...g.snapshots.keys()].sort(), current: g.parent ?? null };
  }
  return out;
}

/** What the provider's deltas built, in the same terms. */
function treeView(mirror: Mirror): Record<string, GuestView> {
  const out: Record<string, GuestView> = {};
  const all = [...mirror.nodes.values()];
  for (const n of all) {
    if (n.kind !== 'vm' && n.kind !== 'container' && n.kind !== 'template') continue;
    const snaps = all.filter((s) => s.kind === 'snapshot' && s.parentId === n.id);
    out[n.nativeRef] = {
      name: n.name,
      running: n.state === 'running' || n.state === 'paused',
      snapshots: snaps.map((s) => s.name).sort(),
      current: snaps.find((s) => s.id === n.currentSnapshotId)?.name ?? null,
    };
  }
  return out;
}

async function converges(mirror: Mirror, sim: ProxmoxSimulator, what: string): Promise<void> {
  await mirror.until(() => JSON.stringify(treeView(mirror)) === JSON.stringify(simView(sim)), what).catch((e: Error) => {
    expect(treeView(mirror), e.message).toEqual(simView(sim));
  });
}

/** Runs `change` once, right after the simulator answered `methodAndPath`. */
function onceAfter(sim: ProxmoxSimulator, methodAndPath: string, change: () => void): Promise<void> {
  return new Promise((resolve) => {
    const off = sim.onAnswer((key) => {
      if (key !== methodAndPath) return;
      off();
      change();
      resolve();
    });
  });
}

/** A snapshot taken by another client through the API, whose task ends at once: no poll ever sees its lock. */
async function snapshotElsewhere(sim: ProxmoxSimulator, node: string, ref: string, snapname: string): Promise<void> {
  const res = await fetchAsRoot(sim, 'POST', `/nodes/${node}/${ref}/snapshot`, { snapname });
  expect(res.status, res.body).toBe(200);
  const upid = JSON.parse(res.body).data as string;
  await waitFor(() => sim.tasks.tasks.get(upid)?.status === 'stopped', `snapshot task ${snapname} to end`);
}

let sim: ProxmoxSimulator | undefined;
let provider: Provider | undefined;
afterEach(async () => {
  await provider?.disconnect();
  await sim?.stop();
  provider = sim = undefined;
});

describe('Proxmox: changes made while connecting are not lost', () => {
  it('shows changes made during the first load by the next polls, without the rotation', async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 0 });
    const s = sim;
    // no rotation: what arrives must come from the resources and the task list
    provider = providerFor(s, {}, { pollIntervalMs: 150, snapshotSweepPerPoll: 0 });
    const mirror = new Mirror(provider);
    const changed: Array<Promise<void>> = [];
    changed.push(
      onceAfter(s, 'GET /cluster/resources', () => {
        s.state.guest(102)!.name = 'renamed-while-loading';
        Object.assign(s.state.guest(105)!, { status: 'stopped', startedAt: undefined });
        s.state.removeGuest(200);
        const added = s.state.addGuest({ vmid: 301, type: 'lxc', node: 'node4', name: 'added-while-loading', status: 'running' });
        addSnapshot(s.state, added, 'came_with_it', 'restored with the guest');
      }),
    );
    // after its list was read, a snapshot of server1 by another client, in and out between two polls
    changed.push(onceAfter(s, 'GET /nodes/node2/qemu/100/snapshot', () => changed.push(snapshotElsewhere(s, 'node2', 'qemu/100', 'during_load'))));
    await provider.connect();
    await Promise.all(changed);
    await Promise.all(changed); // the snapshot request joined the list while it was awaited
    expect(s.state.guest(100)!.snapshots.has('during_load')).toBe(true);
    await converges(mirror, s, 'the tree to match the simulator after the first load');
    expect(mirror.deltas.filter((d) => d.reset)).toHaveLength(1);
  });

  it('finds a snapshot made without any task (a direct config change) through the rotation', async () => {
    sim = await startProxmoxSimulator({});
    const s = sim;
    provider = providerFor(s, {}, { pollIntervalMs: 150, snapshotSweepPerPoll: 3 });
    const mirror = new Mirror(provider);
    const changed = onceAfter(s, 'GET /nodes/node1/lxc/106/snapshot', () => addSnapshot(s.state, s.state.guest(106)!, 'silent', 'no task, no lock'));
    await provider.connect();
    await changed;
    await converges(mirror, s, 'the rotation to find the silent snapshot');
  });

  it('shows changes made while the server was down and while the provider reloads, as a diff', async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 0 });
    const s = sim;
    provider = providerFor(s, {}, { pollIntervalMs: 150, snapshotSweepPerPoll: 0, reconnectDelayMs: 100, reconnectMaxMs: 400 });
    const mirror = new Mirror(provider);
    const states: ConnectionState[] = [];
    provider.on('state', (state) => states.push(state));
    await provider.connect();

    const restarted = s.restart(1000);
    await waitFor(() => states.includes('reconnecting'), 'the provider to notice the server is down');
    s.state.guest(102)!.name = 'renamed-while-down';
    addSnapshot(s.state, s.state.guest(106)!, 'while_down', 'taken while the API was down');
    const before = s.requestCount('GET /cluster/resources');
    const reloading: Array<Promise<void>> = [];
    reloading.push(
      new Promise<void>((resolve) => {
        const off = s.onAnswer((key) => {
          // the first resources answer after the restart: the reconnect's load
          if (key !== 'GET /cluster/resources' || s.requestCount(key) <= before) return;
          off();
          s.state.removeGuest(200);
          Object.assign(s.state.guest(100)!, { status: 'stopped', qmpstatus: undefined, startedAt: undefined });
          reloading.push(snapshotElsewhere(s, 'node1', 'qemu/102', 'during_reload'));
          resolve();
        });
      }),
    );
    await restarted;
    await Promise.all(reloading);
    await Promise.all(reloading);
    await waitFor(() => states.includes('connected'), 'the provider to be back');
    await converges(mirror, s, 'the tree to match the simulator after the reconnect');
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(mirror.deltas.filter((d) => d.reset)).toHaveLength(1);
  });
});
