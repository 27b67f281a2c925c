// The Docker provider against a real dockerd: inventory (engine, compose project,
// standalone container), live updates from the event stream, every power action, logs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { isPolyvisorError } from '../../../shared/errors';
import { Mirror, providerFor, runContainer, SERVER_ID, skipWithoutDockerd, taskReporter, untilPolite, waitFor } from './harness';
import type { DockerProvider } from '../../../electron/core/providers/docker';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: inventory, events, actions', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;
  let web1: string, web2: string, solo: string, stopped: string;

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    const compose = (service: string, n: number) => ({
      'com.docker.compose.project': 'shop',
      'com.docker.compose.service': service,
      'com.docker.compose.container-number': String(n),
      'com.docker.compose.project.working_dir': '/srv/shop',
    });
    web1 = await runContainer(peer.docker, 'shop-web-1', { labels: compose('web', 1) });
    web2 = await runContainer(peer.docker, 'shop-db-1', { labels: compose('db', 1), binds: ['shopdata:/var/lib/db'] });
    solo = await runContainer(peer.docker, 'solo', { labels: { team: 'ops' }, env: ['MODE=demo'] });
    stopped = await runContainer(peer.docker, 'idle', { start: false });
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  });

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('emits the engine, the compose project and every container in one reset', async () => {
    expect(mirror.resets).toBe(1);
    const engine = mirror.ofKind('host');
    expect(engine).toHaveLength(1);
    const info = await peer.docker.info();
    expect(engine[0]).toMatchObject({ parentId: null, name: info.Name, state: 'running' });
    expect(engine[0].props).toMatchObject({ version: info.ServerVersion, containers: 4, containersRunning: 3, cpus: info.NCPU, storageDriver: info.Driver });
    expect(engine[0].props.apiVersion).toMatch(/^1\.\d+$/);

    const project = mirror.byName('project', 'shop')!;
    expect(project).toBeDefined();
    expect(project.parentId).toBe(engine[0].id);
    expect(project.props).toMatchObject({ containers: 2, containersRunning: 2, workingDir: '/srv/shop' });

    expect(mirror.container(web1)!.parentId).toBe(project.id);
    expect(mirror.container(web2)!.parentId).toBe(project.id);
    const s = mirror.container(solo)!;
    expect(s).toMatchObject({ name: 'solo', parentId: engine[0].id, state: 'running', kind: 'container' });
    expect(s.id).toBe(`${SERVER_ID}:container:${solo}`);
    // destroy too: a running container is removed forced (the confirmation asks first)
    expect(s.allowed).toEqual(expect.arrayContaining(['shutdown', 'force_shutdown', 'reboot', 'pause', 'snapshot_create', 'destroy']));
    expect(s.allowed).not.toContain('start');
    expect(s.props).toMatchObject({ id: solo, image: 'local/busybox:latest', restartPolicy: 'on-failure:2', networks: ['none'] });
    expect(s.props.labels).toEqual(['team=ops']);
    expect(String(s.props.command)).toContain('sleep 100000');
    expect(s.props.started).toMatch(/^\d{4}-/);
    expect(mirror.container(web2)!.props.mounts).toEqual(['volume shopdata → /var/lib/db']);

    const idle = mirror.container(stopped)!;
    expect(idle.state).toBe('halted');
    expect(idle.allowed).toEqual(expect.arrayContaining(['start', 'destroy', 'snapshot_create']));
  });

  it('follows containers started, stopped and killed outside Polyvisor', async () => {
    await peer.docker.getContainer(stopped).start();
    await waitFor(() => mirror.container(stopped)?.state === 'running', 'idle running');
    await peer.docker.getContainer(stopped).stop({ t: 5 });
    await waitFor(() => mirror.container(stopped)?.state === 'halted', 'idle halted');
    expect(mirror.container(stopped)!.props.exitCode).toBe(0);

    const extra = await runContainer(peer.docker, 'late-comer');
    await waitFor(() => mirror.container(extra)?.state === 'running', 'new container appears');
    await waitFor(() => mirror.ofKind('host')[0].props.containers === 5, 'engine count follows');
    await peer.docker.getContainer(extra).kill();
    await waitFor(() => mirror.container(extra)?.state === 'halted', 'killed container halted');
    expect(mirror.container(extra)!.props.exitCode).toBe(137);
    await peer.docker.getContainer(extra).remove();
    await waitFor(() => !mirror.container(extra), 'removed container leaves the tree');

    await peer.docker.getContainer(solo).rename({ name: 'solo-renamed' });
    await waitFor(() => mirror.container(solo)?.name === 'solo-renamed', 'rename');
    await peer.docker.getContainer(solo).rename({ name: 'solo' });
    await waitFor(() => mirror.container(solo)?.name === 'solo', 'rename back');
  });

  it('shows a failing health check as unhealthy', async () => {
    const c = await peer.docker.createContainer({
      name: 'sickly',
      Image: 'local/busybox:latest',
      Cmd: ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"],
      Healthcheck: { Test: ['CMD', 'false'], Interval: 200_000_000, Timeout: 1_000_000_000, Retries: 1 },
      HostConfig: { NetworkMode: 'none' },
    });
    await c.start();
    const node = await waitFor(() => (mirror.container(c.id)?.state === 'unhealthy' ? mirror.container(c.id) : undefined), 'unhealthy');
    expect(node.props.health).toBe('unhealthy');
    expect(node.allowed).toContain('shutdown');
    await c.remove({ force: true });
    await waitFor(() => !mirror.container(c.id), 'removed');
  });

  it('runs every power action and the tree follows', async () => {
    const target = { nativeRef: solo, kind: 'container' };
    const act = async (action: Parameters<DockerProvider['runAction']>[1]) => {
      await provider.runAction(target, action, {}, taskReporter());
      return (await peer.docker.getContainer(solo).inspect()).State;
    };
    expect((await act('pause')).Paused).toBe(true);
    expect(mirror.container(solo)!.state).toBe('paused');
    expect(mirror.container(solo)!.allowed).toContain('unpause');
    expect((await act('unpause')).Running).toBe(true);
    expect(mirror.container(solo)!.state).toBe('running');

    const before = (await peer.docker.getContainer(solo).inspect()).State.StartedAt;
    const afterReboot = await act('reboot');
    expect(afterReboot.Running).toBe(true);
    expect(afterReboot.StartedAt).not.toBe(before);
    expect((await act('force_reboot')).Running).toBe(true);

    // a loaded machine may stop it before the restarted shell has set its trap (then SIGTERM is ignored and 137 follows)
    await untilPolite(peer.docker, solo);
    const stoppedState = await act('shutdown');
    expect(stoppedState.Running).toBe(false);
    expect(stoppedState.ExitCode).toBe(0); // clean stop: the trap exits 0
    expect(mirror.container(solo)!.state).toBe('halted');

    expect((await act('start')).Running).toBe(true);
    const killed = await act('force_shutdown');
    expect(killed.Running).toBe(false);
    expect(killed.ExitCode).toBe(137);

    await provider.runAction(target, 'destroy', {}, taskReporter());
    await expect(peer.docker.getContainer(solo).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(mirror.container(solo)).toBeUndefined();
  });

  it('reports the engine refusing an action with its HTTP status and message', async () => {
    const err = await provider
      .runAction({ nativeRef: web1, kind: 'container' }, 'destroy', {}, taskReporter())
      .catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'SERVER_ERROR')).toBe(true);
    if (!isPolyvisorError(err)) return;
    expect(err.info.serverCode).toBe('HTTP_409');
    expect(err.info.serverParams?.[0]).toMatch(/running container/i);

    const missing = await provider
      .runAction({ nativeRef: 'f'.repeat(64), kind: 'container' }, 'start', {}, taskReporter())
      .catch((e: unknown) => e);
    expect(isPolyvisorError(missing, 'SERVER_ERROR') && missing.info.serverCode).toBe('HTTP_404');

    const wrongKind = await provider.runAction({ nativeRef: web1, kind: 'container' }, 'suspend', {}, taskReporter()).catch((e: unknown) => e);
    expect(isPolyvisorError(wrongKind, 'UNSUPPORTED')).toBe(true);
  });

  it('reads container logs, with tail and follow', async () => {
    const c = await peer.docker.createContainer({
      name: 'chatty',
      Image: 'local/busybox:latest',
      // stdout and stderr are separate pipes: the pause keeps their order in the log deterministic
      Cmd: ['sh', '-c', 'for i in 1 2 3; do echo line$i; done; sleep 0.5; echo oops >&2; sleep 100000 & wait'],
      HostConfig: { NetworkMode: 'none' },
    });
    await c.start();
    const read = async (s: NodeJS.ReadableStream) => {
      let text = '';
      for await (const chunk of s) text += chunk.toString();
      return text;
    };
    const all = await waitFor(async () => {
      const text = await read(await provider.getLogs(c.id));
      return text.includes('oops') && text;
    }, 'the whole log', 30_000);
    expect(all).toBe('line1\nline2\nline3\noops\n');
    expect(await read(await provider.getLogs(c.id, { tail: 1 }))).toBe('oops\n');

    const follow = await provider.getLogs(c.id, { follow: true, tail: 0 });
    let seen = '';
    follow.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    const exec = await c.exec({ Cmd: ['sh', '-c', 'echo later > /proc/1/fd/1'] });
    await exec.start({ hijack: true, stdin: false });
    await waitFor(() => seen.includes('later'), 'followed log line');
    follow.destroy();
  });

  it('fails with CONNECTION_FAILED when there is no engine at the socket', async () => {
    const nowhere = providerFor(`${peer.dir}/no-such.sock`);
    const err = await nowhere.connect().catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'CONNECTION_FAILED')).toBe(true);
  });
});
