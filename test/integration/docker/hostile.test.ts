// A hostile or broken Docker engine: the hostile proxy listens on a unix socket in front
// of a real dockerd's socket and spoils chosen answers. Each time the provider must fail
// with a typed error that says what happened (or, where the answer is readable, carry on),
// never crash, keep its memory bounded, and a second provider in the same process,
// connected straight to the engine, must keep working meanwhile.

import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { freePort } from '../../peers/docker-tls';
import { deepJson, invalidUtf8, startHostileProxy, typedFailure, watchForCrashes, type HostileBehaviour, type HostileProxy, type HostileRequest } from '../../peers/hostile-proxy';
import type { DockerProvider } from '../../../electron/core/providers/docker';
import type { ProviderConfig } from '../../../electron/core/providers/provider';
import type { ErrorInfo } from '../../../shared/errors';
import type { ConnectionState } from '../../../shared/model';
import { Mirror, providerFor, runContainer, skipWithoutDockerd, waitFor } from './harness';

const MiB = 1024 * 1024;
const JSON_TYPE = 'application/json';
const unavailable = dockerdUnavailableReason();

const containerList = (r: HostileRequest) => r.method === 'GET' && r.url.startsWith('/containers/json');
const eventStream = (r: HostileRequest) => r.method === 'GET' && r.url.startsWith('/events');
const engineInfo = (r: HostileRequest) => r.method === 'GET' && r.url.startsWith('/info');
const inspectOf = (id: string) => (r: HostileRequest) => r.method === 'GET' && r.url.startsWith(`/containers/${id}/json`);

