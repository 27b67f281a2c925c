// The worker side of parse-worker.ts: runs named jobs on the bytes it is sent and posts
// their parts and results back, one part per 'more' the event loop sends once it took
// the one before. Errors go back as ErrorInfo (typed errors keep their code). A job's
// module is loaded when the job is first asked for (the worker starts at a connection's
// first large answer: what it loads then is on that connection's clock).

import { parentPort } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import type { FromWorker, ToWorker } from './parse-worker';

/** One job in the worker: fed the answer's bytes in order, then asked for its result. */
export interface ParseJobRunner {
  push(bytes: Buffer): void;
  /** `emit` sends a part ahead of the result (each part is a message of its own). */
  finish(emit: (part: unknown) => void): unknown;
}

export type ParseJobFactory = (init: unknown) => ParseJobRunner;

/** Loads the module that runs a job (a dynamic import). */
export type ParseJobLoader = () => Promise<ParseJobFactory>;

export function serveParseJobs(loaders: Record<string, ParseJobLoader>): void {
  const port = parentPort;
  if (!port) throw new Error('serveParseJobs runs in a worker thread');
  const send = (m: FromWorker) => port.postMessage(m);
  const factories = new Map<string, ParseJobFactory | Error>();
  /** messages that came while a job's module loads, handled in order once it is there */
  let held: ToWorker[] | null = null;
  const dispatch = (m: ToWorker): void => {
    if (held) {
      held.push(m);
      return;
    }
    const loader = m.op === 'start' && !factories.has(m.job) ? loaders[m.job] : undefined;
    if (!loader || m.op !== 'start') return handle(m);
    held = [m];
    const job = m.job;
    loader().then(
      (factory) => factories.set(job, factory),
      (err: unknown) => factories.set(job, err instanceof Error ? err : new Error(String(err))),
    ).finally(() => {
      const waiting = held ?? [];
      held = null;
      for (const next of waiting) dispatch(next);
    });
  };
  const running = new Map<number, ParseJobRunner | null>();
  /** a finished job's parts not yet sent, and its result after them */
  const sending = new Map<number, { parts: unknown[]; result: unknown }>();
  const sendNext = (id: number) => {
    const out = sending.get(id);
    if (!out) return;
    if (out.parts.length) return send({ op: 'part', id, value: out.parts.shift() });
    sending.delete(id);
    send({ op: 'done', id, value: out.result });
  };
  port.on('message', dispatch);
  function handle(m: ToWorker): void {
    try {
      switch (m.op) {
        case 'start': {
          const factory = factories.get(m.job);
          if (!factory) throw new Error(`no parse job named ${m.job}`);
          if (factory instanceof Error) throw new Error(`the parse job ${m.job} could not be loaded: ${factory.message}`);
          running.set(m.id, factory(m.init));
          break;
        }
        case 'chunk': {
          const job = running.get(m.id);
          job?.push(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
          send({ op: 'ack', id: m.id, bytes: m.bytes.byteLength });
          break;
        }
        case 'end': {
          const job = running.get(m.id);
          running.delete(m.id);
          if (!job) break;
          const parts: unknown[] = [];
          const result = job.finish((part) => parts.push(part));
          sending.set(m.id, { parts, result });
          sendNext(m.id);
          break;
        }
        case 'more':
          sendNext(m.id);
          break;
        case 'drop':
          running.delete(m.id);
          sending.delete(m.id);
          break;
      }
    } catch (err) {
      // the job is over: later chunks of it are dropped
      running.set(m.id, null);
      if (m.op === 'end') running.delete(m.id);
      send({ op: 'error', id: m.id, error: toErrorInfo(err) });
    }
  }
}
