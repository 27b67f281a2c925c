// A hostile or broken pveproxy: the hostile proxy (TLS, its certificate pinned)
// stands in front of the real simulator and spoils chosen answers. Each time the
// provider must fail with a typed error that says what happened, never crash,
// keep its memory bounded, and a second provider in the same process, connected
// straight to the simulator, must keep working meanwhile.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { deepJson, invalidUtf8, startHostileProxy, typedFailure, watchForCrashes, type HostileBehaviour, type HostileProxy, type HostileRequest } from '../../peers/hostile-proxy';
import type { Provider, ProviderConfig } from '../../../electron/core/providers/provider';
import type { ErrorInfo } from '../../../shared/errors';
import type { ConnectionState } from '../../../shared/model';
import { Mirror, providerFor, waitFor } from './helpers';

const MiB = 1024 * 1024;
const JSON_TYPE = 'application/json;charset=UTF-8';

let sim: ProxmoxSimulator;
let proxy: HostileProxy;
let healthy: Provider;
let healthyMirror: Mirror;
const opened: Provider[] = [];
let crashWatch: ReturnType<typeof watchForCrashes>;

const resources = (r: HostileRequest) => r.method === 'GET' && r.url.startsWith('/api2/json/cluster/resources');
const snapshotsOf105 = (r: HostileRequest) => r.method === 'GET' && r.url.startsWith('/api2/json/nodes/node1/lxc/105/snapshot');

/** A provider that reaches the simulator through the hostile proxy. */
function hostileProvider(limits: ProviderConfig['limits'] = {}, options: ProviderConfig['options'] = {}): Provider {
  const p = providerFor(sim, { port: proxy.port, tls: { pinnedFingerprint: proxy.cert!.fingerprint256, pinnedPem: proxy.cert!.cert }, limits }, { reconnectDelayMs: 50, ...options });
  opened.push(p);
  return p;
}

const connectFails = (provider: Provider) => typedFailure(provider.connect());
const misbehave = (match: (r: HostileRequest) => boolean, behaviour: HostileBehaviour, times?: number) => proxy.setRules([{ match, behaviour, times }]);

beforeAll(async () => {
  crashWatch = watchForCrashes();
  sim = await startProxmoxSimulator({ taskDurationMs: 50 });
  proxy = await startHostileProxy({ upstream: { host: sim.host, port: sim.port, tls: true }, listen: { tls: true } });
  healthy = providerFor(sim, {}, { pollIntervalMs: 100 });
  healthyMirror = new Mirror(healthy);
  await healthy.connect();
});

afterEach(async () => {
  while (opened.length) await opened.pop()!.disconnect();
  proxy.setRules([]);
  // the other server in the same process kept working all along
  const name = `still-live-${Date.now()}`;
  sim.state.guest(102)!.name = name;
  await healthyMirror.until(() => healthyMirror.get('vm', 'qemu/102')?.name === name, 'the healthy provider to see a rename');
  expect(crashWatch.crashes).toEqual([]);
});

afterAll(async () => {
  crashWatch?.stop();
  await Promise.all([healthy?.disconnect(), proxy?.close()]);
  await sim?.stop();
});

