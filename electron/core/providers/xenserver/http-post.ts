// One XAPI request over HTTPS: POST the call, hand the answer's bytes to a reader
// as they arrive, within a byte budget, an idle timeout and an overall deadline.
// No redirects are followed (XAPI never redirects an RPC; HOST_IS_SLAVE is an answer).

import https from 'node:https';
import { PolyvisorError } from '../../../../shared/errors';
import { ByteBudget, deadlineSignal, timedOut } from '../common/limits';
import { sentOnStaleSocket } from '../common/stale-socket';
import { connectionFailure } from './errors';
import type { CallTiming } from './transport';

export interface PostTarget {
  host: string;
  port: number;
  agent: https.Agent;
  /** aborts every request of the transport (close) */
  closed: AbortSignal;
}

export interface AnswerSink {
  /** Sees the status and content type first; throws to refuse the answer. */
  head(status: number, contentType: string): void;
  /** Each piece of the body, in order; throws to stop reading (typed errors pass through); a promise: read on once it resolves. */
  chunk(bytes: Buffer): void | Promise<void>;
}

export interface PostRequest {
  /** default POST; GET for xapi's HTTP handlers (rrd_updates) */
  method?: 'GET' | 'POST';
  path: string;
  body: string;
  contentType: string;
  maxBytes: number;
  timing: CallTiming;
}

/** `host:port` as answers and errors name the server. */
export function serverName(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Resolves once the whole answer went through `sink`; rejects with a PolyvisorError. `staleRetry`: a request lost on a closed kept-alive socket goes again once. */
export function postAnswer(target: PostTarget, request: PostRequest, sink: AnswerSink, staleRetry = true): Promise<void> {
  const where = serverName(target.host, target.port);
  const { deadlineMs, idleMs, signal } = request.timing;
  const deadline = deadlineSignal(where, deadlineMs, target.closed, signal);
  const budget = new ByteBudget(request.maxBytes, where);
  const body = Buffer.from(request.body, 'utf8');

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let answered = false;
    let idle: NodeJS.Timeout | undefined;
    const req = https.request({
      host: target.host,
      port: target.port,
      path: request.path,
      method: request.method ?? 'POST',
      agent: target.agent,
      headers: {
        'content-type': request.contentType,
        accept: request.contentType,
        'content-length': body.length,
      },
    });
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      deadline.clear();
      deadline.signal.removeEventListener('abort', onAbort);
      if (err === undefined) {
        resolve();
        return;
      }
      req.destroy();
      reject(err instanceof PolyvisorError ? err : connectionFailure(target.host, target.port, err));
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => settle(timedOut(where, idleMs, 'idle')), idleMs);
    };
    const onAbort = () => {
      const reason: unknown = deadline.signal.reason;
      settle(reason instanceof PolyvisorError ? reason : connectionFailure(target.host, target.port, Object.assign(new Error('closed'), { code: 'ERR_CANCELED' })));
    };
    if (deadline.signal.aborted) {
      onAbort();
      return;
    }
    deadline.signal.addEventListener('abort', onAbort);

    req.on('response', (res) => {
      answered = true;
      res.on('error', settle);
      try {
        budget.checkDeclared(res.headers['content-length']);
        sink.head(res.statusCode ?? 0, String(res.headers['content-type'] ?? ''));
      } catch (err) {
        settle(err);
        return;
      }
      armIdle();
      res.on('data', (bytes: Buffer) => {
        if (settled) return;
        armIdle();
        try {
          budget.spend(bytes.length);
          const wait = sink.chunk(bytes);
          if (wait) {
            // the reader is behind (a parse worker): no more bytes until it catches up; its silence is not the server's
            res.pause();
            clearTimeout(idle);
            wait.then(() => {
              if (settled) return;
              armIdle();
              res.resume();
            }, settle);
          }
        } catch (err) {
          settle(err);
        }
      });
      res.on('end', () => settle());
      // a body cut short (Content-Length or chunked) ends in 'close' without 'end'
      res.on('close', () => {
        if (!res.complete) settle(connectionFailure(target.host, target.port, Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' })));
      });
    });
    req.on('error', (err) => {
      if (settled || answered || !staleRetry || !sentOnStaleSocket(req, err)) {
        settle(err);
        return;
      }
      settled = true;
      clearTimeout(idle);
      deadline.clear();
      deadline.signal.removeEventListener('abort', onAbort);
      resolve(postAnswer(target, request, sink, false));
    });
    armIdle();
    req.end(body);
  });
}
