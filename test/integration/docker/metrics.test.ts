// A container's performance data on a real Docker engine: the provider follows the
// stats stream while asked and keeps a ring buffer (Docker keeps no history). A
// container spinning a CPU loop reads as busy and an idle one as idle, like `docker
// stats` (the engine's own CLI) says; memory used matches the CLI's; the readings
// grow while the stream is followed and stop being followed when nobody asks.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../../shared/metrics';
import { DockerStatsSampler } from '../../../electron/core/providers/docker/stats-sampler';
import { dockerCliUnavailableReason } from '../../peers/docker-cli';
import { cliStats } from './cli-stats';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { Mirror, providerFor, runContainer, skipWithoutDockerd, waitFor } from './harness';
import type { DockerProvider } from '../../../electron/core/providers/docker';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();

const last = (s: MetricSeries | undefined) => s?.values.filter((v): v is number => v !== null).at(-1);

describe.skipIf(skipWithoutDockerd(unavailable))('Docker performance data (stats stream)', { timeout: 120_000 }, () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let busy: string;
  let idle: string;

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    idle = await runContainer(peer.docker, 'idle');
    // a CPU loop, and 32 MiB held in a shell variable
    const c = await peer.docker.createContainer({
      name: 'busy',
      Image: 'local/busybox:latest',
      Cmd: ['sh', '-c', 'x=$(head -c 33554432 /dev/zero | tr "\\0" a); while :; do :; done'],
      HostConfig: { NetworkMode: 'none' },
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

  it('reads a busy container as busy and an idle one as idle, as docker stats does', async () => {
    const target = { nativeRef: busy, kind: 'container' };
    // the loop has allocated its memory and the engine has a few readings
    await waitFor(async () => ((await provider.metrics.query(target, '10m')).times.length ?? 0) >= 4, 'four readings of the busy container', 30_000);
    const answer = await provider.metrics.query(target, '10m');
    expect(answer.stepSeconds).toBe(1);
    expect(answer.series.map((s) => s.id)).toEqual(['cpu', 'memory_used', 'memory_limit', 'blkio_read', 'blkio_write']);
    const cpu = answer.series.find((s) => s.id === 'cpu')!;
    // the loop gets what the loaded machine leaves it: ours and the CLI's, read a moment apart, agree roughly
    const recent = cpu.values.slice(-3).filter((v): v is number => v !== null);
    const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
    const cli = await cliStats(peer.socketPath, busy);
    expect(mean, `ours ${recent.join(', ')}; docker stats ${cli.cpu}`).toBeGreaterThan(5);
    expect(cli.cpu).toBeGreaterThan(5);
    expect(Math.abs(mean - cli.cpu), `ours ${recent.join(', ')}; docker stats ${cli.cpu}`).toBeLessThan(35);
    // memory settles once the shell holds its 32 MiB: then ours and the CLI's agree
    const usedNow = async () => last((await provider.metrics.query(target, '10m')).series.find((s) => s.id === 'memory_used'))!;
    await waitFor(async () => {
      const cliMemory = (await cliStats(peer.socketPath, busy)).memory;
      return Math.abs((await usedNow()) - cliMemory) < Math.max(0.05 * cliMemory, 2 * 1024 * 1024);
    }, 'our memory reading and docker stats to agree', 60_000);
    expect(await usedNow()).toBeGreaterThan(32 * 1024 * 1024);

    const idleAnswer = await provider.metrics.query({ nativeRef: idle, kind: 'container' }, '10m');
    await waitFor(async () => (await provider.metrics.query({ nativeRef: idle, kind: 'container' }, '10m')).times.length >= 3, 'three readings of the idle container', 30_000);
    expect(idleAnswer.empty).toBeUndefined();
    const idleCpu = (await provider.metrics.query({ nativeRef: idle, kind: 'container' }, '10m')).series.find((s) => s.id === 'cpu')!;
    expect(last(idleCpu)).toBeLessThan(1);
    expect((await cliStats(peer.socketPath, idle)).cpu).toBeLessThan(1);
  });

  it('keeps the readings in a ring while asked, in time order, and has no history', async () => {
    const target = { nativeRef: busy, kind: 'container' };
    const before = await provider.metrics.query(target, '10m');
    await waitFor(async () => (await provider.metrics.query(target, '10m')).times.length > before.times.length + 1, 'more readings', 30_000);
    const after = await provider.metrics.query(target, '10m');
    expect(after.times.slice(0, before.times.length)).toEqual(before.times);
    expect([...after.times].sort((a, b) => a - b)).toEqual(after.times);
    expect(await provider.metrics.query(target, '1h')).toMatchObject({ series: [], empty: 'no-history' });
  });

  it('lets a container go when nobody asks any more', async () => {
    const sampler = new DockerStatsSampler({ docker: () => peer.docker, where: 'test', maxLineBytes: 1 << 20, idleMs: 300 });
    try {
      await sampler.query({ nativeRef: idle, kind: 'container' }, '10m');
      expect(sampler.following).toEqual([idle]);
      await waitFor(() => sampler.following.length === 0, 'the idle stream to be let go', 30_000);
    } finally {
      sampler.close();
    }
  });
});
