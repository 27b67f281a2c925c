// Live usage of containers on a real Docker engine: one stats read each. A container
// spinning a CPU loop reads as busy and an idle one as idle, as `docker stats` (the
// engine's own CLI) says; memory used and the limit match the CLI's figures.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import { cliLines, dockerCliUnavailableReason } from '../../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { Mirror, providerFor, runContainer, skipWithoutDockerd } from '../docker/harness';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();
const SCALE: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, MB: 1e6, GB: 1e9 };
const bytes = (text: string) => {
  const m = /^([\d.]+)\s*([KMG]?i?B)/.exec(text.trim())!;
  return Number(m[1]) * SCALE[m[2]!]!;
};

/** `docker stats --no-stream`: CPU % (100 per CPU), memory used and limit. */
async function cliStats(socketPath: string, id: string): Promise<{ cpu: number; used: number; limit: number }> {
  const [line] = await cliLines(socketPath, ['stats', '--no-stream', '--format', '{{.CPUPerc}}|{{.MemUsage}}', id]);
  const [cpu, mem] = line!.split('|');
  const [used, limit] = mem!.split('/');
  return { cpu: Number(cpu!.replace('%', '')), used: bytes(used!), limit: bytes(limit!) };
}

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
    expect(Math.abs(ours.get(idle)!.memoryUsed! - cliIdle.used)).toBeLessThan(Math.max(cliIdle.used * 0.05, 64 * 1024));
  });

  it('leaves out a container that is gone, and keeps the others', async () => {
    const readings = await provider.usage.sample([
      { nativeRef: 'f'.repeat(64), kind: 'container' },
      { nativeRef: idle, kind: 'container' },
    ]);
    expect(readings.map((r) => r.nativeRef)).toEqual([idle]);
  });
});
