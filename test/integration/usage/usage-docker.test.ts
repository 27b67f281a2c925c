// Live usage of containers on a real Docker engine: one stats read each. A container
// spinning a CPU loop reads as busy and an idle one as idle, as `docker stats` (the
// engine's own CLI) says; memory used and the limit match the CLI's figures.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import { dockerCliUnavailableReason } from '../../peers/docker-cli';
import { cliStats } from '../docker/cli-stats';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { Mirror, providerFor, runContainer, skipWithoutDockerd } from '../docker/harness';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();
describe.skipIf(skipWithoutDockerd(unavailable))('Docker live usage (one stats read per container)', { timeout: 120_000 }, () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let busy: string;
  let idle: string;

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    idle = await runContainer(peer.docker, 'usage-idle');
    const c = await peer.docker.createContainer({
      name: 'usage-busy',
      Image: 'local/busybox:latest',
      Cmd: ['sh', '-c', 'while :; do :; done'],
      HostConfig: { NetworkMode: 'none', Memory: 256 * 1024 * 1024 },
    });
    await c.start();
    busy = c.id;
    provider = providerFor(peer.socketPath);
    new Mirror(provider);
    await provider.connect();
  });

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('reads the busy container as busy and the idle one as idle, with docker stats’ memory', async () => {
    const readings = await provider.usage.sample([
      { nativeRef: busy, kind: 'container' },
      { nativeRef: idle, kind: 'container' },
    ]);
    const ours = new Map(readings.map((r) => [r.nativeRef, r]));
    const cliBusy = await cliStats(peer.socketPath, busy);
    const cliIdle = await cliStats(peer.socketPath, idle);
    const online = (await peer.docker.info()).NCPU as number;
    // the loop gets what the loaded machine leaves it: ours and the CLI's, read a moment apart, agree roughly
    expect(ours.get(busy)!.cpu! * online * 100, `ours ${ours.get(busy)!.cpu}; docker stats ${cliBusy.cpu}`).toBeGreaterThan(5);
    expect(cliBusy.cpu).toBeGreaterThan(5);
    expect(ours.get(idle)!.cpu!).toBeLessThan(0.02);
    expect(cliIdle.cpu).toBeLessThan(2 * online);
    expect(ours.get(busy)!.memoryTotal).toBe(256 * 1024 * 1024);
    expect(cliBusy.limit).toBe(256 * 1024 * 1024);
    // the CLI rounds to three figures
    expect(Math.abs(ours.get(idle)!.memoryUsed! - cliIdle.memory)).toBeLessThan(Math.max(cliIdle.memory * 0.05, 64 * 1024));
  });

  it('leaves out a container that is gone, and keeps the others', async () => {
    const readings = await provider.usage.sample([
      { nativeRef: 'f'.repeat(64), kind: 'container' },
      { nativeRef: idle, kind: 'container' },
    ]);
    expect(readings.map((r) => r.nativeRef)).toEqual([idle]);
  });
});
