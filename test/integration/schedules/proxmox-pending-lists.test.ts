// Deleting a Polyvisor policy with its snapshots on Proxmox VE while the guests' snapshot
// lists are not read yet (they follow the tree, issue 17): the lists still pending are read
// first, so no snapshot the policy took is left behind on the server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyIdIn } from '../../../shared/schedules';
import { proxmoxProviderFactory } from '../../../electron/core/providers/proxmox';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { addConnected, node, startPolicyCore, waitFor, type PolicyCore } from './harness';

describe('a Polyvisor policy deleted with its snapshots while Proxmox VE lists are pending', () => {
  let sim: ProxmoxSimulator;
  let pc: PolicyCore;

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 30 });
    pc = await startPolicyCore([proxmoxProviderFactory], '2025-03-10T09:00:00Z');
  });
  afterAll(async () => {
    await pc?.close();
    await sim?.stop();
  });

  it('reads the pending lists, then deletes exactly the policy\'s snapshots on the server', async () => {
    // no background reading of the lists and no polls: every guest stays pending until asked
    const server = await addConnected(
      pc.core,
      { type: 'proxmox', host: sim.host, port: sim.port, username: 'root', password: 'password', options: { realm: 'pam', pollIntervalMs: 600_000, taskPollMs: 25, snapshotListsAfterConnect: false } },
      sim.fingerprint256,
    );
    const guest = [...sim.state.guests.values()].find((g) => g.type === 'qemu' && !g.template)!;
    const vm = await node(pc.core, (n) => n.kind === 'vm' && n.props.vmid === guest.vmid, `VM ${guest.vmid} in the tree`);
    const policy = await pc.core.invoke('schedules:create', { runner: { kind: 'polyvisor' }, name: 'Hourly', type: 'disk', frequency: { every: 'hourly', minute: 0 }, timeZone: 'UTC', retain: 2, members: [vm.id] });

    // the policy's snapshot and the user's, taken while Polyvisor was connected, then a fresh connection: the list is pending again
    for (const [name, description] of [['by_policy', `Taken by the snapshot policy "Hourly".\npolyvisor-policy:${policy.id}`], ['users_own', 'by hand']]) {
      const [task] = await pc.core.invoke('actions:run', { nodeIds: [vm.id], action: 'snapshot_create', params: { name, description } });
      expect((await pc.core.waitForTask(task.id)).status).toBe('success');
    }
    await pc.core.invoke('servers:disconnect', server.id);
    await pc.core.invoke('servers:connect', server.id);
    const pending = await waitFor(async () => (await pc.core.invoke('inventory:get')).find((n) => n.id === vm.id && n.snapshotsPending), 'the guest pending again');
    expect(pending.snapshotsPending).toBe(true);
    expect((await pc.core.invoke('inventory:get')).some((n) => n.kind === 'snapshot' && n.snapshot?.ofId === vm.id)).toBe(false);

    await pc.core.invoke('schedules:delete', policy.id, { deleteSnapshots: true });
    const left = [...sim.state.guest(guest.vmid)!.snapshots.values()];
    expect(left.filter((s) => policyIdIn(s.description) === policy.id)).toEqual([]);
    expect(left.map((s) => s.name)).toContain('users_own');
  });
});
