// Making, changing and removing containers (issue 14) against a real dockerd: the New
// container wizard's options, create with a volume and a published port, limits changed
// live, what Docker cannot change refused, compose project stop/start/remove as child
// tasks, the delete plan and removal with and without volumes. Every change is read
// back with the engine's own CLI (docker inspect / ls), not through the provider.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import { dockerDescriptor } from '../../../electron/core/providers/docker/descriptor';
import { inlineChildren, type RecordedChild } from '../../fixtures/child-tasks';
import { typedFailure } from '../../peers/hostile-proxy';
import { cliInspect, cliLines, dockerCli, dockerCliUnavailableReason } from '../../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { Mirror, POLITE_CMD, providerFor, runContainer, SERVER_ID, skipWithoutDockerd, taskReporter, untilPolite, waitFor } from './harness';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();
const MiB = 1 << 20;

interface Inspected {
  Id: string;
  Name: string;
  State: { Running: boolean; Status: string };
  Config: { Image: string; Env: string[]; ExposedPorts?: Record<string, object> };
  HostConfig: {
    Memory: number;
    MemoryReservation: number;
    NanoCpus: number;
    RestartPolicy: { Name: string };
    PortBindings: Record<string, Array<{ HostPort: string }>>;
    Binds: string[] | null;
    NetworkMode: string;
  };
  Mounts: Array<{ Type: string; Name?: string; Destination: string }>;
}

function withChildren(record: RecordedChild[]) {
  const task = taskReporter();
  return { ...task, child: inlineChildren(task.signal, record) };
}