describe('Proxmox against a hostile server: while connecting', () => {
  it('connects through the proxy when nothing is spoiled (the baseline)', async () => {
    const p = hostileProvider();
    const mirror = new Mirror(p);
    await p.connect();
    expect(mirror.get('vm', 'qemu/100')).toBeDefined();
    expect(proxy.seen()).toContain('GET /api2/json/cluster/resources');
  });

  it('stops reading an answer over the size limit: RESPONSE_TOO_LARGE, memory bounded', async () => {
    misbehave(resources, { kind: 'oversize', bytes: 64 * MiB, contentType: JSON_TYPE, prefix: '{"data":[' });
    const before = process.memoryUsage().rss;
    const info = await connectFails(hostileProvider({ maxBufferedBytes: 1 * MiB }));
    expect(info.code).toBe('RESPONSE_TOO_LARGE');
    expect(info.message).toMatch(/^Proxmox VE 127\.0\.0\.1:\d+ \(GET \/cluster\/resources\) sent an answer larger than 1 MiB/);
    expect(process.memoryUsage().rss - before).toBeLessThan(32 * MiB);
  });

  it('cuts off an answer that trickles in past the request deadline: TIMEOUT', async () => {
    misbehave(resources, { kind: 'trickle', intervalMs: 50, contentType: JSON_TYPE, prefix: '{"data":[' });
    const t0 = Date.now();
    // every request has 3 s, plenty for the healthy ones on a loaded machine
    const info = await connectFails(hostileProvider({ requestDeadlineMs: 3000 }));
    expect(info.code).toBe('TIMEOUT');
    expect(info.message).toMatch(/\(GET \/cluster\/resources\) did not finish its answer within 3 s/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('gives up on an answer that stops in the middle: TIMEOUT (idle)', async () => {
    misbehave(resources, { kind: 'stall', contentType: JSON_TYPE });
    const info = await connectFails(hostileProvider({ idleTimeoutMs: 3000 }));
    expect(info.code).toBe('TIMEOUT');
    expect(info.message).toMatch(/\(GET \/cluster\/resources\) stopped sending for 3 s/);
  });

  it('reports a body shorter than its Content-Length: CONNECTION_FAILED', async () => {
    misbehave(resources, { kind: 'truncated', contentType: JSON_TYPE, body: '{"data":[{"id":"qemu/100"', declaredLength: 5000 });
    const info = await connectFails(hostileProvider());
    expect(info.code).toBe('CONNECTION_FAILED');
    expect(info.message).toMatch(/\(GET \/cluster\/resources\) closed the connection in the middle of its answer/);
  });

  it('reports a connection reset in the middle of the real answer: CONNECTION_FAILED', async () => {
    misbehave(resources, { kind: 'reset', afterBytes: 300 });
    const info = await connectFails(hostileProvider());
    expect(info.code).toBe('CONNECTION_FAILED');
    expect(info.message).toMatch(/\(GET \/cluster\/resources\) closed the connection in the middle of its answer/);
  });

  it('refuses an answer that is not UTF-8: SERVER_ERROR', async () => {
    misbehave(resources, { kind: 'body', contentType: JSON_TYPE, body: invalidUtf8('{"data":[{"id":"qemu/100","type":"qemu","vmid":100,"node":"node1","name":"', '"}]}') });
    const info = await connectFails(hostileProvider());
    expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
    expect(info.message).toMatch(/\(GET \/cluster\/resources\) sent an answer that is not valid UTF-8/);
  });

  it('refuses malformed JSON: SERVER_ERROR', async () => {
    misbehave(resources, { kind: 'body', contentType: JSON_TYPE, body: '{"data":[{"id":"qemu/100",' });
    const info = await connectFails(hostileProvider());
    expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
    expect(info.message).toMatch(/sent an answer that is not JSON/);
  });

  it('refuses JSON of the wrong shape: SERVER_ERROR, not a TypeError', async () => {
    misbehave(resources, { kind: 'body', contentType: JSON_TYPE, body: '{"data":{"qemu/100":{"type":"qemu"}}}' });
    const info = await connectFails(hostileProvider());
    expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
    expect(info.message).toMatch(/\(GET \/cluster\/resources\) sent an object where a list belongs/);
  });

  it('survives a deeply nested document: SERVER_ERROR, no stack overflow', async () => {
    misbehave(resources, { kind: 'body', contentType: JSON_TYPE, body: `{"data":[${deepJson(200_000)}]}` });
    const info = await connectFails(hostileProvider());
    expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
    expect(info.message).toMatch(/entry 1 is a list, not an object/);
  });

  it('refuses an HTML page where JSON belongs (wrong content type): SERVER_ERROR', async () => {
    misbehave(resources, { kind: 'body', contentType: 'text/html', body: '<!DOCTYPE html><html><body>Captive portal</body></html>' });
    const info = await connectFails(hostileProvider());
    expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BAD_ANSWER' });
    expect(info.message).toMatch(/not JSON \(it begins "<!DOCTYPE html>/);
  });

  it('does not follow a redirect loop: SERVER_ERROR naming the redirect', async () => {
    misbehave(resources, { kind: 'redirect-loop' });
    const info = await connectFails(hostileProvider());
    expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: '302' });
    expect(info.message).toMatch(/answered with a redirect \(HTTP 302\)/);
    expect(proxy.hits()).toEqual([1]);
  });

  it('reports an error status with an HTML body by its reason phrase', async () => {
    misbehave(resources, { kind: 'body', status: 503, contentType: 'text/html', body: '<html>Service Unavailable</html>' });
    const info = await connectFails(hostileProvider());
    expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: '503', message: 'Service Unavailable' });
  });

  it('stops an endless chunked answer at the size limit', async () => {
    misbehave(resources, { kind: 'endless-line', contentType: JSON_TYPE });
    const info = await connectFails(hostileProvider({ maxBufferedBytes: 2 * MiB }));
    expect(info.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('skips a guest whose snapshot list is malformed, and shows the rest', async () => {
    misbehave(snapshotsOf105, { kind: 'body', contentType: JSON_TYPE, body: '{"data":"not a list"}' });
    const p = hostileProvider();
    const mirror = new Mirror(p);
    await p.connect();
    expect(mirror.get('container', 'lxc/105')).toBeDefined();
    await mirror.until(() => !!mirror.get('snapshot', 'lxc/106/snapshot1'), "the other guests' snapshots");
    expect(mirror.ofKind('snapshot').filter((n) => n.nativeRef.startsWith('lxc/105/'))).toEqual([]);
  });
});

describe('Proxmox against a hostile server: once connected', () => {
  async function connectedThenSpoiled(limits: ProviderConfig['limits'], behaviour: HostileBehaviour, times?: number) {
    const p = hostileProvider(limits, { pollIntervalMs: 100 });
    const states: Array<{ state: ConnectionState; error?: ErrorInfo }> = [];
    p.on('state', (state, error) => states.push({ state, error }));
    await p.connect();
    misbehave(resources, behaviour, times);
    return { p, states };
  }

  it('goes to error on an oversize poll answer (retrying would only read it again)', async () => {
    const { states } = await connectedThenSpoiled({ maxBufferedBytes: 1 * MiB }, { kind: 'oversize', bytes: 16 * MiB, contentType: JSON_TYPE });
    await waitFor(() => states.length > 0, 'a state change');
    expect(states).toEqual([{ state: 'error', error: expect.objectContaining({ code: 'RESPONSE_TOO_LARGE' }) }]);
  });

  it('goes reconnecting on a trickling poll answer, and comes back once the server behaves', async () => {
    const { states } = await connectedThenSpoiled({ requestDeadlineMs: 3000 }, { kind: 'trickle', intervalMs: 50, contentType: JSON_TYPE }, 1);
    await waitFor(() => states.some((s) => s.state === 'connected'), 'the provider to be back');
    expect(states.map((s) => s.state)).toEqual(['reconnecting', 'connected']);
    expect(states[0].error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/\(GET \/cluster\/resources\) did not finish its answer within 3 s/) });
  });
});

describe('Proxmox against a hostile server: at the real default limits', () => {
  it('stops a 600 MB answer at 256 MiB with RESPONSE_TOO_LARGE instead of dying', async () => {
    misbehave(resources, { kind: 'oversize', bytes: 600 * 1000 * 1000, contentType: JSON_TYPE, prefix: '{"data":[' });
    const before = process.memoryUsage().rss;
    const info = await connectFails(hostileProvider());
    expect(info.code).toBe('RESPONSE_TOO_LARGE');
    expect(info.message).toMatch(/larger than 256 MiB/);
    // what was read is dropped, never joined into one string
    expect(process.memoryUsage().rss - before).toBeLessThan(450 * MiB); // measured: ~285 MiB
  }, 300_000); // ~5 s on an idle machine; minutes when other peers load both cores
});
