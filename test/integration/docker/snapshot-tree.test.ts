// The snapshot tree of a Docker container: parents across restores, branches,
// re-parenting after a delete, delete with children, and snapshots that outlive
// their container (found again by the container's name).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { execText, Mirror, providerFor, runContainer, SERVER_ID, skipWithoutDockerd, taskReporter, waitFor } from './harness';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import type { ActionParams } from '../../../shared/contract';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: snapshot tree', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;
  let id: string;

  const snapshot = async (params: ActionParams) =>
    (await provider.runAction({ nativeRef: id, kind: 'container' }, 'snapshot_create', params, taskReporter())).resultId!;
  const revert = async (snapId: string) => {
    const node = mirror.nodes.get(snapId)!;
    const r = await provider.runAction({ nativeRef: node.nativeRef, kind: 'snapshot' }, 'snapshot_revert', {}, taskReporter());
    id = r.resultId!.slice(`${SERVER_ID}:container:`.length);
  };
  const parentOf = (snapId: string) => mirror.nodes.get(snapId)!.snapshot!.parentSnapshotId;

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    id = await runContainer(peer.docker, 'Tree_App.1'); // upper case and dots: not valid in an image repository
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  });

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('links snapshots to the one the container derives from, across restores', async () => {
    await execText(peer.docker, id, ['sh', '-c', 'echo one > /marker']);
    const a = await snapshot({ name: 'A' });
    expect(parentOf(a)).toBeNull();
    await execText(peer.docker, id, ['sh', '-c', 'echo two > /marker']);
    const b = await snapshot({ name: 'B' });
    expect(parentOf(b)).toBe(a);
    expect(mirror.container(id)!.currentSnapshotId).toBe(b);

    await revert(a);
    expect(await execText(peer.docker, id, ['cat', '/marker'])).toBe('one\n');
    expect(mirror.container(id)!.currentSnapshotId).toBe(a);
    const c = await snapshot({ name: 'C' });
    expect(parentOf(c)).toBe(a); // a branch beside B
    const d = await snapshot({ name: 'D' });
    expect(parentOf(d)).toBe(c);
    for (const s of [a, b, c, d]) expect(mirror.nodes.get(s)!.snapshot!.ofId).toBe(`${SERVER_ID}:container:${id}`);
    const tag = (await peer.docker.getImage(mirror.nodes.get(a)!.nativeRef).inspect()).RepoTags![0];
    expect(tag).toMatch(/^polyvisor-snapshots\/tree_app\.1:/);
  });

  it('re-parents children to the nearest remaining ancestor when a snapshot is deleted', async () => {
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((n) => mirror.byName('snapshot', n)!.id);
    await provider.runAction({ nativeRef: mirror.nodes.get(c)!.nativeRef, kind: 'snapshot' }, 'snapshot_delete', {}, taskReporter());
    expect(mirror.nodes.has(c)).toBe(false);
    expect(parentOf(d)).toBe(a);
    expect(parentOf(b)).toBe(a);
  });

  it('deletes a snapshot with its children', async () => {
    const [a, b, d] = ['A', 'B', 'D'].map((n) => mirror.byName('snapshot', n)!.id);
    await provider.runAction({ nativeRef: mirror.nodes.get(a)!.nativeRef, kind: 'snapshot' }, 'snapshot_delete', { withChildren: true }, taskReporter());
    for (const s of [a, b, d]) expect(mirror.nodes.has(s)).toBe(false);
    expect(await peer.docker.listImages({ filters: { reference: ['polyvisor-snapshots/*'] } })).toEqual([]);
  });

  it('keeps snapshots of a removed container and restores it from them', async () => {
    const e = await snapshot({ name: 'E', description: 'last words' });
    await peer.docker.getContainer(id).remove({ force: true });
    await waitFor(() => !mirror.container(id), 'container removed');
    await waitFor(() => mirror.nodes.get(e)?.parentId === `${SERVER_ID}:host:engine`, 'orphan snapshot under the engine');
    expect(mirror.nodes.get(e)!.snapshot!.description).toBe('last words');

    await revert(e);
    const info = await peer.docker.getContainer(id).inspect();
    expect(info.Name).toBe('/Tree_App.1');
    expect(info.State.Running).toBe(true); // it was running when the snapshot was taken
    expect(mirror.nodes.get(e)!.parentId).toBe(`${SERVER_ID}:container:${id}`);
    expect(mirror.container(id)!.currentSnapshotId).toBe(e);
  });
});
