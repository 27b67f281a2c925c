// The rest of snapshot management against a real dockerd, read back through
// dockerode: policy marks (an image label), a new container from a snapshot with
// copies of its named volumes, a revert that keeps the current state first, and the
// refusals Docker's nature makes (no label edits, no templates).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { policyTag } from '../../../shared/schedules';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import type { ActionName } from '../../../shared/model';
import type { ActionParams } from '../../../shared/contract';
import { execText, Mirror, POLITE_CMD, providerFor, SERVER_ID, skipWithoutDockerd, taskReporter } from './harness';

const unavailable = dockerdUnavailableReason();
const POLICY = 'polyvisor:0b7e-daily';
const POLICY_LABEL = 'dev.polyvisor.snapshot.policy';

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: snapshot management', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;
  let appId: string;

  const act = (nativeRef: string, kind: 'container' | 'snapshot', action: ActionName, params: ActionParams = {}, task = taskReporter()) =>
    provider.runAction({ nativeRef, kind }, action, params, task);
  const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
  const volumeNames = async () => ((await peer.docker.listVolumes()).Volumes ?? []).map((v) => v.Name).sort();
  const app = () => mirror.byName('container', 'app')!;

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    const c = await peer.docker.createContainer({
      name: 'app',
      Image: 'local/busybox:latest',
      Cmd: POLITE_CMD,
      Env: ['GREETING=hello'],
      Labels: { 'com.docker.compose.project': 'stack', 'com.docker.compose.service': 'app', tier: 'backend' },
      HostConfig: { NetworkMode: 'none', Binds: ['appdata:/data', 'applogs:/logs:ro'], RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } },
    });
    await c.start();
    appId = c.id;
    await execText(peer.docker, appId, ['sh', '-c', 'echo v1 > /data/state && echo fs1 > /note']);
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  });

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('labels a policy’s snapshot with the policy’s tag and shows the policy on its node', async () => {
    const result = await act(appId, 'container', 'snapshot_create', { name: 'daily-1', description: 'by the daily policy', includeVolumes: true, policyId: POLICY });
    const node = mirror.nodes.get(result.resultId!)!;
    expect(node.snapshot).toMatchObject({ policyId: POLICY, description: 'by the daily policy' });
    expect(node.allowed).toEqual(['snapshot_revert', 'snapshot_delete', 'snapshot_clone']);
    const image = await peer.docker.getImage(node.nativeRef).inspect();
    expect(image.Config.Labels[POLICY_LABEL]).toBe(policyTag(POLICY));
    const mine = await act(appId, 'container', 'snapshot_create', { name: 'mine' });
    expect(mirror.nodes.get(mine.resultId!)!.snapshot!.policyId).toBeUndefined();
    expect((await peer.docker.getImage(mirror.nodes.get(mine.resultId!)!.nativeRef).inspect()).Config.Labels[POLICY_LABEL]).toBe('');
  });

  it('refuses to edit a snapshot (image labels are fixed) and to make a template (Docker has none), saying why', async () => {
    const snap = mirror.byName('snapshot', 'daily-1')!;
    expect(await refusal(act(snap.nativeRef, 'snapshot', 'snapshot_edit', { description: 'x' }))).toMatchObject({
      info: { code: 'UNSUPPORTED', message: expect.stringContaining("cannot change an image's labels") },
    });
    expect(await refusal(act(snap.nativeRef, 'snapshot', 'snapshot_template', { name: 'x' }))).toMatchObject({
      info: { code: 'UNSUPPORTED', message: expect.stringContaining('Docker has no templates') },
    });
    expect((await peer.docker.getImage(snap.nativeRef).inspect()).Config.Labels['dev.polyvisor.snapshot.note']).toBe('by the daily policy');
  });

  it('makes a new container from a snapshot: its configuration, its own copies of the volumes with the snapshot’s data', async () => {
    const snap = mirror.byName('snapshot', 'daily-1')!;
    await execText(peer.docker, appId, ['sh', '-c', 'echo v2 > /data/state']);
    const task = taskReporter();
    const result = await act(snap.nativeRef, 'snapshot', 'snapshot_clone', { name: 'app-clone' }, task);
    const id = result.resultId!.split(':').pop()!;
    expect(result.resultId).toBe(`${SERVER_ID}:container:${id}`);
    expect(task.fractions.at(-1)).toBe(1);

    const info = await peer.docker.getContainer(id).inspect();
    expect(info.Name).toBe('/app-clone');
    expect(info.State.Status).toBe('created'); // made, not started, like a cloned VM
    expect(info.Image).toBe(snap.nativeRef);
    expect(info.Config.Env).toContain('GREETING=hello');
    expect(info.Config.Cmd).toEqual(POLITE_CMD);
    expect(info.Config.Labels.tier).toBe('backend');
    // inherited from the image, which a container cannot drop: emptied, so compose does not count the clone in
    expect(Object.entries(info.Config.Labels).filter(([k, v]) => k.startsWith('com.docker.compose.') && v !== '')).toEqual([]);
    expect(await peer.docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project=stack'] } })).toHaveLength(1);
    expect(info.HostConfig.Binds).toEqual(['app-clone-appdata:/data', 'app-clone-applogs:/logs:ro']);
    expect(info.HostConfig.RestartPolicy).toMatchObject({ Name: 'unless-stopped' });

    await peer.docker.getContainer(id).start();
    expect(await execText(peer.docker, id, ['cat', '/data/state'])).toBe('v1\n'); // the snapshot's data
    expect(await execText(peer.docker, id, ['cat', '/note'])).toBe('fs1\n');
    expect(await execText(peer.docker, appId, ['cat', '/data/state'])).toBe('v2\n'); // the original's untouched
    await execText(peer.docker, id, ['sh', '-c', 'echo clone > /data/state']);
    expect(await execText(peer.docker, appId, ['cat', '/data/state'])).toBe('v2\n'); // and never shared

    const node = mirror.container(id)!;
    expect(node).toMatchObject({ name: 'app-clone', parentId: `${SERVER_ID}:host:engine`, currentSnapshotId: null });
    expect(mirror.nodes.get(snap.id)!.snapshot!.ofId).toBe(`${SERVER_ID}:container:${appId}`);
    expect((await peer.docker.listContainers({ all: true })).map((c) => c.Names[0]).sort()).toEqual(['/app', '/app-clone']); // no helper left
  });

  it('names a clone after the original when no name is given, and gives a snapshot without volumes empty volumes of its own', async () => {
    const snap = mirror.byName('snapshot', 'mine')!; // taken without volumes
    const first = (await act(snap.nativeRef, 'snapshot', 'snapshot_clone')).resultId!.split(':').pop()!;
    const second = (await act(snap.nativeRef, 'snapshot', 'snapshot_clone')).resultId!.split(':').pop()!;
    expect((await peer.docker.getContainer(first).inspect()).Name).toBe('/app-copy');
    expect((await peer.docker.getContainer(second).inspect()).Name).toBe('/app-copy-2');
    expect(await volumeNames()).toEqual(expect.arrayContaining(['app-copy-appdata', 'app-copy-2-appdata', 'appdata']));
    await peer.docker.getContainer(first).start();
    expect(await execText(peer.docker, first, ['ls', '-A', '/data'])).toBe('');
  });

  it('refuses a name in use before making anything', async () => {
    const snap = mirror.byName('snapshot', 'daily-1')!;
    const before = await volumeNames();
    expect(await refusal(act(snap.nativeRef, 'snapshot', 'snapshot_clone', { name: 'app' }))).toMatchObject({
      info: { code: 'INVALID_INPUT', field: 'name', message: 'A container named "app" already exists.' },
    });
    expect(await refusal(act(snap.nativeRef, 'snapshot', 'snapshot_clone', { name: 'no spaces' }))).toMatchObject({ info: { code: 'INVALID_INPUT', field: 'name' } });
    expect(await volumeNames()).toEqual(before);
  });

  it('keeps the current state (with its volumes) as a snapshot first when asked, then restores', async () => {
    const snap = mirror.byName('snapshot', 'daily-1')!;
    const before = app();
    const result = await act(snap.nativeRef, 'snapshot', 'snapshot_revert', { snapshotFirst: true });
    const newId = result.resultId!.split(':').pop()!;
    expect(await execText(peer.docker, newId, ['cat', '/data/state'])).toBe('v1\n');

    const kept = (await peer.docker.listImages({ filters: { label: ['dev.polyvisor.snapshot.role=image'] } }))
      .map((i) => i.Labels)
      .find((l) => /^app-\d{8}-\d{6}$/.test(l['dev.polyvisor.snapshot.name']))!;
    expect(kept['dev.polyvisor.snapshot.of']).toBe(before.nativeRef);
    expect(JSON.parse(kept['dev.polyvisor.snapshot.volumes']).map((v: { volume: string }) => v.volume).sort()).toEqual(['appdata', 'applogs']);
    const keptNode = mirror.byName('snapshot', kept['dev.polyvisor.snapshot.name'])!;
    expect(keptNode.snapshot!.ofId).toBe(`${SERVER_ID}:container:${newId}`);

    // what it kept is the state before the revert: restoring it brings v2 back
    const back = await act(keptNode.nativeRef, 'snapshot', 'snapshot_revert');
    expect(await execText(peer.docker, back.resultId!.split(':').pop()!, ['cat', '/data/state'])).toBe('v2\n');
  });
});
