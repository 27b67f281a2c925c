// Memory snapshots of Docker containers are CRIU checkpoints, which need an engine in
// experimental mode and CRIU on its host. With the mode on, the provider offers them and
// passes on the engine's own failure; it never fakes one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { isPolyvisorError } from '../../../shared/errors';
import { Mirror, providerFor, runContainer, skipWithoutDockerd, taskReporter } from './harness';
import type { DockerProvider } from '../../../electron/core/providers/docker';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: checkpoints on an experimental engine', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;

  beforeAll(async () => {
    peer = await startDockerd({ experimental: true });
    await ensureBusyboxImage(peer.docker);
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  });

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('offers memory snapshots and reports the engine refusing one in its own words', async () => {
    expect(provider.capabilities.snapshotKinds).toContain('memory');
    expect(mirror.ofKind('host')[0].props.experimental).toBe(true);
    const id = await runContainer(peer.docker, 'ckpt');
    const err = await provider
      .runAction({ nativeRef: id, kind: 'container' }, 'snapshot_create', { memory: true, name: 'with memory' }, taskReporter())
      .catch((e: unknown) => e);
    expect(isPolyvisorError(err)).toBe(true);
    if (!isPolyvisorError(err)) return;
    if (err.code === 'SERVER_ERROR') {
      // CRIU missing or unable to dump on this kernel: the engine's 500 and its words
      expect(err.info.serverCode).toMatch(/^HTTP_5\d\d$/);
      expect(err.info.serverParams?.[0]).toMatch(/criu|checkpoint/i);
      expect(err.message).toContain(err.info.serverParams![0]);
    } else {
      // CRIU worked: the checkpoint cannot survive a restore, so it is not kept
      expect(err.code).toBe('UNSUPPORTED');
      expect(err.message).toMatch(/cannot yet keep/);
    }
    // nothing half-made: no snapshot image, container still running
    expect(await peer.docker.listImages({ filters: { reference: ['polyvisor-snapshots/*'] } })).toEqual([]);
    expect((await peer.docker.getContainer(id).inspect()).State.Running).toBe(true);
  });
});
