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
// takes ~1.1 KB per container and GET /containers/{id}/json ~6 KB, so the largest buffered
// answer of a 50,000-container engine, the container list, is ~55 MB: a fifth of the
// shared 256 MiB limit.

import type http from 'node:http';
import type { IncomingMessage } from 'node:http';
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
  const label = `The Docker engine at ${where} (${req.method} ${req.path.split('?')[0]})`;
  if (kind === 'stream') {
    req.once('response', (res) => {
      if (isError(res)) bound(res, limits, label);
    });
    return;
  }
  const clock = new AnswerClock(req, limits, label, kind);
  if (kind === 'transfer') watchTransfer(req, clock);
  req.once('response', (res) => {
    clock.answerStarted(res);
    if (kind === 'buffered' || isError(res)) bound(res, limits, label, clock);
  });
  req.once('close', () => clock.stop());
}

/** docker-modem reads an error answer whole, whatever the request was. */
function isError(res: IncomingMessage): boolean {
  return (res.statusCode ?? 0) >= 300;
}

/** Counts a buffered answer's bytes; every chunk also tells the clock the engine is alive. */
function bound(res: IncomingMessage, limits: Limits, label: string, clock?: AnswerClock): void {
  let bytes = 0;
  res.on('data', (chunk: Buffer) => {
    clock?.alive();
    bytes += chunk.length;
    if (bytes > limits.maxBufferedBytes && !res.destroyed) res.destroy(responseTooLarge(label, limits.maxBufferedBytes));
  });
}

/**
 * A transfer's reader holds the answer: listening to it here would start its flow before
 * the reader is there. The socket shows the engine is alive without taking anything from it.
 */
function watchTransfer(req: http.ClientRequest, clock: AnswerClock): void {
  const onData = () => clock.alive();
  req.once('socket', (socket) => {
    socket.on('data', onData);
    req.once('close', () => socket.off('data', onData));
  });
}

/** The overall deadline of a request and the idle timeout between the chunks of its answer. */
class AnswerClock {
  private deadline: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private res: IncomingMessage | null = null;

  constructor(
    private readonly req: http.ClientRequest,
    private readonly limits: Limits,
    private readonly label: string,
    private readonly kind: AnswerKind,
  ) {
    if (kind === 'buffered') {
      this.deadline = setTimeout(() => this.fail(timedOut(label, limits.requestDeadlineMs, 'deadline')), limits.requestDeadlineMs);
      this.deadline.unref();
    }
    // a read answers at once; an action may work for minutes before its answer begins
    if (req.method === 'GET' || req.method === 'HEAD') this.alive();
  }

  answerStarted(res: IncomingMessage): void {
    this.res = res;
    this.alive();
    res.once('end', () => this.stop());
    res.once('close', () => this.stop());
  }

  alive(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.fail(timedOut(this.label, this.limits.idleTimeoutMs, 'idle')), this.limits.idleTimeoutMs);
    this.idle.unref();
  }

  stop(): void {
    if (this.deadline) clearTimeout(this.deadline);
    if (this.idle) clearTimeout(this.idle);
    this.deadline = this.idle = null;
  }

  private fail(err: Error): void {
    // a transfer whose reader is slower than the engine is not a silent engine
    if (this.res && this.kind === 'transfer' && (this.res.isPaused() || this.res.readableLength > 0)) {
      this.alive();
      return;
    }
    this.stop();
    // once the answer has begun its reader holds the response: the error must reach it there
    if (this.res && !this.res.destroyed) this.res.destroy(err);
    else if (!this.req.destroyed) this.req.destroy(err);
  }
}
