// Polyvisor's own policy on a Proxmox VE VM (PVE has no snapshot schedules of its
// own), against the Proxmox simulator, on an injected clock: retention keeps the
// policy's two newest snapshots and never the user's; two runners at the same
// minute take one snapshot; a VM deleted on the server behind Polyvisor's back
// makes a run that records PVE's own error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import { policyIdIn, type SnapshotPolicy } from '../../../shared/schedules';
import { proxmoxProviderFactory } from '../../../electron/core/providers/proxmox';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { addConnected, errorRun, hourlyKeepTwo, node, startPolicyCore, type PolicyCore } from './harness';

describe('a Polyvisor policy on a Proxmox VE VM', () => {
  let sim: ProxmoxSimulator;
  let pc: PolicyCore;
  let vm: InventoryNode;
  let vmid: number;
  let policy: SnapshotPolicy;

  const peerSnapshots = async (policyId = policy.id) => {
    const snaps = [...(sim.state.guest(vmid)?.snapshots.values() ?? [])];
    return { policy: snaps.filter((s) => policyIdIn(s.description) === policyId).map((s) => s.name), other: snaps.filter((s) => !policyIdIn(s.description)).map((s) => s.name) };
  };

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 30 });
    pc = await startPolicyCore([proxmoxProviderFactory], '2025-03-10T09:00:00Z');
    // a slow poll: a VM deleted on the server stays in Polyvisor's tree until the run finds out
    await addConnected(pc.core, { type: 'proxmox', host: sim.host, port: sim.port, username: 'root', password: 'password', options: { realm: 'pam', pollIntervalMs: 600_000, taskPollMs: 25 } }, sim.fingerprint256);
    const guest = [...sim.state.guests.values()].find((g) => g.type === 'qemu' && !g.template)!;
    vmid = guest.vmid;
    vm = await node(pc.core, (n) => n.kind === 'vm' && n.props.vmid === vmid, `VM ${vmid} in the tree`);
  });
  afterAll(async () => {
    await pc?.close();
    await sim?.stop();
  });

  it('hourly keeping 2, three hours later: two policy snapshots on the server, the user\'s untouched, three runs in the history', async () => {
    policy = await hourlyKeepTwo(pc, vm, peerSnapshots);
    // the marks PVE stores: the policy's tag on the description's last line
    for (const s of sim.state.guest(vmid)!.snapshots.values()) if (policyIdIn(s.description)) expect(s.description.split('\n').at(-1)).toBe(`polyvisor-policy:${policy.id}`);
  });

  it('two runners at the same minute (in one process here; across processes in cli-schedules) take one snapshot', async () => {
    pc.clock.set('2025-03-10T13:00:10Z');
    const before = (await peerSnapshots()).policy.length;
    const [a, b] = await Promise.all([pc.core.runDueSchedules(), pc.core.runDueSchedules()]);
    expect(a.runs.length + b.runs.length).toBe(1);
    expect([a.busy, b.busy].filter(Boolean)).toHaveLength(1);
    expect(await pc.core.runDueSchedules()).toEqual({ runs: [] });
    // one more taken, one more pruned: still two
    expect((await peerSnapshots()).policy).toHaveLength(before);
    expect((await pc.core.invoke('schedules:history', policy.id))).toHaveLength(4);
  });

  it('a missed day runs once when the runner comes back (catch-up), not 24 times', async () => {
    pc.clock.set('2025-03-11T13:20:00Z');
    const { runs } = await pc.core.runDueSchedules();
    expect(runs.map((r) => r.trigger)).toEqual(['catch-up']);
    expect(await pc.core.runDueSchedules()).toEqual({ runs: [] });
  });

  it('the VM deleted on the server: the run fails with PVE\'s own answer', async () => {
    sim.state.removeGuest(vmid);
    const run = await errorRun(pc, policy, '2025-03-11T14:00:05Z');
    expect(run.items[0]).toMatchObject({ nodeId: vm.id, name: vm.name, error: { code: 'SERVER_ERROR', serverCode: '500' } });
    expect(run.items[0].error!.message).toMatch(/does not exist/);
  });
});
