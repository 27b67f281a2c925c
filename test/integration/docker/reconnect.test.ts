// The engine going away mid-session: the provider reports 'reconnecting', actions fail
// cleanly, and when the engine is back on the same socket it reconnects and resyncs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { isPolyvisorError } from '../../../shared/errors';
import { Mirror, providerFor, runContainer, SERVER_ID, skipWithoutDockerd, taskReporter, waitFor } from './harness';
import type { DockerProvider } from '../../../electron/core/providers/docker';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker provider: engine restarts', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  let mirror: Mirror;
  let keeper: string;
  let plain: string;
  const logs: string[] = [];
  const failedAttempts = () => logs.filter((l) => /reconnect attempt \d+ failed/.test(l)).length;

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    keeper = (
      await peer.docker.createContainer({
        name: 'keeper',
        Image: 'local/busybox:latest',
        Cmd: ['sleep', '100000'],
        HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } },
      })
    ).id;
    await peer.docker.getContainer(keeper).start();
    plain = await runContainer(peer.docker, 'plain', { restart: 'no' });
    provider = providerFor(peer.socketPath, { log: (level, message) => logs.push(`${level} ${message}`) });
    mirror = new Mirror(provider);
    await provider.connect();
  });

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('goes to reconnecting when the engine stops, and back to connected with a fresh inventory', async () => {
    const startedBefore = mirror.container(keeper)!.props.started;
    expect(mirror.container(plain)!.state).toBe('running');

    await peer.stopDaemon();
    const lost = await waitFor(() => mirror.states.find((s) => s.state === 'reconnecting'), 'reconnecting state');
    expect(lost.error?.code).toBe('CONNECTION_FAILED');
    expect(provider.connectionState).toBe('reconnecting');

    const err = await provider.runAction({ nativeRef: plain, kind: 'container' }, 'start', {}, taskReporter()).catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'CONNECTION_FAILED')).toBe(true);

    await waitFor(() => failedAttempts() >= 3, 'a few failed attempts while the engine is down', 30_000);
    expect(provider.connectionState).toBe('reconnecting');
    expect(mirror.resets).toBe(1);

    await peer.startDaemon();
    await waitFor(() => provider.connectionState === 'connected', 'connected again', 20_000);
    expect(mirror.states.map((s) => s.state)).toEqual(['reconnecting', 'connected']);
    expect(mirror.resets).toBe(1); // the resync is a diff against what the tree holds, not a second reset

    // the engine restarted 'keeper' (restart policy always); 'plain' stays stopped
    await waitFor(() => mirror.container(keeper)?.state === 'running' && mirror.container(keeper)!.props.started !== startedBefore, 'keeper restarted');
    expect(mirror.container(plain)!.state).toBe('halted');

    // what the provider shows equals what a fresh connection sees
    const fresh = providerFor(peer.socketPath);
    const freshMirror = new Mirror(fresh);
    await fresh.connect();
    await fresh.disconnect();
    expect(new Map([...mirror.nodes].map(([k, v]) => [k, { ...v, props: { ...v.props } }]))).toEqual(freshMirror.nodes);
  });

  it('keeps following events after the reconnect', async () => {
    await provider.runAction({ nativeRef: plain, kind: 'container' }, 'start', {}, taskReporter());
    expect(mirror.container(plain)!.state).toBe('running');
    const late = await runContainer(peer.docker, 'after-restart');
    await waitFor(() => mirror.container(late)?.state === 'running', 'event after reconnect');
    expect(mirror.container(late)!.parentId).toBe(`${SERVER_ID}:host:engine`);
  });

  it('stops retrying once disconnected', async () => {
    const fast = { connection: 'socket', socketPath: peer.socketPath, reconnectMinMs: 50, reconnectMaxMs: 100 };
    const otherLogs: string[] = [];
    const other = providerFor(peer.socketPath, { options: fast, log: (level, message) => otherLogs.push(`${level} ${message}`) });
    const otherMirror = new Mirror(other);
    await other.connect();
    await peer.stopDaemon();
    await waitFor(() => otherMirror.states.some((s) => s.state === 'reconnecting'), 'reconnecting');
    await other.disconnect();
    const attemptsWhenStopped = otherLogs.length;
    await peer.startDaemon();
    // a provider with the same settings, still retrying, is back and has seen an event by now
    const control = providerFor(peer.socketPath, { options: fast });
    const controlMirror = new Mirror(control);
    await control.connect();
    const probe = await runContainer(peer.docker, 'probe-after-restart');
    await waitFor(() => controlMirror.container(probe)?.state === 'running', 'the control provider to follow an event');
    await control.disconnect();
    expect(otherMirror.states.map((s) => s.state)).toEqual(['reconnecting', 'disconnected']);
    expect(otherLogs.length).toBe(attemptsWhenStopped);
  });
});
