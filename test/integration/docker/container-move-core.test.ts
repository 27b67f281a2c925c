// A container move through the core, as the renderer and the CLI ask for it: two Docker
// servers in one core, migration:plan offers B's engine (cross-server, offline), and
// actions:run migrate with targetId = B's engine node runs the move as one task. The
// result is read back from both engines with dockerode.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { dockerProviderFactory } from '../../../electron/core/providers/docker';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { dockerdUnavailableReason, type DockerdPeer } from '../../peers/dockerd';
import { execText, skipWithoutDockerd, waitFor } from './harness';
import { containerWithVolume, engineContents, startMovePeers } from './move-peers';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker container move through the core', () => {
  let a: DockerdPeer;
  let b: DockerdPeer;
  let home: string;
  let core: PolyvisorCore;
  let serverA: string;
  let serverB: string;

  const tree = () => core.invoke('inventory:get');
  const find = async (pred: (n: InventoryNode) => boolean) => (await tree()).find(pred);

  beforeAll(async () => {
    ({ a, b } = await startMovePeers());
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-docker-move-'));
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [dockerProviderFactory], inventoryBatchMs: 10 });
    for (const [name, peer] of [['engine A', a], ['engine B', b]] as const) {
      const server = await core.invoke('servers:add', { type: 'docker', name, host: `unix://${peer.socketPath}`, username: '' });
      expect((await core.invoke('servers:connect', server.id)).state).toBe('connected');
      if (peer === a) serverA = server.id;
      else serverB = server.id;
    }
  });

  afterAll(async () => {
    await core?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('plans B’s engine as an offline cross-server target and moves the container there with actions:run migrate', async () => {
    const id = await containerWithVolume(a.docker, 'web', 'web-data');
    await execText(a.docker, id, ['sh', '-c', 'echo through the core > /data/note']);
    const node = await waitFor(() => find((n) => n.kind === 'container' && n.nativeRef === id && n.allowed.includes('migrate')), 'the container in the tree', 30_000);
    expect(node.serverId).toBe(serverA);
    const engineB = `${serverB}:host:engine`;

    const plan = await core.invoke('migration:plan', [node.id]);
    expect(plan.vms).toEqual([{ vmId: node.id, targets: [{ hostId: engineB, ok: true, crossServer: true, offline: true, storages: [] }] }]);

    const [task] = await core.invoke('actions:run', { nodeIds: [node.id], action: 'migrate', params: { targetId: engineB } });
    expect(task).toMatchObject({ status: 'running', serverId: serverA, targetId: node.id, action: 'migrate' });
    const done = await waitFor(async () => (await core.invoke('tasks:list')).find((t) => t.id === task!.id && t.status !== 'running'), 'the move to end', 120_000);
    expect(done).toMatchObject({ status: 'success', progress: 1 });

    const [moved] = await b.docker.listContainers({ all: true, filters: { name: ['^/web$'] } });
    expect(done.resultId).toBe(`${serverB}:container:${moved.Id}`);
    expect(moved.State).toBe('running');
    expect(await execText(b.docker, moved.Id, ['cat', '/data/note'])).toBe('through the core\n');
    expect((await engineContents(a.docker)).containers.some((c) => c.startsWith('/web '))).toBe(false);
    expect((await engineContents(a.docker)).volumes).toContain('web-data');

    // each engine's tree says so: gone under A, running under B
    await waitFor(async () => !(await find((n) => n.id === node.id)), 'the container gone from A’s tree', 30_000);
    expect(await find((n) => n.id === done.resultId)).toMatchObject({ serverId: serverB, parentId: engineB, name: 'web', state: 'running' });
  });

  it('tasks:cancel ends a move between two steps: the original runs on A, B keeps nothing', async () => {
    const id = await containerWithVolume(a.docker, 'halfway', 'halfway-data');
    const node = await waitFor(() => find((n) => n.kind === 'container' && n.nativeRef === id), 'the container in the tree', 30_000);
    const bBefore = await engineContents(b.docker);
    const [task] = await core.invoke('actions:run', { nodeIds: [node.id], action: 'migrate', params: { targetId: `${serverB}:host:engine` } });
    // cancellable from the first step (stop) until the original is removed: seconds of snapshot and transfer
    await waitFor(async () => (await core.invoke('tasks:list')).find((t) => t.id === task!.id && t.cancellable), 'the move to become cancellable', 60_000);
    await core.invoke('tasks:cancel', task!.id);
    const done = await waitFor(async () => (await core.invoke('tasks:list')).find((t) => t.id === task!.id && t.status !== 'running'), 'the move to end', 120_000);
    expect(done.status).toBe('cancelled');
    expect((await a.docker.getContainer(id).inspect()).State.Running).toBe(true);
    expect(await engineContents(b.docker)).toEqual(bBefore);
    expect((await engineContents(a.docker)).images.some((i) => i.includes('polyvisor-snapshots/'))).toBe(false);
  });

  it('refuses a move to the engine the container is on', async () => {
    const id = await containerWithVolume(a.docker, 'stays', 'stays-data');
    const node = await waitFor(() => find((n) => n.kind === 'container' && n.nativeRef === id), 'the container in the tree', 30_000);
    await expect(core.invoke('actions:run', { nodeIds: [node.id], action: 'migrate', params: { targetId: `${serverA}:host:engine` } })).rejects.toMatchObject({
      info: { code: 'INVALID_INPUT', field: 'targetId' },
    });
    expect((await a.docker.getContainer(id).inspect()).State.Running).toBe(true);
  });
});
