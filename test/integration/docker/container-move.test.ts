// Moving a container between two real dockerd engines through the provider's cross-server
// migration, read back from both engines with dockerode (not through Polyvisor): the
// configuration and the volume's files arrive, the original is gone, its volume kept; a
// refusal before the start, a failure midway (the destination's own create refuses) and a
// cancel between steps leave the original as it was and the destination as it was.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import type { TaskReporter } from '../../../electron/core/providers/provider';
import { inlineChildren } from '../../fixtures/child-tasks';
import { dockerdUnavailableReason, type DockerdPeer } from '../../peers/dockerd';
import { execText, Mirror, POLITE_CMD, providerFor, skipWithoutDockerd, taskReporter, waitFor } from './harness';
import { ALT_RUNTIME, containerWithVolume, engineContents, startMovePeers } from './move-peers';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: moving a container to another engine', () => {
  let a: DockerdPeer;
  let b: DockerdPeer;
  let pa: DockerProvider;
  let pb: DockerProvider;
  let mirrorA: Mirror;
  let mirrorB: Mirror;

  const send = (id: string, task: TaskReporter = taskReporter()) => pa.migration.crossServer!.send(id, pb, 'engine', {}, task);
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('the move succeeded'); }, (e: unknown) => e as { info: { code: string; message: string; serverCode?: string } });
  const snapshotImages = async (peer: DockerdPeer) => (await peer.docker.listImages({ all: true })).filter((i) => (i.RepoTags ?? []).some((t) => t.startsWith('polyvisor-snapshots/')));

  beforeAll(async () => {
    ({ a, b } = await startMovePeers());
    pa = providerFor(a.socketPath, { serverId: 'srv-a' });
    pb = providerFor(b.socketPath, { serverId: 'srv-b' });
    mirrorA = new Mirror(pa);
    mirrorB = new Mirror(pb);
    await Promise.all([pa.connect(), pb.connect()]);
  });

  afterAll(async () => {
    await Promise.all([pa?.disconnect(), pb?.disconnect()]);
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('has no target inside an engine, no evacuation, and lands on an engine stopped and without storage choice', async () => {
    expect(await pa.migration.plan(['any'])).toEqual([{ vmRef: 'any', targets: [] }]);
    await expect(pa.migration.evacuationPlan('engine')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    expect(await pb.migration.crossServer!.landing('engine')).toEqual({ storages: [], offline: true });
    await expect(pb.migration.crossServer!.landing('elsewhere')).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
  });

  it('moves a running container with its named volume: same configuration and files on B, gone from A, its volume kept on A', async () => {
    const id = await containerWithVolume(a.docker, 'mover', 'mover-data');
    await execText(a.docker, id, ['sh', '-c', 'printf "written on A\\n" > /data/hello.txt && mkdir -p /data/sub && echo deep > /data/sub/f']);
    const before = await a.docker.getContainer(id).inspect();
    await waitFor(() => mirrorA.nodes.get(`srv-a:container:${id}`)?.allowed.includes('migrate'), 'migrate offered on the container', 30_000);
    expect(await b.docker.listImages()).toEqual([]);

    const task = taskReporter();
    const result = await send(id, task);

    const moved = (await b.docker.listContainers({ all: true, filters: { name: ['^/mover$'] } }))[0];
    expect(result.resultId).toBe(`srv-b:container:${moved.Id}`);
    const info = await b.docker.getContainer(moved.Id).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.Config.Image).toBe('local/busybox:latest');
    expect(info.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello', 'MODE=move-test']));
    expect(info.Config.Cmd).toEqual(before.Config.Cmd);
    expect(info.Config.Labels).toMatchObject({ app: 'mover', tier: 'backend' });
    expect(info.HostConfig.RestartPolicy).toEqual(before.HostConfig.RestartPolicy);
    expect(info.HostConfig.PortBindings).toEqual(before.HostConfig.PortBindings);
    expect(info.HostConfig.NetworkMode).toBe('movenet');
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual(['movenet']);
    expect(info.Mounts).toEqual([expect.objectContaining({ Type: 'volume', Name: 'mover-data', Destination: '/data' })]);
    expect((await b.docker.getVolume('mover-data').inspect()).Labels).toEqual({ owner: 'mover' });
    expect(await execText(b.docker, moved.Id, ['cat', '/data/hello.txt', '/data/sub/f'])).toBe('written on A\ndeep\n');

    expect(await a.docker.listContainers({ all: true, filters: { name: ['^/mover$'] } })).toEqual([]);
    expect((await a.docker.getVolume('mover-data').inspect()).Name).toBe('mover-data');
    expect(await snapshotImages(a)).toEqual([]);
    expect(await snapshotImages(b)).toEqual([]);

    expect(task.fractions.at(-1)).toBe(1);
    expect(task.fractions).toEqual([...task.fractions].sort((x, y) => x - y));
    expect(mirrorA.nodes.get(`srv-a:container:${id}`)).toBeUndefined();
    expect(mirrorB.nodes.get(result.resultId!)).toMatchObject({ kind: 'container', name: 'mover', state: 'running' });
  });

  it('moves a stopped container with changes in its own filesystem from its snapshot image, and leaves it stopped', async () => {
    const c = await a.docker.createContainer({ name: 'changed', Image: 'local/busybox:latest', Cmd: ['sh', '-c', 'echo made on A > /etc/motd'], HostConfig: { NetworkMode: 'none' } });
    await c.start();
    await c.wait();
    const result = await send(c.id);

    const [moved] = await b.docker.listContainers({ all: true, filters: { name: ['^/changed$'] } });
    expect(result.resultId).toBe(`srv-b:container:${moved.Id}`);
    const info = await b.docker.getContainer(moved.Id).inspect();
    expect(info.State).toMatchObject({ Running: false, Status: 'created' });
    // the base image would lose /etc/motd: the container runs from the commit of its filesystem
    expect(info.Config.Image).toMatch(/^polyvisor-snapshots\/changed:/);
    expect(info.Config.Cmd).toEqual(['sh', '-c', 'echo made on A > /etc/motd']);
    const tar = await b.docker.getContainer(moved.Id).getArchive({ path: '/etc/motd' });
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('latin1')).toContain('made on A\n');
    expect(await a.docker.listContainers({ all: true, filters: { name: ['^/changed$'] } })).toEqual([]);
    expect(await snapshotImages(a)).toEqual([]);
    expect(await snapshotImages(b)).toEqual([]);
  });

  it('moves a paused container and leaves it paused on B', async () => {
    const id = await containerWithVolume(a.docker, 'sleeper', 'sleeper-data');
    await execText(a.docker, id, ['sh', '-c', 'echo paused data > /data/p']);
    await a.docker.getContainer(id).pause();
    const result = await send(id);

    const movedId = result.resultId!.split(':').at(-1)!;
    expect((await b.docker.getContainer(movedId).inspect()).State).toMatchObject({ Running: true, Paused: true });
    await b.docker.getContainer(movedId).unpause();
    expect(await execText(b.docker, movedId, ['cat', '/data/p'])).toBe('paused data\n');
    expect(await a.docker.listContainers({ all: true, filters: { name: ['^/sleeper$'] } })).toEqual([]);
  });

  it('streams the images engine to engine: 192 MiB of container filesystem never sits in memory at once', async () => {
    const c = await a.docker.createContainer({ name: 'bulky', Image: 'local/busybox:latest', Cmd: POLITE_CMD, HostConfig: { NetworkMode: 'none' } });
    await c.start();
    await execText(a.docker, c.id, ['sh', '-c', 'dd if=/dev/zero of=/big bs=1048576 count=192 2>/dev/null']);
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 10);
    let result: Awaited<ReturnType<typeof send>>;
    try {
      result = await send(c.id);
    } finally {
      clearInterval(sampler);
    }
    const movedId = result.resultId!.split(':').at(-1)!;
    expect((await execText(b.docker, movedId, ['sh', '-c', 'wc -c < /big'])).trim()).toBe(String(192 * 1048576));
    expect(peak - baseline).toBeLessThan(96 * 1048576);
  });

  it('refuses before stopping anything when B already has a volume of that name, and leaves that volume alone', async () => {
    const id = await containerWithVolume(a.docker, 'clash', 'clash-data');
    await b.docker.createVolume({ Name: 'clash-data', Labels: { mine: 'yes' } });
    const startedAt = (await a.docker.getContainer(id).inspect()).State.StartedAt;
    const bBefore = await engineContents(b.docker);

    const error = await failure(send(id));
    expect(error.info).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error.info.message).toContain('already has a volume named clash-data');

    const after = await a.docker.getContainer(id).inspect();
    expect(after.State).toMatchObject({ Running: true, StartedAt: startedAt });
    expect(await engineContents(b.docker)).toEqual(bBefore);
    expect((await b.docker.getVolume('clash-data').inspect()).Labels).toEqual({ mine: 'yes' });
    expect(await snapshotImages(a)).toEqual([]);
  });

  it('undoes everything when B refuses the container midway (its own create: an unknown runtime)', async () => {
    const id = await containerWithVolume(a.docker, 'alt-runner', 'alt-data', { runtime: ALT_RUNTIME });
    await execText(a.docker, id, ['sh', '-c', 'echo keep me > /data/kept']);
    const aBefore = await engineContents(a.docker);
    const bBefore = await engineContents(b.docker);
    const task = taskReporter();

    const error = await failure(send(id, task));
    expect(error.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'HTTP_400' });
    expect(error.info.message).toContain(`Unknown runtime specified ${ALT_RUNTIME}`);
    // it failed after the images and the volume had gone over
    expect(Math.max(...task.fractions)).toBeGreaterThanOrEqual(0.8);

    const after = await a.docker.getContainer(id).inspect();
    expect(after.State.Running).toBe(true);
    expect(after.HostConfig.Runtime).toBe(ALT_RUNTIME);
    expect(await execText(a.docker, id, ['cat', '/data/kept'])).toBe('keep me\n');
    expect(await engineContents(a.docker)).toEqual(aBefore);
    expect(await engineContents(b.docker)).toEqual(bBefore);
  });

  it('stops between steps when cancelled: the original runs again, B keeps nothing', async () => {
    const id = await containerWithVolume(a.docker, 'cancelled', 'cancelled-data');
    const aBefore = await engineContents(a.docker);
    const bBefore = await engineContents(b.docker);
    const controller = new AbortController();
    const seen: number[] = [];
    const task: TaskReporter = {
      // the snapshot is taken (0.3): cancel there, as the user's cancel would abort the task's signal
      progress: (f) => {
        seen.push(f);
        if (f >= 0.3) controller.abort();
      },
      setCancellable: () => undefined,
      signal: controller.signal,
      child: inlineChildren(controller.signal),
    };

    const error = await failure(send(id, task));
    expect(error.info.code).toBe('CANCELLED');
    expect(Math.max(...seen)).toBeLessThan(0.6);
    expect((await a.docker.getContainer(id).inspect()).State.Running).toBe(true);
    expect(await engineContents(a.docker)).toEqual(aBefore);
    expect(await engineContents(b.docker)).toEqual(bBefore);
  });
});
