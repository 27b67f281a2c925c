// A Docker named volume as the engine's storage (issue 16) against a real dockerd: its
// node carries the driver and the engine as its host; its tab lists every mount of it,
// container by container (read and write or read-only), as `docker ps --filter volume=`
// and `docker inspect` report them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import { cliInspect, cliLines, dockerCliUnavailableReason } from '../../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { Mirror, POLITE_CMD, providerFor, SERVER_ID, skipWithoutDockerd, waitFor } from './harness';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();

interface Inspected {
  Id: string;
  Name: string;
  Mounts: Array<{ Type: string; Name?: string; Destination: string; RW: boolean }>;
}

describe.skipIf(skipWithoutDockerd(unavailable))('Docker volumes as storage', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    await peer.docker.createVolume({ Name: 'shared-data' });
    const image = 'local/busybox:latest';
    await peer.docker.createContainer({ name: 'writer', Image: image, Cmd: POLITE_CMD, HostConfig: { NetworkMode: 'none', Binds: ['shared-data:/data'] } });
    await peer.docker.createContainer({ name: 'reader', Image: image, Cmd: POLITE_CMD, HostConfig: { NetworkMode: 'none', Binds: ['shared-data:/in:ro', 'shared-data:/also'] } });
    provider = providerFor(peer.socketPath);
    mirror = new Mirror(provider);
    await provider.connect();
  }, 180_000);

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('carries the driver and the engine as the volume’s host', async () => {
    const node = await waitFor(() => mirror.byName('volume', 'shared-data'), 'the volume in the tree');
    const cli = await cliInspect<{ Driver: string }>(peer.socketPath, 'shared-data', 'volume');
    // an empty volume: the engine counts nothing in it (its size is no capacity: none is given)
    expect(node.storage).toEqual({ type: cli.Driver, shared: false, size: null, used: node.props.size, free: null, hostIds: [`${SERVER_ID}:host:engine`] });
    expect(node.storage!.used).toBe(0);
  });

  it('lists each mount of the volume with its container, as the engine reports them', async () => {
    const rows = await provider.storage!.contents('shared-data');
    const ids = await cliLines(peer.socketPath, ['ps', '-a', '-q', '--no-trunc', '--filter', 'volume=shared-data']);
    const expected: string[] = [];
    for (const id of ids) {
      const c = await cliInspect<Inspected>(peer.socketPath, id, 'container');
      for (const m of c.Mounts) if (m.Type === 'volume' && m.Name === 'shared-data') expected.push(`${c.Name.slice(1)}:${m.Destination} ${m.RW ? 'mount' : 'mount (ro)'} ${SERVER_ID}:container:${c.Id}`);
    }
    expect(expected).toHaveLength(3);
    expect(rows.map((r) => `${r.name} ${r.content} ${r.usedBy.map((u) => u.id).join(',')}`).sort()).toEqual(expected.sort());
    for (const r of rows) expect(mirror.nodes.has(r.usedBy[0]!.id)).toBe(true);
  });
});
