// A small pool of worker threads that parse large answers off the core's event loop (in
// Electron the core runs in the main process: a parse there freezes IPC and the window).
// A job is named (the worker entry knows the jobs: see parse-worker-host.ts); its bytes
// go to the worker in blocks as they arrive (see OwnedBlock), with at most
// MAX_IN_FLIGHT_BYTES not yet parsed (the caller is told to pause its socket), and its
// results come back in parts, each sent once the one before was taken in ('more'): a port
// delivers every message waiting on it in one turn, so parts sent at once would be taken
// in as one long hold.

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { PolyvisorError, type ErrorInfo } from '../../../shared/errors';

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** Bytes sent to a worker and not yet parsed, past which the sender waits. */
const MAX_IN_FLIGHT_BYTES = 16 * 1024 * 1024;
/** Bytes gathered before they go to the worker in one message. */
const BLOCK_BYTES = 512 * 1024;

export type ToWorker =
  | { op: 'start'; id: number; job: string; init: unknown }
  | { op: 'chunk'; id: number; bytes: Uint8Array }
  | { op: 'end'; id: number }
  | { op: 'drop'; id: number }
  /** the last part was taken in: send the next */
  | { op: 'more'; id: number };

export type FromWorker =
  | { op: 'ack'; id: number; bytes: number }
  | { op: 'part'; id: number; value: unknown }
  | { op: 'done'; id: number; value: unknown }
  | { op: 'error'; id: number; error: ErrorInfo };

interface JobState {
  onPart(value: unknown): void;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  inFlight: number;
  drained: Array<() => void>;
}

/** One answer being parsed by a worker. */
export interface ParseJob<Done> {
  /** Sends the next bytes; a promise while too much is in flight (wait for it before reading on). Throws the job's error once it failed. */
  push(bytes: Buffer): Promise<void> | undefined;
  /** The answer is complete: resolves with the job's result (after every part), or rejects with its typed error. */
  finish(): Promise<Done>;
  /** The answer failed or was abandoned: the worker forgets the job. */
  drop(): void;
}

class PoolWorker {
  readonly jobs = new Map<number, JobState>();
  private readonly worker: Worker;

  constructor(start: WorkerStart, onExit: (w: PoolWorker) => void, log?: LogFn) {
    this.worker = 'script' in start ? new Worker(start.script, { eval: true }) : new Worker(start.entry);
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (err) => {
      log?.('error', `parse worker failed: ${err.message}`);
      this.failAll(err.message);
    });
    this.worker.on('exit', (code) => {
      this.failAll(`it exited with code ${code}`);
      onExit(this);
    });
    this.worker.unref();
  }

  /** A job in flight keeps the process alive until its answer comes; an idle worker does not (the CLI, a bench end). */
  add(id: number, job: JobState): void {
    this.jobs.set(id, job);
    this.worker.ref();
  }

  remove(id: number): boolean {
    const had = this.jobs.delete(id);
    if (this.jobs.size === 0) this.worker.unref();
    return had;
  }

  post(message: ToWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private receive(m: FromWorker): void {
    const job = this.jobs.get(m.id);
    if (!job) return;
    switch (m.op) {
      case 'ack':
        job.inFlight -= m.bytes;
        if (job.inFlight <= MAX_IN_FLIGHT_BYTES / 2) for (const go of job.drained.splice(0)) go();
        break;
      case 'part':
        job.onPart(m.value);
        this.post({ op: 'more', id: m.id });
        break;
      case 'done':
        this.remove(m.id);
        job.resolve(m.value);
        break;
      case 'error':
        // the sender reads on, and its next push throws this error
        this.remove(m.id);
        for (const go of job.drained.splice(0)) go();
        job.reject(new PolyvisorError(m.error));
        break;
    }
  }

  private failAll(why: string): void {
    for (const [id, job] of this.jobs) {
      this.remove(id);
      for (const go of job.drained.splice(0)) go();
      job.reject(new PolyvisorError({ code: 'INTERNAL', message: `The parse worker stopped: ${why}` }));
    }
  }
}

/**
 * Socket chunks are views into buffers Node reads into and may slice again (one read can
 * hold several body pieces), so they cannot be handed over themselves. They are gathered
 * into a block this side owns outright (allocated without zero-filling, from no shared
 * pool), and each full block is transferred, not copied, to the worker: one copy per byte,
 * and one message per block instead of one per socket chunk (~16 kB).
 */
class OwnedBlock {
  private block: Buffer | null = null;
  private filled = 0;

  constructor(private readonly post: (bytes: Uint8Array) => void) {}

  add(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      this.block ??= Buffer.allocUnsafeSlow(BLOCK_BYTES);
      const n = Math.min(bytes.length - at, BLOCK_BYTES - this.filled);
      this.block.set(bytes.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === BLOCK_BYTES) this.send();
    }
  }

  /** Transfers what the block holds (the worker owns it from now on). */
  send(): void {
    if (!this.block || !this.filled) return;
    const bytes = new Uint8Array(this.block.buffer, this.block.byteOffset, this.filled);
    this.block = null;
    this.filled = 0;
    this.post(bytes);
  }
}

/** The worker's entry module, or a script that loads it (e.g. with a TypeScript loader first). */
export type WorkerStart = { entry: URL } | { script: string };

export class ParsePool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;

  constructor(
    private readonly start_: WorkerStart,
    private readonly options: { size?: number; log?: LogFn } = {},
  ) {}

  /** Starts a named job; `onPart` receives its parts in order, before finish() resolves. */
  start<Done>(job: string, init: unknown, onPart: (value: unknown) => void): ParseJob<Done> {
    const worker = this.pick();
    const id = this.nextId++;
    let settle!: { resolve(v: unknown): void; reject(e: unknown): void };
    const done = new Promise<Done>((resolve, reject) => (settle = { resolve: resolve as (v: unknown) => void, reject }));
    // a job that failed while its answer still arrives: the next push throws, so the reading stops
    let failure: unknown;
    done.catch((err: unknown) => (failure = err));
    const state: JobState = { onPart, ...settle, inFlight: 0, drained: [] };
    worker.add(id, state);
    worker.post({ op: 'start', id, job, init });
    const block = new OwnedBlock((bytes) => {
      state.inFlight += bytes.byteLength;
      worker.post({ op: 'chunk', id, bytes }, [bytes.buffer as ArrayBuffer]);
    });
    return {
      push(bytes) {
        if (failure !== undefined) throw failure;
        if (!worker.jobs.has(id)) return undefined;
        block.add(bytes);
        if (state.inFlight <= MAX_IN_FLIGHT_BYTES) return undefined;
        return new Promise<void>((resolve) => state.drained.push(resolve));
      },
      finish() {
        if (worker.jobs.has(id)) {
          block.send();
          worker.post({ op: 'end', id });
        }
        return done;
      },
      drop() {
        if (!worker.remove(id)) return;
        worker.post({ op: 'drop', id });
        for (const go of state.drained.splice(0)) go();
      },
    };
  }

  /** Stops the workers (jobs in flight fail). */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }

  private pick(): PoolWorker {
    const size = this.options.size ?? Math.max(1, Math.min(2, os.availableParallelism() - 1));
    if (this.workers.length < size) {
      const worker = new PoolWorker(this.start_, (w) => this.forget(w), this.options.log);
      this.workers.push(worker);
      return worker;
    }
    return this.workers.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  private forget(worker: PoolWorker): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
  }
}
