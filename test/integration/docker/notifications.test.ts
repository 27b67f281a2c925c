// A real Docker engine's alerts and events (issue 15): containers made with dockerode (an
// independent client) that exit with an error, are killed for want of memory or turn
// unhealthy raise alerts naming the container; container, volume and image events are
// events; the engine's own view (inspect) agrees with each alert.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { providerFor, skipWithoutDockerd, SERVER_ID, waitFor } from './harness';
import type { DockerProvider } from '../../../electron/core/providers/docker';

const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker alerts and events from the engine', () => {
  let peer: DockerdPeer;
  let provider: DockerProvider;
  const feed = () => provider.notifications!;

  async function run(name: string, cmd: string[], hostConfig: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<string> {
    const c = await peer.docker.createContainer({ name, Image: 'local/busybox:latest', Cmd: cmd, HostConfig: { NetworkMode: 'none', ...hostConfig }, ...extra });
    await c.start();
    return c.id;
  }

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    // from before the connection: the engine's event log still has it
    await run('failed-before', ['sh', '-c', 'exit 7']);
    await waitFor(async () => (await peer.docker.getContainer('failed-before').inspect()).State.Status === 'exited', 'the early container to exit', 30_000);
    provider = providerFor(peer.socketPath);
    await provider.connect();
  }, 120_000);

  afterAll(async () => {
    await provider?.disconnect();
    await peer?.stop();
  });

  it('a container exiting with a non-zero code raises an alert naming it; a clean exit does not', async () => {
    const bad = await run('exits-3', ['sh', '-c', 'exit 3']);
    const good = await run('exits-0', ['true']);
    const alert = await waitFor(() => feed().alerts().find((a) => a.nodeId === `${SERVER_ID}:container:${bad}`), 'the die alert', 30_000);
    expect(alert).toMatchObject({ name: 'die', severity: 'major', title: 'Exited with code 3', objectName: 'exits-3', dismissable: false });
    expect((await peer.docker.getContainer(bad).inspect()).State.ExitCode).toBe(3);
    await waitFor(() => feed().tasks().find((t) => t.what === 'container die' && t.nodeId === `${SERVER_ID}:container:${good}`), 'the clean exit as an event', 30_000);
    expect(feed().alerts().some((a) => a.nodeId === `${SERVER_ID}:container:${good}`)).toBe(false);
  });

  it('a container whose health check fails raises an unhealthy alert, as the engine reports its health', async () => {
    const id = await run('sickly', ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"], {}, { Healthcheck: { Test: ['CMD', 'false'], Interval: 500_000_000, Timeout: 1_000_000_000, Retries: 1 } });
    const alert = await waitFor(() => feed().alerts().find((a) => a.name === 'unhealthy' && a.nodeId === `${SERVER_ID}:container:${id}`), 'the unhealthy alert', 60_000);
    expect(alert).toMatchObject({ severity: 'warning', objectName: 'sickly' });
    expect((await peer.docker.getContainer(id).inspect()).State.Health?.Status).toBe('unhealthy');
    await peer.docker.getContainer(id).stop({ t: 0 });
  });

  it('a container killed for want of memory raises an oom alert, and the engine says OOMKilled', async () => {
    const id = await run('memory-hog', ['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done'], { Memory: 8 * 1024 * 1024, MemorySwap: 8 * 1024 * 1024 });
    await waitFor(async () => (await peer.docker.getContainer(id).inspect()).State.Status === 'exited', 'the memory hog to be killed', 60_000);
    const state = (await peer.docker.getContainer(id).inspect()).State;
    expect(state.OOMKilled).toBe(true);
    const alert = await waitFor(() => feed().alerts().find((a) => a.name === 'oom' && a.nodeId === `${SERVER_ID}:container:${id}`), 'the oom alert', 30_000);
    expect(alert).toMatchObject({ severity: 'major', title: 'Killed: out of memory', objectName: 'memory-hog' });
  });

  it('volume and image events are events; what happened before the connection is read from the engine\'s event log; nothing can be dismissed', async () => {
    await peer.docker.createVolume({ Name: 'notify-vol' });
    await peer.docker.getImage('local/busybox:latest').tag({ repo: 'local/busybox', tag: 'notify' });
    await waitFor(() => feed().tasks().find((t) => t.what === 'volume create' && t.objectName === 'notify-vol'), 'the volume event', 30_000);
    await waitFor(() => feed().tasks().find((t) => t.what === 'image tag'), 'the image event', 30_000);
    expect(feed().tasks().every((t) => t.kind === 'event' && t.status === 'success')).toBe(true);
    expect(feed().alerts().find((a) => a.objectName === 'failed-before')).toMatchObject({ name: 'die', title: 'Exited with code 7' });
    expect(feed().dismiss).toBeUndefined();
  });
});