describe.skipIf(skipWithoutDockerd(unavailable))('Docker against a hostile engine', () => {
  let peer: DockerdPeer;
  let proxy: HostileProxy;
  let healthy: DockerProvider;
  let healthyMirror: Mirror;
  let steady: string;
  let idle: string;
  let canary: string;
  const opened: DockerProvider[] = [];
  const logs: string[] = [];
  let crashWatch: ReturnType<typeof watchForCrashes>;

  /** A provider that reaches the engine through the hostile proxy. */
  function hostileProvider(limits: ProviderConfig['limits'] = {}): DockerProvider {
    const p = providerFor(proxy.socketPath!, {
      options: { connection: 'socket', socketPath: proxy.socketPath!, reconnectMinMs: 50, reconnectMaxMs: 200 },
      limits,
      log: (level, message) => logs.push(`${level} ${message}`),
    });
    opened.push(p);
    return p;
  }

  const connectFails = (p: DockerProvider) => typedFailure(p.connect());
  const misbehave = (match: (r: HostileRequest) => boolean, behaviour: HostileBehaviour, times?: number) => proxy.setRules([{ match, behaviour, times }]);

  beforeAll(async () => {
    crashWatch = watchForCrashes();
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    steady = await runContainer(peer.docker, 'steady');
    idle = await runContainer(peer.docker, 'idle', { start: false });
    canary = await runContainer(peer.docker, 'canary');
    proxy = await startHostileProxy({ upstream: { socketPath: peer.socketPath }, listen: { socketPath: path.join(peer.dir, 'hostile.sock') } });
    healthy = providerFor(peer.socketPath);
    healthyMirror = new Mirror(healthy);
    await healthy.connect();
  });

  afterEach(async () => {
    while (opened.length) await opened.pop()!.disconnect();
    proxy.setRules([]);
    logs.length = 0;
    // the other server in the same process kept working all along
    const paused = healthyMirror.container(canary)?.state === 'paused';
    await (paused ? peer.docker.getContainer(canary).unpause() : peer.docker.getContainer(canary).pause());
    await waitFor(() => healthyMirror.container(canary)?.state === (paused ? 'running' : 'paused'), 'the healthy provider to follow the canary', 30_000);
    expect(crashWatch.crashes).toEqual([]);
  });

  afterAll(async () => {
    crashWatch?.stop();
    await healthy?.disconnect();
    await proxy?.close();
    await peer?.stop();
  });

  describe('while connecting', () => {
    it('connects through the proxy when nothing is spoiled (the baseline)', async () => {
      const p = hostileProvider();
      const mirror = new Mirror(p);
      await p.connect();
      expect(mirror.container(steady)?.state).toBe('running');
      expect(proxy.seen().some((s) => s.startsWith('GET /containers/json'))).toBe(true);
    });

    it('stops reading an answer over the size limit: RESPONSE_TOO_LARGE, memory bounded', async () => {
      misbehave(containerList, { kind: 'oversize', bytes: 64 * MiB, contentType: JSON_TYPE, prefix: '[' });
      const before = process.memoryUsage().rss;
      const info = await connectFails(hostileProvider({ maxBufferedBytes: 1 * MiB }));
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
      expect(info.message).toMatch(/^The Docker engine at .*hostile\.sock \(GET \/containers\/json\) sent an answer larger than 1 MiB/);
      expect(process.memoryUsage().rss - before).toBeLessThan(32 * MiB);
    });

    it('cuts off an answer that trickles in past the request deadline: TIMEOUT', async () => {
      misbehave(containerList, { kind: 'trickle', intervalMs: 50, contentType: JSON_TYPE, prefix: '[' });
      const t0 = Date.now();
      const info = await connectFails(hostileProvider({ requestDeadlineMs: 1500 }));
      expect(info.code).toBe('TIMEOUT');
      expect(info.message).toMatch(/\(GET \/containers\/json\) did not finish its answer within 2 s/);
      expect(Date.now() - t0).toBeLessThan(15_000);
    });

    it('gives up on an answer that stops in the middle: TIMEOUT (idle)', async () => {
      misbehave(containerList, { kind: 'stall', contentType: JSON_TYPE });
      const info = await connectFails(hostileProvider({ idleTimeoutMs: 1000 }));
      expect(info.code).toBe('TIMEOUT');
      expect(info.message).toMatch(/\(GET \/containers\/json\) stopped sending for 1 s/);
    });

    it('reports a body shorter than its Content-Length: CONNECTION_FAILED', async () => {
      misbehave(containerList, { kind: 'truncated', contentType: JSON_TYPE, body: '[{"Id":"abc"', declaredLength: 5000 });
      const info = await connectFails(hostileProvider());
      expect(info.code).toBe('CONNECTION_FAILED');
      expect(info.message).toMatch(/\(GET \/containers\/json\) closed the connection in the middle of its answer/);
    });

    it('reports a connection reset in the middle of the real answer: CONNECTION_FAILED', async () => {
      misbehave(containerList, { kind: 'reset', afterBytes: 300 });
      const info = await connectFails(hostileProvider());
      expect(info.code).toBe('CONNECTION_FAILED');
      expect(info.message).toMatch(/\(GET \/containers\/json\) closed the connection in the middle of its answer/);
    });

    it('refuses a container description that is not UTF-8: SERVER_ERROR', async () => {
      const real = JSON.stringify(await peer.docker.getContainer(steady).inspect());
      const [head, tail] = real.split('"/steady"');
      misbehave(inspectOf(steady), { kind: 'body', contentType: JSON_TYPE, body: invalidUtf8(`${head}"/ste`, `ady"${tail}`) });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
      expect(info.message).toMatch(/\(GET \/containers\/[0-9a-f]{64}\/json\) sent an answer that is not valid UTF-8/);
    });

    it('refuses malformed JSON: SERVER_ERROR', async () => {
      misbehave(containerList, { kind: 'body', contentType: JSON_TYPE, body: '[{"Id":"abc",' });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
      expect(info.message).toMatch(/\(GET \/containers\/json\) sent an answer that is not JSON \(it begins "\[\{"Id":"abc",/);
    });

    it('refuses JSON of the wrong shape: SERVER_ERROR, not a TypeError', async () => {
      misbehave(containerList, { kind: 'body', contentType: JSON_TYPE, body: '{"containers":[]}' });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
      expect(info.message).toMatch(/\(GET \/containers\/json\) sent a container list that is not a list/);
    });

    it('refuses a container description without an id: SERVER_ERROR', async () => {
      misbehave(inspectOf(steady), { kind: 'body', contentType: JSON_TYPE, body: '{"Name":"/steady","State":{"Running":"yes"}}' });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
      expect(info.message).toMatch(/a container description without an id/);
    });

    it('survives a deeply nested document: SERVER_ERROR, no stack overflow', async () => {
      misbehave(containerList, { kind: 'body', contentType: JSON_TYPE, body: `[${deepJson(200_000)}]` });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
      expect(info.message).toMatch(/a container list entry without an id/);
    });

    it('refuses an HTML page where JSON belongs (wrong content type): SERVER_ERROR', async () => {
      misbehave(engineInfo, { kind: 'body', contentType: 'text/html', body: '<!DOCTYPE html><html><body>Captive portal</body></html>' });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
      expect(info.message).toMatch(/not JSON \(it begins "<!DOCTYPE html>/);
    });

    it('does not follow a redirect loop: SERVER_ERROR naming the redirect', async () => {
      misbehave(engineInfo, { kind: 'redirect-loop' });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
      expect(info.message).toMatch(/answered with a redirect/);
      expect(proxy.hits()).toEqual([1]);
    });

    it('does not follow a redirect to another address (docker-modem would, on a request nobody handles)', async () => {
      const elsewhere = `http://127.0.0.1:${await freePort()}/info`;
      misbehave(engineInfo, { kind: 'body', status: 307, contentType: 'text/plain', body: '', headers: { location: elsewhere } });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
      expect(info.message).toMatch(/answered with a redirect/);
    });

    it('reports an error status with an HTML body as the engine refusing, by its status', async () => {
      misbehave(containerList, { kind: 'body', status: 503, contentType: 'text/html', body: '<html>Service Unavailable</html>' });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'HTTP_503' });
      expect(info.message).toMatch(/Service Unavailable/);
    });

    it('stops an endless chunked answer at the size limit', async () => {
      misbehave(containerList, { kind: 'endless-line', contentType: JSON_TYPE });
      const info = await connectFails(hostileProvider({ maxBufferedBytes: 2 * MiB }));
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
    });
  });

  describe('in the event stream', () => {
    async function outcome(p: DockerProvider): Promise<ErrorInfo> {
      const states: Array<{ state: ConnectionState; error?: ErrorInfo }> = [];
      p.on('state', (state, error) => states.push({ state, error }));
      const failed = await p.connect().then(
        () => null,
        (e: unknown) => e,
      );
      // the line may end the stream while the first load is still running, or just after
      if (failed) return typedFailure(Promise.reject(failed));
      const errored = await waitFor(() => states.find((s) => s.state === 'error'), 'the provider to give up');
      return errored.error!;
    }

    it('ends an endless line at the line limit: RESPONSE_TOO_LARGE, memory bounded', async () => {
      misbehave(eventStream, { kind: 'endless-line', contentType: JSON_TYPE, chunkBytes: 64 * 1024 });
      const before = process.memoryUsage().rss;
      const info = await outcome(hostileProvider({ maxEventLineBytes: 512 * 1024 }));
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
      expect(info.message).toMatch(/\(event stream\) sent an answer larger than 512 KiB/);
      expect(process.memoryUsage().rss - before).toBeLessThan(32 * MiB);
    });

    it('skips lines that are not events and goes on with the ones that are', async () => {
      const lines = [
        'this is not JSON',
        '{"Type":"container","Action":',
        invalidUtf8('{"Type":"container","Action":"start","Actor":{"ID":"', '"}}').toString('latin1'),
        deepJson(100_000),
        '{"Type":"container","Action":"start"}',
        '[1,2,3]',
        JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID: idle } }),
        '',
      ];
      misbehave(eventStream, { kind: 'body', contentType: JSON_TYPE, body: Buffer.from(lines.join('\n'), 'latin1'), keepOpen: true });
      const p = hostileProvider();
      const states: ConnectionState[] = [];
      p.on('state', (s) => states.push(s));
      await p.connect();
      // the valid event after the broken ones made the provider read that container again
      await waitFor(() => proxy.seen().filter((s) => s.startsWith(`GET /containers/${idle}/json`)).length >= 2, 'the container named by the valid event to be read again');
      expect(logs.some((l) => /^warn .*skipped an event line that is not an event/.test(l))).toBe(true);
      expect(states).toEqual([]);
    });

    it('goes reconnecting when its connections are cut, and comes back with a diff, not a second reset', async () => {
      const p = hostileProvider();
      const mirror = new Mirror(p);
      await p.connect();
      proxy.dropConnections();
      await waitFor(() => mirror.states.some((s) => s.state === 'connected'), 'the provider to be back');
      expect(mirror.states.map((s) => s.state)).toEqual(['reconnecting', 'connected']);
      expect(mirror.states[0].error?.code).toBe('CONNECTION_FAILED');
      expect(mirror.resets).toBe(1);
      expect(mirror.container(steady)?.state).toBe('running');
    });
  });

  describe('once connected', () => {
    it('goes to error on an oversize answer to a re-read (retrying would only read it again)', async () => {
      const p = hostileProvider({ maxBufferedBytes: 1 * MiB });
      const mirror = new Mirror(p);
      await p.connect();
      misbehave(inspectOf(idle), { kind: 'oversize', bytes: 16 * MiB, contentType: JSON_TYPE, prefix: '{' });
      await peer.docker.getContainer(idle).start();
      const errored = await waitFor(() => mirror.states.find((s) => s.state === 'error'), 'the provider to give up');
      expect(errored.error).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
      expect(mirror.states.map((s) => s.state)).toEqual(['error']);
      await peer.docker.getContainer(idle).stop({ t: 0 });
    });

    it('goes reconnecting on a trickling re-read, and comes back once the engine behaves', async () => {
      const p = hostileProvider({ requestDeadlineMs: 800 });
      const mirror = new Mirror(p);
      await p.connect();
      misbehave(inspectOf(idle), { kind: 'trickle', intervalMs: 50, contentType: JSON_TYPE }, 1);
      await peer.docker.getContainer(idle).start();
      await waitFor(() => mirror.states.some((s) => s.state === 'connected'), 'the provider to be back');
      expect(mirror.states.map((s) => s.state)).toEqual(['reconnecting', 'connected']);
      expect(mirror.states[0].error?.code).toBe('TIMEOUT');
      await waitFor(() => mirror.container(idle)?.state === 'running', 'the started container in the tree');
      await peer.docker.getContainer(idle).stop({ t: 0 });
    });
  });

  describe('when the user disconnects', () => {
    it('lets go at once of an engine that stopped answering while the provider reconnects', async () => {
      const p = hostileProvider();
      const mirror = new Mirror(p);
      await p.connect();
      misbehave((r) => r.url.startsWith('/_ping'), { kind: 'stall', contentType: 'text/plain' });
      proxy.dropConnections();
      await waitFor(() => proxy.hits()[0] === 1, 'the reconnect to reach the silent engine');
      const t0 = Date.now();
      await p.disconnect();
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(mirror.states.map((s) => s.state)).toEqual(['reconnecting', 'disconnected']);
    });
  });

  describe('at the real default limits', () => {
    it('stops a 600 MB container list at 256 MiB with RESPONSE_TOO_LARGE instead of dying', async () => {
      misbehave(containerList, { kind: 'oversize', bytes: 600 * 1000 * 1000, contentType: JSON_TYPE, prefix: '[' });
      const before = process.memoryUsage().rss;
      const info = await connectFails(hostileProvider());
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
      expect(info.message).toMatch(/larger than 256 MiB/);
      // what was read is dropped, never joined into one string (docker-modem would have thrown ERR_STRING_TOO_LONG, uncaught)
      expect(process.memoryUsage().rss - before).toBeLessThan(450 * MiB);
    }, 120_000);
  });
});