describe.skipIf(skipWithoutDockerd(unavailable))('Docker containers: create, configure, projects, remove', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;
  let web: string;
  const inspect = (ref: string) => cliInspect<Inspected>(peer.socketPath, ref, 'container');

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    await dockerCli(peer.socketPath, ['network', 'create', 'pvnet']);
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  }, 120_000);

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('declares what a container has: live limits, restart policy and name, volumes kept on request, no clone', () => {
    const facet = dockerDescriptor.facets.guests!;
    expect(facet).toMatchObject({ create: true, clone: [], keepDisks: true, images: true });
    expect(facet.settings.map((s) => [s.key, s.whileRunning])).toEqual([
      ['name', 'live'],
      ['memory.size', 'live'],
      ['memory.reservation', 'live'],
      ['cpuLimit', 'live'],
      ['restartPolicy', 'live'],
    ]);
  });

  it('offers the local images, the networks and the engine as the one host', async () => {
    const options = await provider.guests!.createOptions();
    const busybox = options.templates.find((t) => t.id === 'local/busybox:latest')!;
    const image = await cliInspect<{ Id: string }>(peer.socketPath, 'local/busybox:latest', 'image');
    expect(busybox).toMatchObject({ makes: 'container', install: [], nodeId: `${SERVER_ID}:image:${image.Id}` });
    expect(options.templates.some((t) => t.id.startsWith('polyvisor-snapshots/'))).toBe(false);
    const networks = await cliLines(peer.socketPath, ['network', 'ls', '--format', '{{.Name}}']);
    expect(options.networks.map((n) => n.id).sort()).toEqual(networks.sort());
    expect(options.hosts).toEqual([{ hostId: `${SERVER_ID}:host:engine`, name: (await peer.docker.info()).Name }]);
    expect(options.maxMemoryBytes).toBeGreaterThan(0);
  });

  it('creates a container with a named volume (made when missing), a published port, limits and a restart policy, and starts it', async () => {
    const task = taskReporter();
    const result = await provider.guests!.create(
      {
        templateId: 'local/busybox:latest',
        name: 'web',
        networks: [{ networkId: 'pvnet' }],
        memory: { sizeBytes: 64 * MiB, reservationBytes: 32 * MiB },
        start: true,
        container: {
          command: POLITE_CMD,
          env: ['MODE=demo'],
          ports: [{ containerPort: 80, hostPort: 18080 }],
          volumes: [{ source: 'webdata', target: '/data' }],
          restartPolicy: 'unless-stopped',
          cpuLimit: 0.5,
        },
      },
      task,
    );
    web = result.resultId!.split(':').at(-1)!;
    expect(result.resultId).toBe(`${SERVER_ID}:container:${web}`);
    const c = await inspect(web);
    expect(c.Name).toBe('/web');
    expect(c.State.Running).toBe(true);
    expect(c.Config.Env).toContain('MODE=demo');
    expect(c.HostConfig).toMatchObject({
      Memory: 64 * MiB,
      MemoryReservation: 32 * MiB,
      NanoCpus: 500_000_000,
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: { '80/tcp': [{ HostPort: '18080' }] },
      NetworkMode: 'pvnet',
    });
    expect(c.Mounts).toEqual([expect.objectContaining({ Type: 'volume', Name: 'webdata', Destination: '/data' })]);
    expect(await cliLines(peer.socketPath, ['volume', 'ls', '-q'])).toContain('webdata');
    // in the tree when the task ends
    expect(mirror.container(web)).toMatchObject({ name: 'web', state: 'running' });
    expect(task.fractions.at(-1)).toBe(1);
  });

  it('refuses before anything is made: a bad name, a taken name, what a container does not have', async () => {
    const count = (await cliLines(peer.socketPath, ['ps', '-aq'])).length;
    const bad = await typedFailure(provider.guests!.create({ templateId: 'local/busybox:latest', name: '-bad' }, taskReporter()));
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
    const taken = await typedFailure(provider.guests!.create({ templateId: 'local/busybox:latest', name: 'web' }, taskReporter()));
    expect(taken).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
    const disks = await typedFailure(provider.guests!.create({ templateId: 'local/busybox:latest', name: 'vmlike', disks: [{ sizeBytes: MiB }] }, taskReporter()));
    expect(disks).toMatchObject({ code: 'INVALID_INPUT', field: 'disks' });
    expect((await cliLines(peer.socketPath, ['ps', '-aq'])).length).toBe(count);
  });

  it('reads the container\'s settings as the engine has them', async () => {
    const props = await provider.guests!.properties({ nativeRef: web, kind: 'container' });
    expect(props).toMatchObject({
      name: 'web',
      memory: { sizeBytes: 64 * MiB, reservationBytes: 32 * MiB },
      cpuLimit: 0.5,
      restartPolicy: 'unless-stopped',
      tags: [],
      disks: [{ id: 'webdata', name: 'webdata', device: '/data' }],
    });
    expect(props.nics.map((n) => n.networkName)).toEqual(['pvnet']);
  });

  it('changes limits, restart policy and name live: the running container keeps running', async () => {
    const before = await inspect(web);
    await provider.guests!.configure(
      { nativeRef: web, kind: 'container' },
      { name: 'web-renamed', memory: { sizeBytes: 256 * MiB, reservationBytes: 128 * MiB }, cpuLimit: 1.5, restartPolicy: 'always' },
      taskReporter(),
    );
    const after = await inspect(web);
    expect(after.Name).toBe('/web-renamed');
    expect(after.HostConfig).toMatchObject({ Memory: 256 * MiB, MemoryReservation: 128 * MiB, NanoCpus: 1_500_000_000, RestartPolicy: { Name: 'always' } });
    expect(after.State.Running).toBe(true);
    expect(after.Id).toBe(before.Id);
    expect(mirror.container(web)).toMatchObject({ name: 'web-renamed' });
  });

  it('refuses what Docker cannot change in place, and changes nothing', async () => {
    const before = await inspect(web);
    const err = await typedFailure(provider.guests!.configure({ nativeRef: web, kind: 'container' }, { cpuLimit: 0.25, tags: ['x'] }, taskReporter()));
    expect(err).toMatchObject({ code: 'UNSUPPORTED', field: 'tags' });
    expect((await inspect(web)).HostConfig.NanoCpus).toBe(before.HostConfig.NanoCpus);
  });

  it('stops, starts and restarts a compose project as one child task per container', async () => {
    const labels = (service: string) => ({ 'com.docker.compose.project': 'shop', 'com.docker.compose.service': service });
    const front = await runContainer(peer.docker, 'shop-front-1', { labels: labels('front') });
    const back = await runContainer(peer.docker, 'shop-back-1', { labels: labels('back') });
    await Promise.all([untilPolite(peer.docker, front), untilPolite(peer.docker, back)]);
    const project = await waitFor(() => mirror.byName('project', 'shop')?.props.containersRunning === 2 && mirror.byName('project', 'shop'), 'project shop running');
    expect(project.allowed).toEqual(['shutdown', 'reboot']);

    const stopped: RecordedChild[] = [];
    await provider.runAction({ nativeRef: 'shop', kind: 'project' }, 'shutdown', {}, withChildren(stopped));
    for (const id of [front, back]) expect((await inspect(id)).State.Status).toBe('exited');
    expect(stopped.map((c) => [c.step.name, c.step.action, c.info.status])).toEqual([
      ['shop-back-1', 'shutdown', 'success'],
      ['shop-front-1', 'shutdown', 'success'],
    ]);
    expect(mirror.byName('project', 'shop')!.allowed).toEqual(['start', 'destroy']);

    // one started by hand: the project's start starts only the other
    await peer.docker.getContainer(front).start();
    await untilPolite(peer.docker, front);
    const started: RecordedChild[] = [];
    await provider.runAction({ nativeRef: 'shop', kind: 'project' }, 'start', {}, withChildren(started));
    for (const id of [front, back]) expect((await inspect(id)).State.Running).toBe(true);
    expect(started.map((c) => c.step.name)).toEqual(['shop-back-1']);
    await untilPolite(peer.docker, back);

    const restarted: RecordedChild[] = [];
    const startedAt = (await inspect(back)) as unknown as { State: { StartedAt: string } };
    await provider.runAction({ nativeRef: 'shop', kind: 'project' }, 'reboot', {}, withChildren(restarted));
    expect(restarted).toHaveLength(2);
    const again = (await inspect(back)) as unknown as { State: { StartedAt: string; Running: boolean } };
    expect(again.State.Running).toBe(true);
    expect(again.State.StartedAt).not.toBe(startedAt.State.StartedAt);
    await Promise.all([untilPolite(peer.docker, front), untilPolite(peer.docker, back)]);
  });

  it('removes a stopped project\'s containers; a running one is refused with the engine\'s own answer', async () => {
    const record: RecordedChild[] = [];
    const err = await typedFailure(provider.runAction({ nativeRef: 'shop', kind: 'project' }, 'destroy', {}, withChildren(record)));
    expect(err).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'HTTP_409' });
    expect(err.message).toMatch(/shop-back-1, shop-front-1 of the project shop: .*cannot remove a running container/i);
    expect(await cliLines(peer.socketPath, ['ps', '-aq', '--filter', 'label=com.docker.compose.project=shop'])).toHaveLength(2);

    await provider.runAction({ nativeRef: 'shop', kind: 'project' }, 'shutdown', {}, withChildren([]));
    await provider.runAction({ nativeRef: 'shop', kind: 'project' }, 'destroy', {}, withChildren([]));
    expect(await cliLines(peer.socketPath, ['ps', '-aq', '--filter', 'label=com.docker.compose.project=shop'])).toEqual([]);
    expect(mirror.byName('project', 'shop')).toBeUndefined();
  });

  it('plans a removal: named volumes with the containers sharing them, and its snapshots', async () => {
    const other = await runContainer(peer.docker, 'reader', { binds: ['webdata:/shared'], start: false });
    await provider.runAction({ nativeRef: web, kind: 'container' }, 'snapshot_create', { name: 'keep-me' }, taskReporter());
    await peer.docker.getContainer(web).stop({ t: 0 }).catch(() => undefined);
    const plan = await provider.guests!.deletePlan({ nativeRef: web, kind: 'container' });
    expect(plan).toEqual({ snapshots: 1, disks: [expect.objectContaining({ name: 'webdata', sharedWith: ['reader'] })] });
    await peer.docker.getContainer(other).remove();
    const alone = await provider.guests!.deletePlan({ nativeRef: web, kind: 'container' });
    expect(alone.disks[0].sharedWith).toBeUndefined();
  });

  it('removes a container with its own volumes and snapshots, but keeps a volume another container uses', async () => {
    const sharer = await runContainer(peer.docker, 'sharer', { binds: ['webdata:/shared'], start: false });
    await provider.runAction({ nativeRef: web, kind: 'container' }, 'destroy', { keepDisks: false }, taskReporter());
    expect(await cliLines(peer.socketPath, ['ps', '-aq', '--no-trunc'])).not.toContain(web);
    expect(await cliLines(peer.socketPath, ['volume', 'ls', '-q'])).toContain('webdata');
    const images = await cliLines(peer.socketPath, ['image', 'ls', '--format', '{{.Repository}}']);
    expect(images.some((r) => r.startsWith('polyvisor-snapshots/web'))).toBe(false);
    expect(mirror.container(web)).toBeUndefined();
    await peer.docker.getContainer(sharer).remove();

    // a container of its own on the volume: removing it without keeping volumes removes the volume
    const owner = await runContainer(peer.docker, 'owner', { binds: ['webdata:/data'], start: false });
    await provider.runAction({ nativeRef: owner, kind: 'container' }, 'destroy', { keepDisks: false }, taskReporter());
    expect(await cliLines(peer.socketPath, ['volume', 'ls', '-q'])).not.toContain('webdata');
  });

  it('keeps the volumes when asked, and removes a running container only when forced', async () => {
    const id = await runContainer(peer.docker, 'runner', { binds: ['runnerdata:/data'] });
    // offered while it runs: the confirmation asks to force it, as for a running VM on XAPI and vSphere
    await waitFor(() => mirror.container(id)?.state === 'running', 'runner running in the tree');
    expect(mirror.container(id)!.allowed).toContain('destroy');
    const refused = await typedFailure(provider.runAction({ nativeRef: id, kind: 'container' }, 'destroy', { keepDisks: true }, taskReporter()));
    expect(refused).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'HTTP_409' });
    expect((await inspect(id)).State.Running).toBe(true);

    await provider.runAction({ nativeRef: id, kind: 'container' }, 'destroy', { keepDisks: true, force: true }, taskReporter());
    expect(await cliLines(peer.socketPath, ['ps', '-aq', '--no-trunc'])).not.toContain(id);
    expect(await cliLines(peer.socketPath, ['volume', 'ls', '-q'])).toContain('runnerdata');
    await waitFor(() => !mirror.container(id), 'runner gone from the tree');
  });
});
