// A hostile or broken XAPI server (the hostile proxy in front of the simulator):
// each misbehaviour ends in a typed error with a clear message on that server —
// at connect, or as 'reconnecting' while following events — memory stays bounded,
// nothing is thrown past the provider, and a second provider connected to the
// real simulator in the same process keeps receiving live changes meanwhile.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError, type ErrorCode, type PolyvisorError } from '../../../shared/errors';
import { MiB, type Limits } from '../../../electron/core/providers/common/limits';
import { startHostileProxy, type HostileBehaviour, type HostileProxy, type HostileRequest } from '../../peers/hostile-proxy';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, otherSession, TRANSPORTS, type SimInfo } from './harness';
import { answersFor, calls, longPoll } from './hostile-answers';

const failures: unknown[] = [];
const onFailure = (err: unknown) => failures.push(err);

describe.each(TRANSPORTS)('XenServer against a hostile server over %s', (transport) => {
  const answers = answersFor(transport);
  let sim: XapiSimulator;
  let proxy: HostileProxy;
  let hostile: SimInfo;
  let healthy: Harness;
  let other: Awaited<ReturnType<typeof otherSession>>;
  let renames = 0;

  beforeAll(async () => {
    process.on('uncaughtException', onFailure);
    process.on('unhandledRejection', onFailure);
    // JSON-RPC stays on for the test's own session (otherSession); the providers use the transport they are told
    sim = await startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 2 } });
    proxy = await startHostileProxy({ upstream: { host: sim.host, port: sim.port, tls: true }, listen: { tls: true } });
    hostile = { host: '127.0.0.1', port: proxy.port, fingerprint256: proxy.cert!.fingerprint256, certPem: proxy.cert!.cert };
    healthy = new Harness(sim, { transport, serverId: 'healthy' });
    await healthy.provider.connect();
    other = await otherSession(sim);
  });
  afterAll(async () => {
    await healthy?.provider.disconnect();
    await proxy?.close();
    await sim?.stop();
    process.off('uncaughtException', onFailure);
    process.off('unhandledRejection', onFailure);
  });
  afterEach(async () => {
    proxy.setRules([]);
    expect(failures).toEqual([]);
    // the other server in the same process is unaffected
    const vm = healthy.ofKind('vm').find((n) => !n.controlDomain)!;
    const name = `still live ${++renames}`;
    await other('VM.set_name_label', vm.nativeRef, name);
    await healthy.until(() => healthy.nodes.get(vm.id)?.name === name, 20_000, 'the healthy server to see a rename');
  });

  const through = (limits: Partial<Limits> = {}) => new Harness(hostile, { transport, limits, serverId: 'hostile' });

  /** Connects through the proxy with one rule; the typed error connect() rejects with. */
  async function connectFails(match: (r: HostileRequest) => boolean, behaviour: HostileBehaviour, limits?: Partial<Limits>): Promise<PolyvisorError> {
    proxy.setRules([{ match, behaviour }]);
    const harness = through(limits);
    const err = await harness.provider.connect().then(
      () => new Error('connected through a hostile answer'),
      (e: unknown) => e,
    );
    await harness.provider.disconnect();
    expect(proxy.hits()[0], 'the hostile rule was used').toBeGreaterThan(0);
    if (!isPolyvisorError(err)) throw err;
    expectClear(err);
    return err;
  }

  /** Connects cleanly, then one long poll is answered badly: the state it goes to, and that it comes back. */
  async function followFails(behaviour: HostileBehaviour, limits?: Partial<Limits>): Promise<{ state: string; code?: ErrorCode; message?: string }> {
    proxy.setRules([{ match: longPoll, behaviour, times: 1 }]);
    const harness = through(limits);
    await harness.provider.connect();
    try {
      const trouble = await harness.until(() => harness.states.find((s) => s.state !== 'connected'), 45_000, 'the provider to react');
      await harness.until(() => harness.states.at(-1)?.state === 'connected', 45_000, 'the provider to come back');
      expect(trouble.error?.message ?? '').not.toMatch(/\n\s+at /);
      return { state: trouble.state, code: trouble.error?.code, message: trouble.error?.message };
    } finally {
      await harness.provider.disconnect();
    }
  }

  function expectClear(err: PolyvisorError): void {
    expect(err.code).not.toBe('INTERNAL');
    expect(err.message).toContain(`127.0.0.1:${proxy.port}`);
    expect(err.message).not.toMatch(/\n\s+at /);
  }

  it('refuses get_all_records over the streamed limit, reading no more than the limit', async () => {
    const before = process.memoryUsage().rss;
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'oversize', bytes: 64 * MiB, contentType: answers.contentType, prefix: answers.recordsPrefix, chunked: true }, { maxStreamedBytes: 2 * MiB });
    expect(err.code).toBe('RESPONSE_TOO_LARGE');
    expect(err.message).toContain('2 MiB');
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * MiB);
  });

  it('refuses an endless event batch over the buffered limit, and reloads instead of stopping', async () => {
    const outcome = await followFails({ kind: 'endless-line', contentType: answers.contentType, chunkBytes: 64 * 1024 }, { maxBufferedBytes: 1 * MiB });
    expect(outcome).toMatchObject({ state: 'reconnecting', code: 'RESPONSE_TOO_LARGE' });
    expect(outcome.message).toContain('reloads the inventory instead');
  });

  it('refuses an answer whose declared Content-Length is over the limit', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'oversize', bytes: 64 * MiB, contentType: answers.contentType, prefix: answers.recordsPrefix }, { maxStreamedBytes: 2 * MiB });
    expect(err.code).toBe('RESPONSE_TOO_LARGE');
    expect(err.message).toContain('2 MiB');
    expectClear(err);
  });

  it('stops a 600 MiB answer at the default 256 MiB limit, with memory well under the body', async () => {
    let peak = process.memoryUsage().rss;
    const base = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      // chunked: no Content-Length gives the size away, so the limit is met while reading
      const outcome = await followFails({ kind: 'oversize', bytes: 600 * MiB, contentType: answers.contentType, prefix: answers.recordsPrefix, chunked: true });
      expect(outcome).toMatchObject({ state: 'reconnecting', code: 'RESPONSE_TOO_LARGE' });
      // JSON-RPC holds the event batch whole (256 MiB); XML-RPC parses it as it comes and stops at one 16 MiB text value
      expect(outcome.message).toContain(transport === 'jsonrpc' ? '256 MiB' : '16 MiB');
    } finally {
      clearInterval(sampler);
    }
    expect(peak - base).toBeLessThan(400 * MiB);
  }, 180_000);

  it('cuts off a trickle at the overall deadline', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'trickle', intervalMs: 100, contentType: answers.contentType, prefix: answers.recordsPrefix }, { requestDeadlineMs: 3_000 });
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/did not finish its answer within 3 s/);
  });

  it('cuts off a stalled answer at the idle timeout', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'stall', contentType: answers.contentType }, { idleTimeoutMs: 2_000 });
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/stopped sending for 2 s/);
  });

  it('goes reconnecting when a long poll stalls, and comes back', async () => {
    const outcome = await followFails({ kind: 'stall', contentType: answers.contentType }, { idleTimeoutMs: 2_000 });
    expect(outcome).toMatchObject({ state: 'reconnecting', code: 'TIMEOUT' });
  });

  it('reports a truncated answer as a dropped connection', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'truncated', contentType: answers.contentType, body: answers.truncated, declaredLength: answers.truncated.length + 5_000 });
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/dropped/);
  });

  it('refuses an answer that is not UTF-8', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'body', contentType: answers.contentType, body: answers.invalidUtf8 });
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/not valid UTF-8/);
  });

  it('refuses a malformed answer', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'body', contentType: answers.contentType, body: answers.malformed });
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/not a XAPI answer/);
  });

  it('refuses a deeply nested answer without overflowing the stack', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'body', contentType: answers.contentType, body: answers.deep });
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/not a XAPI answer/);
  });

  it('refuses an answer of the wrong content type', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'body', contentType: 'text/html', body: '<html><body>Welcome</body></html>' });
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/text\/html/);
  });

  it('does not follow a redirect loop', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'redirect-loop' });
    expect(['CONNECTION_FAILED', 'SERVER_ERROR']).toContain(err.code);
    expect(err.message).toMatch(/302/);
    expect(proxy.hits()[0]).toBe(1);
  });

  it('reports a connection reset in the middle of the answer', async () => {
    const err = await connectFails(calls('VM.get_all_records'), { kind: 'reset', afterBytes: 1_500 });
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/dropped/);
  });

  it('reports a malformed event batch as reconnecting, and comes back', async () => {
    const outcome = await followFails({ kind: 'body', contentType: answers.contentType, body: answers.malformed });
    expect(outcome).toMatchObject({ state: 'reconnecting', code: 'CONNECTION_FAILED' });
    expect(outcome.message).toMatch(/not a XAPI answer/);
  });
});
