// Container snapshots against a real dockerd: commit + named-volume archive, restore
// (new id, same name and configuration, old volume data back), snapshot tree, delete,
// and a memory snapshot (CRIU checkpoint) refused with the engine's own words.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { isPolyvisorError } from '../../../shared/errors';
import { execText, Mirror, providerFor, SERVER_ID, skipWithoutDockerd, taskReporter, waitFor, POLITE_CMD } from './harness';
import type { DockerProvider } from '../../../electron/core/providers/docker';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: snapshots', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;
  let appId: string;

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    const c = await peer.docker.createContainer({
      name: 'app',
      Image: 'local/busybox:latest',
      Cmd: POLITE_CMD,
      Env: ['GREETING=hello'],
      WorkingDir: '/work',
      Labels: { 'com.docker.compose.project': 'stack', tier: 'backend' },
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: {
        NetworkMode: 'none',
        Binds: ['appdata:/data', 'applogs:/logs:ro'],
        RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }] },
      },
    });
    await c.start();
    appId = c.id;
    await execText(peer.docker, appId, ['sh', '-c', 'echo v1 > /data/state && mkdir -p /data/sub && echo deep > /data/sub/file && echo fs1 > /work/note']);
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  });

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('takes a snapshot with the named volumes and shows it under the container', async () => {
    const task = taskReporter();
    const result = await provider.runAction(
      { nativeRef: appId, kind: 'container' },
      'snapshot_create',
      { name: 'before upgrade', description: 'v1 data', includeVolumes: true },
      task,
    );
    expect(result.resultId).toMatch(new RegExp(`^${SERVER_ID}:snapshot:sha256:`));
    expect(task.fractions.at(-1)).toBe(1);
    const snap = mirror.nodes.get(result.resultId!)!;
    expect(snap).toMatchObject({
      kind: 'snapshot',
      name: 'before upgrade',
      parentId: `${SERVER_ID}:container:${appId}`,
      allowed: ['snapshot_revert', 'snapshot_delete', 'snapshot_clone'],
    });
    expect(snap.snapshot).toMatchObject({ ofId: `${SERVER_ID}:container:${appId}`, parentSnapshotId: null, withMemory: false, description: 'v1 data' });
    expect([...(snap.props.volumes as string[])].sort()).toEqual(['appdata', 'applogs']);
    expect(mirror.container(appId)!.currentSnapshotId).toBe(snap.id);
    expect(mirror.container(appId)!.state).toBe('running'); // unpaused after the commit

    const image = await peer.docker.getImage(snap.nativeRef).inspect();
    expect(image.RepoTags?.[0]).toMatch(/^polyvisor-snapshots\/app:/);
    expect(image.Config.Labels['dev.polyvisor.snapshot.of']).toBe(appId);
    expect(image.Config.Labels['dev.polyvisor.snapshot.container-name']).toBe('app');
  });

  it('restores: new id, same name and configuration, the old volume and filesystem data back, running', async () => {
    const snap = mirror.byName('snapshot', 'before upgrade')!;
    await execText(peer.docker, appId, ['sh', '-c', 'echo v2 > /data/state && rm -r /data/sub && echo junk > /data/extra && echo fs2 > /work/note']);
    expect(await execText(peer.docker, appId, ['cat', '/data/state'])).toBe('v2\n');

    const task = taskReporter();
    const result = await provider.runAction({ nativeRef: snap.nativeRef, kind: 'snapshot' }, 'snapshot_revert', {}, task);
    const newId = result.resultId!.split(':').pop()!;
    expect(newId).not.toBe(appId);
    expect(task.fractions.length).toBeGreaterThan(3);

    const info = await peer.docker.getContainer(newId).inspect();
    expect(info.Name).toBe('/app');
    expect(info.State.Running).toBe(true);
    expect(info.Config.Env).toContain('GREETING=hello');
    expect(info.Config.WorkingDir).toBe('/work');
    expect(info.Config.Cmd).toEqual(POLITE_CMD);
    expect(info.Config.Labels).toMatchObject({ 'com.docker.compose.project': 'stack', tier: 'backend' });
    expect(info.HostConfig.RestartPolicy).toMatchObject({ Name: 'unless-stopped' });
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(info.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }] });
    expect(info.HostConfig.Binds).toEqual(['appdata:/data', 'applogs:/logs:ro']);

    expect(await execText(peer.docker, newId, ['cat', '/data/state'])).toBe('v1\n');
    expect(await execText(peer.docker, newId, ['cat', '/data/sub/file'])).toBe('deep\n');
    expect(await execText(peer.docker, newId, ['ls', '/data'])).toBe('state\nsub\n'); // wiped, not merged
    expect(await execText(peer.docker, newId, ['cat', '/work/note'])).toBe('fs1\n');

    // the tree: old container gone, new one under the project, the snapshot hangs under it
    expect(mirror.container(appId)).toBeUndefined();
    const node = mirror.container(newId)!;
    expect(node).toMatchObject({ name: 'app', state: 'running', parentId: `${SERVER_ID}:project:stack` });
    expect(node.currentSnapshotId).toBe(snap.id);
    expect(mirror.nodes.get(snap.id)!.snapshot!.ofId).toBe(node.id);
    expect(mirror.nodes.get(snap.id)!.parentId).toBe(node.id);
    expect(node.props.labels).toEqual(expect.arrayContaining(['com.docker.compose.project=stack', 'tier=backend']));
    expect((node.props.labels as string[]).some((l) => l.startsWith('dev.polyvisor.'))).toBe(false);
    const all = await peer.docker.listContainers({ all: true });
    expect(all.map((c) => c.Names[0])).toEqual(['/app']); // the helpers that moved volume files are gone
    appId = newId;
  });

  it('deletes a snapshot: its image and its volume data are gone', async () => {
    const snap = mirror.byName('snapshot', 'before upgrade')!;
    const tags = (await peer.docker.listImages({ filters: { reference: ['polyvisor-snapshots/*'] } })).flatMap((i) => i.RepoTags ?? []);
    expect(tags.filter((t) => t.endsWith('-volumes'))).toHaveLength(1);
    const task = taskReporter();
    await provider.runAction({ nativeRef: snap.nativeRef, kind: 'snapshot' }, 'snapshot_delete', {}, task);
    expect(task.fractions.at(-1)).toBe(1);
    // the restored container still runs from that image: only its snapshot tag is gone
    const image = await peer.docker.getImage(snap.nativeRef).inspect();
    expect(image.RepoTags).toEqual([]);
    expect(await peer.docker.listImages({ filters: { reference: ['polyvisor-snapshots/*'] } })).toEqual([]);
    expect(mirror.nodes.has(snap.id)).toBe(false);
    expect(mirror.container(appId)!.currentSnapshotId).toBeNull();
  });

  it('refuses a memory snapshot with the engine’s own message', async () => {
    const info = await peer.docker.info();
    expect(provider.capabilities.snapshotKinds).not.toContain('memory');
    expect(info.ExperimentalBuild).toBe(false);
    const id = appId;
    const err = await provider
      .runAction({ nativeRef: id, kind: 'container' }, 'snapshot_create', { memory: true }, taskReporter())
      .catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'UNSUPPORTED')).toBe(true);
    if (!isPolyvisorError(err)) return;
    expect(err.info.serverCode).toBe('HTTP_501');
    expect(err.info.serverParams?.[0]).toMatch(/experimental/i);
  });

  it('refuses to restore over a volume another container uses', async () => {
    const app = mirror.byName('container', 'app')!;
    const withVolumes = await provider.runAction({ nativeRef: app.nativeRef, kind: 'container' }, 'snapshot_create', { includeVolumes: true }, taskReporter());
    const snap = mirror.nodes.get(withVolumes.resultId!)!;
    expect(snap.snapshot!.parentSnapshotId).toBeNull();
    expect(snap.name).toMatch(/^app \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/); // default name
    const other = await peer.docker.createContainer({ name: 'squatter', Image: 'local/busybox:latest', Cmd: ['true'], HostConfig: { NetworkMode: 'none', Binds: ['appdata:/d'] } });
    const err = await provider.runAction({ nativeRef: snap.nativeRef, kind: 'snapshot' }, 'snapshot_revert', {}, taskReporter()).catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'SERVER_ERROR') && err.info.serverCode).toBe('VOLUME_IN_USE');
    expect(isPolyvisorError(err) && err.message).toMatch(/appdata.*squatter/);
    expect(mirror.byName('container', 'app')).toMatchObject({ nativeRef: app.nativeRef, state: 'running' }); // nothing was touched
    await other.remove();
    await provider.runAction({ nativeRef: snap.nativeRef, kind: 'snapshot' }, 'snapshot_delete', {}, taskReporter());
    await expect(peer.docker.getImage(snap.nativeRef).inspect()).rejects.toMatchObject({ statusCode: 404 }); // unused: really removed
  });
});
