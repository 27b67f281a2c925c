// Size and time limits on every answer the engine sends, enforced on the HTTP agent
// that carries all of dockerode's requests (docker-modem reads buffered answers whole,
// without a limit of its own). Each request is sorted by what its answer is:
// - buffered (lists, inspects, info, action results): at most maxBufferedBytes, within
//   the request deadline; a GET may be silent for at most the idle timeout, a POST or
//   DELETE only once its answer has begun (the engine answers a commit when it is done);
// - transfer (archives, logs): streamed to their consumer with back-pressure, so no size
//   limit, but silence in the middle of the answer is cut after the idle timeout;
// - stream (the event stream, followed logs, attached terminals): open as long as the
//   engine has something to say; the event reader bounds its own lines.
// An error answer (status ≥ 300) is read whole by docker-modem whatever the request: it
// gets the buffered limit.
//
// Sizes seen on a real dockerd 20.10 (bench/docker-inventory.bench.ts): GET /containers/json
// takes ~0.93 KiB per container and GET /containers/{id}/json ~4.7 KiB, so the largest
// buffered answer of a 50,000-container engine, the container list, is ~45 MiB: the shared
// 256 MiB limit leaves it 5× room.

import type http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { PolyvisorError } from '../../../../shared/errors';
import type { Limits } from '../common/limits';
import { responseTooLarge, timedOut } from '../common/limits';

export type AnswerKind = 'buffered' | 'transfer' | 'stream';

/** What kind of answer a request gets, from its method, path and headers. */
export function answerKind(method: string, requestPath: string, upgrade: boolean): AnswerKind {
  if (upgrade) return 'stream';
  const [rawPath, query = ''] = requestPath.split('?', 2);
  const p = rawPath.replace(/^\/v\d+\.\d+(?=\/)/, '');
  const params = new URLSearchParams(query);
  const follow = params.get('follow') === 'true' || params.get('follow') === '1';
  if (p === '/events') return 'stream';
  if (/^\/containers\/[^/]+\/(attach|stats)$/.test(p) || /^\/exec\/[^/]+\/start$/.test(p)) return 'stream';
  if (/^\/containers\/[^/]+\/logs$/.test(p)) return follow ? 'stream' : 'transfer';
  if (/^\/containers\/[^/]+\/(archive|export)$/.test(p)) return 'transfer';
  if (method === 'POST' && (p === '/images/create' || p === '/images/load' || p === '/build')) return 'transfer';
  if (/^\/images\/(get|[^/]+\/get)$/.test(p)) return 'transfer';
  return 'buffered';
}

/**
 * Puts the limits on every request `agent` carries. http.Agent#addRequest is where a
 * request meets its socket; it is the hook that proxy agents use as well.
 */
export function limitAnswers<A extends http.Agent>(agent: A, limits: Limits, where: string): A {
  const hooked = agent as unknown as { addRequest(req: http.ClientRequest, options: unknown): void };
  const addRequest = hooked.addRequest.bind(agent);
  hooked.addRequest = (req, options) => {
    watchAnswer(req, limits, where);
    addRequest(req, options);
  };
  return agent;
}

function watchAnswer(req: http.ClientRequest, limits: Limits, where: string): void {
  const kind = answerKind(req.method, req.path, !!req.getHeader('upgrade'));
  new AnswerWatch(req, kind, limits, `The Docker engine at ${where} (${req.method} ${req.path.split('?')[0]})`);
}

/** One request: its size budget, its deadline, the idle timeout between the chunks of its answer. */
class AnswerWatch {
  private deadline: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private res: IncomingMessage | null = null;
  private failure: PolyvisorError | null = null;

  constructor(
    private readonly req: http.ClientRequest,
    private readonly kind: AnswerKind,
    private readonly limits: Limits,
    private readonly label: string,
  ) {
    req.once('response', (res) => this.answerStarted(res));
    req.once('close', () => this.stop());
    if (kind === 'stream') return;
    if (kind === 'buffered') {
      this.deadline = setTimeout(() => this.fail(timedOut(label, limits.requestDeadlineMs, 'deadline')), limits.requestDeadlineMs);
      this.deadline.unref();
    }
    // a read answers at once; an action may work for minutes before its answer begins
    if (req.method === 'GET' || req.method === 'HEAD') this.alive();
    // a transfer's reader holds the answer (listening to it would start its flow before the
    // reader is there): the socket shows the engine is alive without taking anything from it
    if (kind === 'transfer') {
      const onData = () => this.alive();
      req.once('socket', (socket) => {
        socket.on('data', onData);
        req.once('close', () => socket.off('data', onData));
      });
    }
  }

  private answerStarted(res: IncomingMessage): void {
    this.res = res;
    // docker-modem reads an error answer whole, whatever the request was
    const buffered = this.kind === 'buffered' || (res.statusCode ?? 0) >= 300;
    if (this.kind !== 'stream') this.alive();
    if (buffered) this.count(res);
    res.once('end', () => this.stop());
    // an answer cut short: docker-modem would wait for its end for ever
    res.once('aborted', () => this.tellReader(this.failure ?? cutShort(this.label)));
  }

  /** A buffered answer: within the size limit, and UTF-8 (JSON is; docker-modem would quietly replace what is not). */
  private count(res: IncomingMessage): void {
    let bytes = 0;
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    res.on('data', (chunk: Buffer) => {
      if (this.kind !== 'stream') this.alive();
      bytes += chunk.length;
      if (bytes > this.limits.maxBufferedBytes) return this.fail(responseTooLarge(this.label, this.limits.maxBufferedBytes));
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        this.fail(new PolyvisorError({ code: 'SERVER_ERROR', message: `${this.label} sent an answer that is not valid UTF-8.`, serverCode: 'BAD_ANSWER' }));
      }
    });
  }

  private alive(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.fail(timedOut(this.label, this.limits.idleTimeoutMs, 'idle')), this.limits.idleTimeoutMs);
    this.idle.unref();
  }

  private stop(): void {
    if (this.deadline) clearTimeout(this.deadline);
    if (this.idle) clearTimeout(this.idle);
    this.deadline = this.idle = null;
  }

  private fail(err: PolyvisorError): void {
    if (this.failure) return;
    // a transfer whose reader is slower than the engine is not a silent engine
    if (this.res && this.kind === 'transfer' && (this.res.isPaused() || this.res.readableLength > 0)) {
      this.alive();
      return;
    }
    this.failure = err;
    this.stop();
    // once the answer has begun its reader holds the response: the error must reach it there
    if (this.res && !this.res.destroyed) this.res.destroy(err);
    else if (!this.req.destroyed) this.req.destroy(err);
    else this.tellReader(err);
  }

  /** docker-modem listens for the request's errors until it has handed over the answer. */
  private tellReader(err: Error): void {
    if (this.req.listenerCount('error') > 0) this.req.emit('error', err);
  }
}

function cutShort(label: string): PolyvisorError {
  return new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${label} closed the connection in the middle of its answer.` });
}
