// A hostile or broken vSphere endpoint: the hostile proxy (TLS, its certificate
// pinned) stands in front of a real vcsim and spoils chosen answers, mostly the
// initial WaitForUpdatesEx (the inventory load, after version negotiation and
// login went through). Each time the provider must fail with a typed error that
// says what happened, never crash, keep its memory bounded, and a second
// provider in the same process, connected straight to vcsim, keeps working.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../electron/core/providers/provider';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { isPolyvisorError, type ErrorInfo } from '../../../shared/errors';
import { deepXml, invalidUtf8, startHostileProxy, type HostileBehaviour, type HostileProxy, type HostileRequest } from '../../peers/hostile-proxy';
import { startVcsim, type Vcsim } from '../../peers/vcsim';
import { BUILD_AND_START_TIMEOUT, Mirror, TEST_TIMEOUT, providerFor, skipVcsim } from './harness';
import { RawSoap, text } from './raw-soap';

const MiB = 1024 * 1024;
const XML_TYPE = 'text/xml; charset=utf-8';
const ENVELOPE_START =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_END = '</soapenv:Body></soapenv:Envelope>';

const isWait = (r: HostileRequest) => r.body.includes('<WaitForUpdatesEx ');
/** the inventory load: WaitForUpdatesEx from version "" */
const initialLoad = (r: HostileRequest) => isWait(r) && r.body.includes('<version></version>');
/** a long poll of a live stream */
const longPoll = (r: HostileRequest) => isWait(r) && !r.body.includes('<version></version>');

let sim: Vcsim;
let proxy: HostileProxy;
let raw: RawSoap;
let healthy: VsphereProvider;
let healthyMirror: Mirror;
const opened: VsphereProvider[] = [];
const crashes: unknown[] = [];
const onCrash = (e: unknown) => crashes.push(e);

/** A provider that reaches vcsim through the hostile proxy. */
function hostileProvider(limits: ProviderConfig['limits'] = {}, options: ProviderConfig['options'] = {}): VsphereProvider {
  const p = providerFor(sim, {
    port: proxy.port,
    tls: { pinnedFingerprint: proxy.cert!.fingerprint256, pinnedPem: proxy.cert!.cert },
    limits,
    options: { maxWaitSeconds: 10, reconnectMinMs: 50, reconnectMaxMs: 200, ...options },
  });
  opened.push(p);
  return p;
}

async function connectFails(provider: VsphereProvider): Promise<ErrorInfo> {
  const err = await provider.connect().then(
    () => null,
    (e: unknown) => e,
  );
  if (!isPolyvisorError(err)) throw new Error(`expected a typed error, got ${String(err)}`);
  expect(err.info.message).not.toMatch(/\n\s+at /); // no stack trace in what the user reads
  expect(err.code).not.toBe('INTERNAL');
  return err.info;
}

function misbehave(match: (r: HostileRequest) => boolean, behaviour: HostileBehaviour, times?: number): void {
  proxy.setRules([{ match, behaviour, times }]);
}

/** The largest resident-set growth while `run` runs, sampled every 20 ms. */
async function peakGrowth<T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

