// Polyvisor's own policy on a container of a real Docker engine (Docker has no
// snapshot schedules), on an injected clock: retention deletes only the policy's
// own snapshot images (read back through dockerode), never the user's; a
// container removed meanwhile makes a run that records the engine's own answer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import { policyIdIn, type SnapshotPolicy } from '../../../shared/schedules';
import { dockerProviderFactory } from '../../../electron/core/providers/docker';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { requirePeer } from '../../peers/require-peer';
import { runContainer } from '../docker/harness';
import { addConnected, errorRun, hourlyKeepTwo, node, startPolicyCore, waitFor, type PolicyCore } from './harness';

const ROLE = 'dev.polyvisor.snapshot.role';
const OF = 'dev.polyvisor.snapshot.of';
const NAME = 'dev.polyvisor.snapshot.name';
const POLICY = 'dev.polyvisor.snapshot.policy';

describe.skipIf(requirePeer(dockerdUnavailableReason()))('a Polyvisor policy on a Docker container', () => {
  let peer: DockerdPeer;
  let pc: PolicyCore;
  let container: InventoryNode;
  let containerId: string;
  let policy: SnapshotPolicy;

  /** The engine's own list of this container's snapshot images. */
  const peerSnapshots = async (policyId = policy.id) => {
    const images = await peer.docker.listImages({ filters: JSON.stringify({ label: [`${ROLE}=image`, `${OF}=${containerId}`] }) });
    const mine = images.filter((i) => policyIdIn(i.Labels?.[POLICY]) === policyId);
    const others = images.filter((i) => !i.Labels?.[POLICY]);
    return { policy: mine.map((i) => i.Labels[NAME]), other: others.map((i) => i.Labels[NAME]) };
  };

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    containerId = await runContainer(peer.docker, 'policy-target');
    pc = await startPolicyCore([dockerProviderFactory], '2025-03-10T09:00:00Z');
    await addConnected(pc.core, { type: 'docker', name: 'engine', host: `unix://${peer.socketPath}`, username: '' });
    container = await node(pc.core, (n) => n.kind === 'container' && n.nativeRef === containerId, 'the container in the tree');
  });
  afterAll(async () => {
    await pc?.close();
    await peer?.stop();
  });

  it('hourly keeping 2, three hours later: two policy images on the engine, the user\'s kept, three runs in the history', async () => {
    policy = await hourlyKeepTwo(pc, container, peerSnapshots);
  });

  it('deleting the policy with its snapshots removes exactly the images it took', async () => {
    const again = await pc.core.invoke('schedules:create', { ...policyDraft(container.id), name: 'Second' });
    pc.clock.set('2025-03-10T12:30:00Z');
    const run = await pc.core.invoke('schedules:runNow', again.id);
    expect(run).toMatchObject({ trigger: 'run-now', outcome: 'running' });
    await waitFor(async () => ((await pc.core.invoke('schedules:history', again.id))[0]?.outcome === 'success' ? true : undefined), 'the run-now to finish', 60_000);
    expect((await peerSnapshots(again.id)).policy).toHaveLength(1);

    await pc.core.invoke('schedules:delete', again.id, { deleteSnapshots: true });
    expect((await peerSnapshots(again.id)).policy).toEqual([]);
    // the first policy's and the user's are all still there
    expect((await peerSnapshots()).policy).toHaveLength(2);
    expect((await peerSnapshots()).other).toContain('users-own');
    expect((await pc.core.invoke('schedules:list')).map((p) => p.id)).toEqual([policy.id]);
  });

  it('the container removed meanwhile: the run fails with the engine\'s own answer', async () => {
    await peer.docker.getContainer(containerId).remove({ force: true });
    await waitFor(async () => !(await pc.core.invoke('inventory:get')).some((n) => n.id === container.id) || undefined, 'the container to leave the tree', 30_000);
    const run = await errorRun(pc, policy, '2025-03-10T13:00:05Z');
    expect(run.items[0]).toMatchObject({ nodeId: container.id, name: container.name, error: { code: 'SERVER_ERROR', serverCode: 'HTTP_404' } });
    expect(run.items[0].error!.message).toMatch(/no such container/i);
  });
});

function policyDraft(member: string) {
  return {
    runner: { kind: 'polyvisor' as const },
    name: 'Hourly keep two',
    type: 'disk' as const,
    frequency: { every: 'hourly' as const, minute: 0 },
    timeZone: 'UTC',
    retain: 2,
    members: [member],
  };
}
