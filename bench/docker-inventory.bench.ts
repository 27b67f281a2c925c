// Cost of the Docker provider's per-flush work: every event batch rebuilds the engine's
// nodes and diffs them against the last emission. Measured for engines of 200..5000 containers.
import type { ContainerInspectInfo } from 'dockerode';
import { InventoryBuilder, NodeDiffer, type EngineState } from '../electron/core/providers/docker/inventory';
import type { SnapshotRecord } from '../electron/core/providers/docker/snapshot-labels';

function container(i: number): ContainerInspectInfo {
  const id = i.toString(16).padStart(64, '0');
  return {
    Id: id,
    Name: `/c${i}`,
    Created: '2024-01-01T00:00:00Z',
    Path: 'sh',
    Args: ['-c', 'sleep 1000'],
    Image: 'sha256:' + 'a'.repeat(64),
    State: { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 1, ExitCode: 0, Error: '', StartedAt: '2024-01-01T00:00:01Z', FinishedAt: '0001-01-01T00:00:00Z' },
    Config: { Image: 'app:latest', Labels: i % 3 ? { 'com.docker.compose.project': `p${i % 40}`, tier: 'web' } : { tier: 'solo' } },
    HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 }, PortBindings: { '80/tcp': [{ HostIp: '', HostPort: String(8000 + i) }] } },
    Mounts: [{ Type: 'volume', Name: `v${i}`, Source: '', Destination: '/data', Driver: 'local', Mode: '', RW: true, Propagation: '' }],
    NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' } }, Ports: {} },
  } as unknown as ContainerInspectInfo;
}

for (const n of [200, 1000, 5000]) {
  const state: EngineState = {
    engine: { name: 'e', id: 'x', version: '20.10', apiVersion: '1.41', os: 'Debian', kernel: '6', cpus: 2, memory: 1, storageDriver: 'overlay2', experimental: false },
    containers: new Map(Array.from({ length: n }, (_, i) => container(i)).map((c) => [c.Id, c])),
    snapshots: new Map<string, SnapshotRecord>(),
  };
  const differ = new NodeDiffer();
  const builder = new InventoryBuilder('s');
  differ.reset(builder.build(state));
  const rounds = 20;
  const t0 = performance.now();
  let changed = 0;
  for (let r = 0; r < rounds; r++) {
    const c = container(r % n);
    (c.State as { Running: boolean }).Running = r % 2 === 0;
    state.containers.set(c.Id, c);
    changed += differ.diff(builder.build(state)).upsert.length;
  }
  const ms = (performance.now() - t0) / rounds;
  console.log(`docker flush (rebuild + diff), ${n} containers: ${ms.toFixed(2)} ms per event batch (${(changed / rounds).toFixed(1)} nodes emitted)`);
}