describe.skipIf(skipVcsim)('vSphere against a hostile server', { timeout: TEST_TIMEOUT }, () => {
  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    sim = await startVcsim({ model: 'esx', vms: 2 });
    raw = new RawSoap(sim);
    await raw.login();
    proxy = await startHostileProxy({ upstream: { host: sim.host, port: sim.port, tls: true }, listen: { tls: true } });
    healthy = providerFor(sim);
    healthyMirror = new Mirror(healthy);
    await healthy.connect();
  }, BUILD_AND_START_TIMEOUT);

  afterEach(async () => {
    while (opened.length) await opened.pop()!.disconnect();
    proxy.setRules([]);
    // the other server in the same process kept working all along: a change made elsewhere still arrives
    const [vm] = await raw.objects('VirtualMachine', ['runtime.powerState']);
    const on = text(vm.props['runtime.powerState']) === 'poweredOn';
    await raw.runTask(on ? 'PowerOffVM_Task' : 'PowerOnVM_Task', vm.ref);
    const expected = on ? 'halted' : 'running';
    await healthyMirror.until(() => healthyMirror.vm(vm.ref.value)?.state === expected, `the healthy provider to see ${vm.ref.value} ${expected}`);
    expect(crashes).toEqual([]);
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await healthy?.disconnect();
    await proxy?.close();
    await sim?.stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  describe('while connecting', () => {
    it('connects through the proxy when nothing is spoiled (the baseline)', async () => {
      const p = hostileProvider();
      const mirror = new Mirror(p);
      await p.connect();
      expect(mirror.ofKind('vm')).toHaveLength(2);
      expect(proxy.seen().length).toBeGreaterThan(3);
    });

    it('refuses an answer whose declared length is over the limit before reading it', async () => {
      misbehave(initialLoad, { kind: 'oversize', bytes: 64 * MiB, contentType: XML_TYPE, prefix: ENVELOPE_START });
      const { result: info, growth } = await peakGrowth(() => connectFails(hostileProvider({ maxBufferedBytes: 1 * MiB })));
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
      expect(info.message).toMatch(/^vSphere 127\.0\.0\.1:\d+ \(WaitForUpdatesEx\) sent an answer larger than 1 MiB/);
      expect(growth).toBeLessThan(32 * MiB);
    });

    it('stops reading a chunked answer at the limit: RESPONSE_TOO_LARGE, memory bounded', async () => {
      misbehave(initialLoad, { kind: 'oversize', bytes: 64 * MiB, contentType: XML_TYPE, prefix: ENVELOPE_START, chunked: true });
      const { result: info, growth } = await peakGrowth(() => connectFails(hostileProvider({ maxBufferedBytes: 2 * MiB })));
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
      expect(info.message).toMatch(/\(WaitForUpdatesEx\) sent an answer larger than 2 MiB/);
      expect(growth).toBeLessThan(48 * MiB);
    });

    it('cuts off an answer that trickles in past the request deadline: TIMEOUT', async () => {
      misbehave(initialLoad, { kind: 'trickle', intervalMs: 100, contentType: XML_TYPE, prefix: ENVELOPE_START });
      const t0 = Date.now();
      // the deadline of a long poll is the request deadline plus its wait (1 s here)
      const info = await connectFails(hostileProvider({ requestDeadlineMs: 2000 }, { maxWaitSeconds: 1 }));
      expect(info.code).toBe('TIMEOUT');
      expect(info.message).toMatch(/\(WaitForUpdatesEx\) did not finish its answer within 3 s/);
      expect(Date.now() - t0).toBeLessThan(20_000);
    });

    it('gives up on an answer that stops in the middle: TIMEOUT (idle)', async () => {
      misbehave(initialLoad, { kind: 'stall', contentType: XML_TYPE });
      const info = await connectFails(hostileProvider({ idleTimeoutMs: 1000 }, { maxWaitSeconds: 1 }));
      expect(info.code).toBe('TIMEOUT');
      expect(info.message).toMatch(/\(WaitForUpdatesEx\) stopped sending for 2 s/);
    });

    it('reports a body shorter than its Content-Length: CONNECTION_FAILED', async () => {
      misbehave(initialLoad, { kind: 'truncated', contentType: XML_TYPE, body: `${ENVELOPE_START}<WaitForUpdatesExResponse xmlns="urn:vim25">`, declaredLength: 5000 });
      const info = await connectFails(hostileProvider());
      expect(info.code).toBe('CONNECTION_FAILED');
      expect(info.message).toMatch(/\(WaitForUpdatesEx\) closed the connection in the middle of its answer/);
    });

    it('reports a connection reset in the middle of the real answer: CONNECTION_FAILED', async () => {
      misbehave(initialLoad, { kind: 'reset', afterBytes: 300 });
      const info = await connectFails(hostileProvider());
      expect(info.code).toBe('CONNECTION_FAILED');
      expect(info.message).toMatch(/\(WaitForUpdatesEx\) closed the connection in the middle of its answer/);
    });

    it('refuses an answer that is not UTF-8: SERVER_ERROR', async () => {
      const body = invalidUtf8(`${ENVELOPE_START}<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>`, `</faultstring></soapenv:Fault>${ENVELOPE_END}`);
      misbehave(initialLoad, { kind: 'body', status: 500, contentType: XML_TYPE, body });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BadResponse' });
      expect(info.message).toMatch(/\(WaitForUpdatesEx\) sent an answer that is not valid UTF-8/);
    });

    it('refuses malformed XML: SERVER_ERROR', async () => {
      misbehave(initialLoad, { kind: 'body', contentType: XML_TYPE, body: `${ENVELOPE_START}<WaitForUpdatesExResponse><returnval><version>1</versio></returnval>` });
      const info = await connectFails(hostileProvider());
      expect(info.code).toBe('SERVER_ERROR');
      expect(info.message).toMatch(/^WaitForUpdatesEx: the server's answer is not readable XML \(HTTP 200\)/);
    });

    it('refuses a SOAP answer of the wrong shape: SERVER_ERROR, not a TypeError', async () => {
      misbehave(initialLoad, { kind: 'body', contentType: XML_TYPE, body: `${ENVELOPE_START}<RetrievePropertiesExResponse xmlns="urn:vim25"/>${ENVELOPE_END}` });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'BadResponse' });
      expect(info.message).toBe('WaitForUpdatesEx: the answer has no WaitForUpdatesExResponse');
    });

    it('survives a deeply nested document: SERVER_ERROR, no stack overflow', async () => {
      misbehave(initialLoad, { kind: 'body', contentType: XML_TYPE, body: deepXml(200_000) });
      const info = await connectFails(hostileProvider());
      expect(info.code).toBe('SERVER_ERROR');
      expect(info.message).toMatch(/not readable XML .*Maximum nested tags exceeded/);
    });

    it('refuses an HTML page where SOAP belongs (wrong content type): SERVER_ERROR', async () => {
      misbehave(initialLoad, { kind: 'body', contentType: 'text/html', body: '<!DOCTYPE html><html><body>Captive portal</body></html>' });
      const info = await connectFails(hostileProvider());
      expect(info.code).toBe('SERVER_ERROR');
      expect(info.message).toBe('WaitForUpdatesEx: the server answered HTTP 200 without a SOAP envelope (text/html).');
    });

    it('does not follow a redirect loop: SERVER_ERROR naming the redirect', async () => {
      misbehave(initialLoad, { kind: 'redirect-loop' });
      const info = await connectFails(hostileProvider());
      expect(info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'HTTP 302' });
      expect(info.message).toMatch(/^WaitForUpdatesEx: the server redirected the request to \/sdk/);
      expect(proxy.hits()).toEqual([1]);
    });

    it('stops an endless chunked answer at the size limit', async () => {
      misbehave(initialLoad, { kind: 'endless-line', contentType: XML_TYPE });
      const info = await connectFails(hostileProvider({ maxBufferedBytes: 2 * MiB }));
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
    });
  });

  describe('once connected', () => {
    async function connectedThenSpoiled(limits: ProviderConfig['limits'], behaviour: HostileBehaviour, times?: number) {
      const p = hostileProvider(limits, { maxWaitSeconds: 1 });
      const mirror = new Mirror(p);
      await p.connect();
      misbehave(longPoll, behaviour, times);
      return mirror;
    }

    it('goes to error on an oversize long-poll answer (retrying would only read it again)', async () => {
      const mirror = await connectedThenSpoiled({ maxBufferedBytes: 1 * MiB }, { kind: 'oversize', bytes: 16 * MiB, contentType: XML_TYPE, chunked: true });
      await mirror.until(() => mirror.states.length > 0, 'a state change');
      expect(mirror.states).toEqual([{ state: 'error', error: expect.objectContaining({ code: 'RESPONSE_TOO_LARGE' }) }]);
      expect(mirror.ofKind('vm')).toHaveLength(2); // what was shown stays
    });

    it('goes reconnecting on a trickling long poll, and comes back once the server behaves', async () => {
      const mirror = await connectedThenSpoiled({ requestDeadlineMs: 1500 }, { kind: 'trickle', intervalMs: 50, contentType: XML_TYPE }, 1);
      await mirror.until(() => mirror.states.some((s) => s.state === 'connected'), 'the provider to be back');
      expect(mirror.states.map((s) => s.state)).toEqual(['reconnecting', 'connected']);
      expect(mirror.states[0].error?.code).toBe('TIMEOUT');
      expect(mirror.resets).toBe(1);
      expect(mirror.ofKind('vm')).toHaveLength(2);
    });
  });

  describe('at the real default limits', () => {
    // 560 MB is what crashed the process with ERR_STRING_TOO_LONG (V8 strings stop at ~512 MiB)
    const REAL = 560 * 1000 * 1000;

    it('refuses a declared 560 MB answer before reading it', async () => {
      misbehave(initialLoad, { kind: 'oversize', bytes: REAL, contentType: XML_TYPE, prefix: ENVELOPE_START });
      const { result: info, growth } = await peakGrowth(() => connectFails(hostileProvider()));
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
      expect(info.message).toMatch(/larger than 256 MiB/);
      expect(growth).toBeLessThan(32 * MiB);
    });

    it('stops a chunked 560 MB answer at 256 MiB with RESPONSE_TOO_LARGE instead of dying', async () => {
      misbehave(initialLoad, { kind: 'oversize', bytes: REAL, contentType: XML_TYPE, prefix: ENVELOPE_START, chunked: true });
      const { result: info, growth } = await peakGrowth(() => connectFails(hostileProvider()));
      expect(info.code).toBe('RESPONSE_TOO_LARGE');
      expect(info.message).toMatch(/larger than 256 MiB/);
      // what was read is dropped at the limit, never joined into one string
      expect(growth).toBeLessThan(400 * MiB); // measured: ~280 MiB
      expect(growth).toBeLessThan(REAL);
    });
  });
});
