// An answer parsed on the event loop while it is small, and by a parse worker once it
// passes a size: the bytes read so far go to the worker, which parses the answer from its
// start (the inline reader is dropped). Small answers cost no copy or message; a large one
// never holds the core's event loop for long.

import type { ParseJob } from '../../util/parse-worker';
import { postAnswer, type AnswerSink, type PostRequest, type PostTarget } from './http-post';

export interface AnswerReader {
  /** a promise: wait before reading on (the worker has too much to parse) */
  push(bytes: Buffer): Promise<void> | void;
  finish(): unknown;
  /** the answer failed: stop parsing it */
  abort?(): void;
}

/** Posts the call and reads its answer with `reader` (stopped when the exchange fails); `head` may refuse the answer. */
export async function postToReader(target: PostTarget, request: PostRequest, head: AnswerSink['head'], reader: AnswerReader): Promise<unknown> {
  try {
    await postAnswer(target, request, { head, chunk: (bytes) => reader.push(bytes) });
  } catch (err) {
    reader.abort?.();
    throw err;
  }
  return await reader.finish();
}

/**
 * Answers up to this size are parsed inline. Measured (parse-crossover.bench.ts, on the shared
 * 2-core machine): 1 MB of records held the loop ~150 ms inline against ~45 ms to hand it to
 * the worker; at 256 kB and below the worker's round trip costs about what the parse does.
 */
export const OFFLOAD_ABOVE_BYTES = 1024 * 1024;

/**
 * An event.from answer goes to the worker sooner: the worker reduces each event's record before
 * it comes back, so the event loop takes in less than it would parse. Measured on this machine
 * (VM records of 2.6 kB, as the simulator's): 50 events (133 kB) cost 1.7 ms inline against
 * 0.7 ms of the event loop's time through the worker, 300 events 12.5 ms against 3.0 ms; at
 * 20 events (53 kB) and below the two are alike (issue 17).
 */
export const EVENTS_OFFLOAD_ABOVE_BYTES = 64 * 1024;

export class OffloadedAnswer<Done> implements AnswerReader {
  private buffered: Buffer[] = [];
  private bytes = 0;
  private job: ParseJob<Done> | null = null;

  constructor(
    private readonly inline: AnswerReader,
    private readonly startJob: () => ParseJob<Done>,
    /** the call's result from the job's (its parts were taken as they came) */
    private readonly result: (done: Done) => unknown,
    private readonly threshold = OFFLOAD_ABOVE_BYTES,
  ) {}

  push(bytes: Buffer): Promise<void> | void {
    if (this.job) return this.job.push(bytes);
    this.bytes += bytes.length;
    if (this.bytes <= this.threshold) {
      this.buffered.push(bytes);
      return this.inline.push(bytes);
    }
    const job = (this.job = this.startJob());
    let wait: Promise<void> | undefined;
    for (const earlier of this.buffered) wait = job.push(earlier) ?? wait;
    this.buffered = [];
    return job.push(bytes) ?? wait;
  }

  async finish(): Promise<unknown> {
    if (!this.job) return this.inline.finish();
    return this.result(await this.job.finish());
  }

  abort(): void {
    this.job?.drop();
  }
}
