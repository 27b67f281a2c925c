// The Docker provider's costs:
// 1. per event batch: rebuild the nodes a change touches and diff them (engines of 200..5000
//    containers), against diffing everything;
// 2. on a real dockerd (when this machine can run one): the size of the engine's answers per
//    container, extrapolated to 50,000 containers (what the size limits are measured against),
//    and the time of a first connect and of an event reaching the tree.
// Every wait has a deadline and says what it was waiting for.

import http from 'node:http';
import { LIMITS, formatBytes } from '../electron/core/providers/common/limits';
import { NodeDiffer } from '../electron/core/providers/common/node-differ';
import { dockerProviderFactory, type DockerProvider } from '../electron/core/providers/docker';
import { readContainer } from '../electron/core/providers/docker/engine-records';
import { InventoryBuilder, type EngineState } from '../electron/core/providers/docker/inventory';
import type { SnapshotRecord } from '../electron/core/providers/docker/snapshot-labels';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../test/peers/dockerd';

const ENGINE = { name: 'e', id: 'x', version: '20.10', apiVersion: '1.41', os: 'Debian', kernel: '6', cpus: 2, memory: 1, storageDriver: 'overlay2', experimental: false, systemTimeMs: null };

function rawContainer(i: number, running: boolean): unknown {
  return {
    Id: i.toString(16).padStart(64, '0'),
    Name: `/c${i}`,
    Created: '2024-01-01T00:00:00Z',
    Path: 'sh',
    Args: ['-c', 'sleep 1000'],
    Image: 'sha256:' + 'a'.repeat(64),
    State: { Status: running ? 'running' : 'exited', Running: running, Paused: false, Restarting: false, ExitCode: 0, StartedAt: '2024-01-01T00:00:01Z' },
    Config: { Image: 'app:latest', Labels: i % 3 ? { 'com.docker.compose.project': `p${i % 40}`, tier: 'web' } : { tier: 'solo' } },
    HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 }, PortBindings: { '80/tcp': [{ HostIp: '', HostPort: String(8000 + i) }] } },
    Mounts: [{ Type: 'volume', Name: `v${i}`, Source: '', Destination: '/data', RW: true }],
    NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' } }, Ports: {} },
  };
}

function flushCost(): void {
  for (const n of [200, 1000, 5000]) {
    const containers = new Map(Array.from({ length: n }, (_, i) => readContainer(rawContainer(i, true), 'bench')).map((c) => [c.Id, c]));
    const state: EngineState = { engine: ENGINE, containers, snapshots: new Map<string, SnapshotRecord>() };
    const rounds = 50;
    const measure = (targeted: boolean) => {
      const differ = new NodeDiffer('s');
      const builder = new InventoryBuilder('s');
      differ.reset(builder.all(state));
      let emitted = 0;
      const t0 = performance.now();
      for (let r = 0; r < rounds; r++) {
        const c = readContainer(rawContainer(r % n, r % 2 === 1), 'bench');
        state.containers.set(c.Id, c);
        const delta = targeted ? differ.diff(builder.affectedBy(state, [c.Id])) : differ.diffAll(builder.all(state));
        emitted += delta?.upsert.length ?? 0;
      }
      return { ms: (performance.now() - t0) / rounds, nodes: emitted / rounds };
    };
    const targeted = measure(true);
    const everything = measure(false);
    console.log(
      `docker flush, ${n} containers: ${targeted.ms.toFixed(2)} ms per event batch (${targeted.nodes.toFixed(1)} nodes emitted); ` +
        `diffing everything instead: ${everything.ms.toFixed(2)} ms`,
    );
  }
}

/** Rejects after `ms`, naming what it waited for. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
    }),
  ]);
}

async function until(probe: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function answerBytes(socketPath: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function realEngine(): Promise<void> {
  const why = dockerdUnavailableReason();
  if (why) {
    console.log(`docker real-engine measurements skipped: ${why}`);
    return;
  }
  const N = 200;
  let peer: DockerdPeer | null = null;
  let provider: DockerProvider | null = null;
  try {
    peer = await within(startDockerd(), 60_000, 'dockerd to start');
    const docker = peer.docker;
    await within(ensureBusyboxImage(docker), 60_000, 'the busybox image');
    const ids: string[] = [];
    await within(
      (async () => {
        for (let i = 0; i < N; i++) {
          const c = await docker.createContainer({
            name: `bench-${i}`,
            Image: 'local/busybox:latest',
            Cmd: ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"],
            Labels: { 'com.docker.compose.project': `p${i % 5}`, 'com.docker.compose.service': `s${i}`, tier: 'web' },
            HostConfig: { NetworkMode: 'none', Binds: [`vol-${i}:/data`] },
          });
          if (i % 4 === 0) await c.start();
          ids.push(c.id);
        }
      })(),
      300_000,
      `${N} containers to be created`,
    );
    const list = await within(answerBytes(peer.socketPath, '/containers/json?all=1'), 30_000, 'GET /containers/json');
    const inspect = await within(answerBytes(peer.socketPath, `/containers/${ids[0]}/json`), 30_000, 'GET /containers/{id}/json');
    const perListEntry = list / N;
    const at50k = perListEntry * 50_000;
    console.log(
      `docker answers on dockerd ${(await docker.version()).Version}: GET /containers/json ${(perListEntry / 1024).toFixed(2)} KiB per container ` +
        `→ ${formatBytes(at50k)} for 50,000 (limit ${formatBytes(LIMITS.maxBufferedBytes)}, ${(LIMITS.maxBufferedBytes / at50k).toFixed(1)}× headroom); ` +
        `GET /containers/{id}/json ${(inspect / 1024).toFixed(2)} KiB`,
    );

    provider = dockerProviderFactory.create({ serverId: 'bench', host: '', port: 2376, username: '', options: { connection: 'socket', socketPath: peer.socketPath }, tls: {} }) as DockerProvider;
    const nodes = new Map<string, string>();
    provider.on('inventory', (d) => {
      if (d.reset) nodes.clear();
      for (const id of d.remove) nodes.delete(id);
      for (const n of d.upsert) nodes.set(n.id, String(n.state));
    });
    const t0 = performance.now();
    await within(provider.connect(), 120_000, `the provider to connect to an engine of ${N} containers`);
    console.log(`docker first connect, ${N} containers: ${(performance.now() - t0).toFixed(0)} ms (${nodes.size} nodes)`);

    const target = ids[1];
    const t1 = performance.now();
    await within(docker.getContainer(target).start(), 30_000, 'a container to start outside Polyvisor');
    const started = performance.now();
    await until(() => nodes.get(`bench:container:${target}`) === 'running', 30_000, 'the start event to reach the tree');
    console.log(
      `docker start outside Polyvisor: the engine took ${(started - t1).toFixed(0)} ms, the tree showed it ${(performance.now() - started).toFixed(0)} ms after the engine answered`,
    );
  } finally {
    if (provider) await within(provider.disconnect(), 30_000, 'the provider to disconnect');
    if (peer) await within(peer.stop(), 120_000, 'dockerd to stop');
  }
}

flushCost();
await realEngine();
