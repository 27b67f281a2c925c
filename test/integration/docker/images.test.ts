// Docker images and volumes (issue 14) against a real dockerd and a real registry
// (Debian's docker-registry): pull with progress from the layer byte counts, a container
// made from an image the engine lacks (pulled first), image and volume nodes kept live
// from the engine's events, removal (an image in use: the engine's own conflict), prune.
// Every change is read back with the engine's own CLI, not through the provider.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import { typedFailure } from '../../peers/hostile-proxy';
import { cliInspect, cliLines, dockerCli, dockerCliUnavailableReason } from '../../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { pushRandomImage, registryUnavailableReason, startRegistry, type RegistryPeer } from '../../peers/registry';
import { Mirror, POLITE_CMD, providerFor, SERVER_ID, skipWithoutDockerd, taskReporter, waitFor } from './harness';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason() ?? registryUnavailableReason();

/**
 * Random bytes do not compress: the layer is this big on the wire too. The engine says
 * how far a layer got at most every 100 ms, and a loopback registry is quick: the layer
 * must be big enough to take a few of those.
 */
const PAYLOAD_BYTES = 32 << 20;

describe.skipIf(skipWithoutDockerd(unavailable))('Docker images and volumes: pull, remove, prune', () => {
  let peer: DockerdPeer;
  let registry: RegistryPeer;
  let provider: DockerProvider;
  let mirror: Mirror;
  let payload: string;
  let second: string;

  beforeAll(async () => {
    [peer, registry] = await Promise.all([startDockerd(), startRegistry()]);
    await ensureBusyboxImage(peer.docker);
    payload = await pushRandomImage(peer, registry, 'pv/payload', PAYLOAD_BYTES, 'local/busybox:latest');
    second = await pushRandomImage(peer, registry, 'pv/second', PAYLOAD_BYTES, 'local/busybox:latest');
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  }, 180_000);

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
    await registry?.stop();
  });

  it('lists the engine\'s images under the engine, without the snapshot images', async () => {
    const engineId = `${SERVER_ID}:host:engine`;
    const busybox = mirror.byName('image', 'local/busybox:latest')!;
    const listed = (await cliInspect<{ Id: string; Size: number; RepoTags: string[] }>(peer.socketPath, 'local/busybox:latest', 'image'));
    expect(busybox).toMatchObject({ parentId: engineId, nativeRef: listed.Id, id: `${SERVER_ID}:image:${listed.Id}`, allowed: ['destroy'] });
    expect(busybox.props).toMatchObject({ id: listed.Id, tags: listed.RepoTags, size: listed.Size, usedBy: [] });
    expect(String(busybox.props.created)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('pulls with progress from the layer byte counts; the engine lists the image after', async () => {
    const task = taskReporter();
    const result = await provider.images!.pull(payload, task);
    const image = await cliInspect<{ Id: string; RepoTags: string[] }>(peer.socketPath, payload, 'image');
    expect(image.RepoTags).toContain(payload);
    expect(result.resultId).toBe(`${SERVER_ID}:image:${image.Id}`);
    // the layer arrived in steps: fractions strictly between 0 and 1, never going back
    const between = task.fractions.filter((f) => f > 0 && f < 1);
    expect(between.length, JSON.stringify(task.fractions)).toBeGreaterThanOrEqual(2);
    expect([...task.fractions].sort((a, b) => a - b)).toEqual(task.fractions);
    expect(task.fractions.at(-1)).toBe(1);
    // in the tree when the task ends, not only after the next event
    expect(mirror.nodes.get(result.resultId!)).toMatchObject({ kind: 'image', name: payload });
  });

  it('refuses a reference the registry does not have with the engine\'s own answer', async () => {
    const err = await typedFailure(provider.images!.pull(`${registry.address}/pv/nothing:1`, taskReporter()));
    expect(err.code).toBe('SERVER_ERROR');
    expect(err.serverCode).toBe('HTTP_404');
    expect(err.message).toMatch(/manifest unknown|not found/i);
  });

  it('makes a container from an image the engine lacks: pulled first, with progress', async () => {
    const options = await provider.guests!.createOptions();
    expect(options.templates.map((t) => t.id)).not.toContain(second);
    const task = taskReporter();
    const result = await provider.guests!.create({ templateId: second, name: 'from-registry', container: { command: POLITE_CMD } }, task);
    const id = result.resultId!.split(':').at(-1)!;
    const made = await cliInspect<{ Config: { Image: string }; Name: string }>(peer.socketPath, id, 'container');
    expect(made).toMatchObject({ Name: '/from-registry', Config: { Image: second } });
    expect(task.fractions.filter((f) => f > 0 && f < 0.8).length, JSON.stringify(task.fractions)).toBeGreaterThanOrEqual(2);
    // the image is now in use: the tree no longer offers to remove it
    const image = await cliInspect<{ Id: string }>(peer.socketPath, second, 'image');
    await waitFor(() => mirror.nodes.get(`${SERVER_ID}:image:${image.Id}`)?.props.usedBy?.toString() === 'from-registry', 'the image used by from-registry');
    expect(mirror.nodes.get(`${SERVER_ID}:image:${image.Id}`)!.allowed).toEqual([]);
  });

  it('refuses to remove an image a container uses with the engine\'s conflict, and removes one nobody uses', async () => {
    const inUse = await cliInspect<{ Id: string }>(peer.socketPath, second, 'image');
    const err = await typedFailure(provider.runAction({ nativeRef: inUse.Id, kind: 'image' }, 'destroy', {}, taskReporter()));
    expect(err).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'HTTP_409' });
    expect(err.message).toMatch(/conflict: unable to delete .* image is being used by .*container/);
    expect(await cliLines(peer.socketPath, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).toContain(second);

    const unused = await cliInspect<{ Id: string }>(peer.socketPath, payload, 'image');
    await provider.runAction({ nativeRef: unused.Id, kind: 'image' }, 'destroy', {}, taskReporter());
    expect(await cliLines(peer.socketPath, ['image', 'ls', '-q', '--no-trunc'])).not.toContain(unused.Id);
    expect(mirror.nodes.has(`${SERVER_ID}:image:${unused.Id}`)).toBe(false);
  });

  it('follows images tagged and removed outside Polyvisor', async () => {
    await dockerCli(peer.socketPath, ['tag', 'local/busybox:latest', 'outside/tagged:2']);
    await waitFor(() => mirror.byName('image', 'local/busybox:latest')?.props.tags?.toString().includes('outside/tagged:2'), 'the new tag in the tree');
    await dockerCli(peer.socketPath, ['image', 'rm', 'outside/tagged:2']);
    await waitFor(() => !mirror.byName('image', 'local/busybox:latest')?.props.tags?.toString().includes('outside/tagged:2'), 'the tag gone from the tree');
  });

  it('shows named volumes with driver, mount point, size and users, live from the engine\'s events', async () => {
    await dockerCli(peer.socketPath, ['volume', 'create', 'loose']);
    await dockerCli(peer.socketPath, ['volume', 'create', 'held']);
    const holder = await peer.docker.createContainer({ name: 'holder', Image: 'local/busybox:latest', Cmd: POLITE_CMD, HostConfig: { NetworkMode: 'none', Binds: ['held:/data'] } });
    const loose = await waitFor(() => mirror.byName('volume', 'loose'), 'volume loose in the tree');
    const cli = await cliInspect<{ Driver: string; Mountpoint: string }>(peer.socketPath, 'loose', 'volume');
    expect(loose).toMatchObject({ parentId: `${SERVER_ID}:host:engine`, nativeRef: 'loose', allowed: ['destroy'] });
    expect(loose.props).toMatchObject({ driver: cli.Driver, mountpoint: cli.Mountpoint, usedBy: [] });
    expect(loose.props.size).toBe(0);
    await waitFor(() => mirror.byName('volume', 'held')?.props.usedBy?.toString() === 'holder', 'volume held used by holder');
    expect(mirror.byName('volume', 'held')!.allowed).toEqual([]);

    await provider.runAction({ nativeRef: 'loose', kind: 'volume' }, 'destroy', {}, taskReporter());
    expect(await cliLines(peer.socketPath, ['volume', 'ls', '-q'])).not.toContain('loose');
    expect(mirror.byName('volume', 'loose')).toBeUndefined();
    await holder.remove();
  });

  it('prunes unused images (not only dangling ones) but keeps images in use and snapshot images', async () => {
    const keeper = await peer.docker.createContainer({ name: 'keeper', Image: 'local/busybox:latest', Cmd: POLITE_CMD, HostConfig: { NetworkMode: 'none' } });
    await provider.runAction({ nativeRef: keeper.id, kind: 'container' }, 'snapshot_create', { name: 'before-prune' }, taskReporter());
    // (no second tag on busybox here: dockerd 20.10's prune untags each tag of an image in use but the last)
    const before = await cliLines(peer.socketPath, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(before).toEqual(expect.arrayContaining([second, 'local/busybox:latest']));

    const task = taskReporter();
    const result = await provider.images!.pruneImages(task);
    const after = await cliLines(peer.socketPath, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    // from-registry still uses the pulled image and keeper uses busybox: both stay
    expect(after).toEqual(expect.arrayContaining(['local/busybox:latest', second]));
    expect(after.some((t) => t.startsWith('polyvisor-snapshots/keeper:'))).toBe(true);
    expect(result.reclaimedBytes).toBeGreaterThanOrEqual(0);

    // with its container gone, the pulled image is unused: prune takes it and says how much it freed
    await dockerCli(peer.socketPath, ['rm', 'from-registry']);
    const freed = await provider.images!.pruneImages(taskReporter());
    const left = await cliLines(peer.socketPath, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(left).not.toContain(second);
    expect(left.some((t) => t.startsWith('polyvisor-snapshots/keeper:'))).toBe(true);
    expect(freed.reclaimedBytes).toBeGreaterThan(PAYLOAD_BYTES / 2);
    expect(mirror.byName('image', second)).toBeUndefined();
    await keeper.remove();
  });

  it('prunes unused named volumes and keeps those in use', async () => {
    await dockerCli(peer.socketPath, ['volume', 'create', 'unused-a']);
    await dockerCli(peer.socketPath, ['volume', 'create', 'kept-b']);
    const user = await peer.docker.createContainer({ name: 'user-b', Image: 'local/busybox:latest', Cmd: ['sh', '-c', 'head -c 100000 /dev/zero > /data/fill'], HostConfig: { NetworkMode: 'none', Binds: ['unused-a:/data'] } });
    await user.start();
    await user.wait();
    await user.remove();
    const keeper = await peer.docker.createContainer({ name: 'user-kept', Image: 'local/busybox:latest', Cmd: POLITE_CMD, HostConfig: { NetworkMode: 'none', Binds: ['kept-b:/data'] } });
    await waitFor(() => mirror.byName('volume', 'unused-a') && mirror.byName('volume', 'kept-b'), 'both volumes in the tree');

    const result = await provider.images!.pruneVolumes(taskReporter());
    const left = await cliLines(peer.socketPath, ['volume', 'ls', '-q']);
    expect(left).not.toContain('unused-a');
    expect(left).toContain('kept-b');
    expect(result.reclaimedBytes).toBeGreaterThanOrEqual(100_000);
    expect(mirror.byName('volume', 'unused-a')).toBeUndefined();
    expect(mirror.byName('volume', 'kept-b')).toBeDefined();
    await keeper.remove();
  });
});
