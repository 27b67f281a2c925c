// Threshold rules through the core on a real Docker engine (issue 15): a rule over an
// engine's containers raises a Polyvisor alert for the one spinning a CPU loop (busy
// as `docker stats` sees it) once the breach has held for the rule's duration, none for
// the idle one; the alert clears when the loop's container stops (docker inspect).

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/notifications';
import { POLYVISOR_ALERT_SOURCE } from '../../../shared/thresholds';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { dockerProviderFactory } from '../../../electron/core/providers/docker';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { cliInspect, cliLines, dockerCli, dockerCliUnavailableReason } from '../../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { runContainer, skipWithoutDockerd, waitFor } from './harness';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('threshold rules on a Docker engine', { timeout: 180_000 }, () => {
  let peer: DockerdPeer;
  let core: PolyvisorCore;
  let home: string;
  let busy: string;
  let idle: string;
  const own = async (): Promise<Alert[]> => (await core.invoke('alerts:list')).filter((a) => a.serverId === POLYVISOR_ALERT_SOURCE);

  beforeAll(async () => {
    peer = await startDockerd();
    const image = await ensureBusyboxImage(peer.docker);
    idle = await runContainer(peer.docker, 'idle');
    const c = await peer.docker.createContainer({ name: 'loop', Image: image, Cmd: ['sh', '-c', 'while :; do :; done'], HostConfig: { NetworkMode: 'none' } });
    await c.start();
    busy = c.id;
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-thresholds-docker-'));
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [dockerProviderFactory], inventoryBatchMs: 10, thresholds: { intervalMs: 1000 } });
    await core.start();
    const server = await core.invoke('servers:add', { type: 'docker', name: 'engine', host: `unix://${peer.socketPath}`, username: '' });
    expect((await core.invoke('servers:connect', server.id)).state).toBe('connected');
    await core.invoke('thresholds:create', { name: 'Busy', metric: 'cpu', comparison: 'above', value: 10, durationSeconds: 5, scope: { kind: 'server', serverId: server.id }, kinds: ['container'], severity: 'major' });
  });

  afterAll(async () => {
    await core?.stop();
    await peer?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("raises an alert for the loop's container, not the idle one", async () => {
    const [alert] = await waitFor(async () => ((await own()).length ? own() : undefined), 'the threshold alert', 120_000);
    expect(alert).toMatchObject({ objectName: 'loop', severity: 'major', threshold: { metric: 'cpu', limit: 10, durationSeconds: 5 } });
    expect(alert!.nodeId).toContain(busy);
    expect(alert!.threshold!.observed).toBeGreaterThan(10);
    // the breach held for the duration before the alert was raised
    expect(alert!.time - alert!.threshold!.since).toBeGreaterThanOrEqual(5_000);
    const [cpu] = await cliLines(peer.socketPath, ['stats', '--no-stream', '--format', '{{.CPUPerc}}', busy]);
    expect(Number(cpu!.replace('%', ''))).toBeGreaterThan(10);
    const [idleCpu] = await cliLines(peer.socketPath, ['stats', '--no-stream', '--format', '{{.CPUPerc}}', idle]);
    expect(Number(idleCpu!.replace('%', ''))).toBeLessThan(10);
    expect((await own()).some((a) => a.nodeId?.includes(idle))).toBe(false);
  });

  it('clears it when the container stops', async () => {
    await dockerCli(peer.socketPath, ['stop', '--time', '0', busy]);
    expect((await cliInspect<{ State: { Running: boolean } }>(peer.socketPath, busy)).State.Running).toBe(false);
    await waitFor(async () => ((await own()).length === 0 ? true : undefined), 'the alert to clear', 60_000);
  });
});
