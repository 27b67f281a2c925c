// A container's log without a TTY comes multiplexed: frames of an 8-byte header
// (stream 0/1/2, three zero bytes, a big-endian length) and that many bytes. This
// turns them into plain text (stdout and stderr interleaved) as they arrive: frame
// bytes pass straight on, so at most a partial header is held whatever length a
// header claims; a header that is not one is BAD_ANSWER. Asked to, it starts each line
// that came on stderr with STDERR_MARK, so that a reader can tell the two apart.

import { Transform, type TransformCallback } from 'node:stream';
import { STDERR_MARK } from '../../../../shared/contract';
import { badAnswer } from './engine-records';

const MARK = Buffer.from(STDERR_MARK);
const NEWLINE = 0x0a;

const HEADER_BYTES = 8;

export class LogDemuxer extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  /** bytes of the current frame still to pass on; null while reading a header */
  private frameLeft: number | null = null;
  /** the stream of the current frame (1 stdout, 2 stderr) */
  private stream = 1;
  /** the last byte passed on ended a line (or nothing was passed yet) */
  private atLineStart = true;

  constructor(
    private readonly where: string,
    private readonly options: { markStderr?: boolean } = {},
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.readFrames(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // a frame cut short by the end of the log is passed on as far as it came
    callback();
  }

  private readFrames(chunk: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length) {
      if (this.frameLeft === null) {
        if (data.length < HEADER_BYTES) {
          this.pending = Buffer.from(data);
          return;
        }
        this.frameLeft = this.header(data);
        data = data.subarray(HEADER_BYTES);
        continue;
      }
      const n = Math.min(this.frameLeft, data.length);
      if (n) this.pass(data.subarray(0, n));
      this.frameLeft -= n;
      data = data.subarray(n);
      if (this.frameLeft === 0) this.frameLeft = null;
    }
  }

  private header(data: Buffer): number {
    const stream = data[0];
    if (stream > 2 || data[1] !== 0 || data[2] !== 0 || data[3] !== 0) throw badAnswer(this.where, 'a log stream that is not multiplexed');
    this.stream = stream;
    return data.readUInt32BE(4);
  }

  /** Passes frame bytes on, each stderr line started with the mark when asked. */
  private pass(bytes: Buffer): void {
    if (!this.options.markStderr || this.stream !== 2) {
      this.push(bytes);
      this.atLineStart = bytes[bytes.length - 1] === NEWLINE;
      return;
    }
    let from = 0;
    while (from < bytes.length) {
      if (this.atLineStart) this.push(MARK);
      const end = bytes.indexOf(NEWLINE, from);
      const to = end < 0 ? bytes.length : end + 1;
      this.push(bytes.subarray(from, to));
      this.atLineStart = end >= 0;
      from = to;
    }
  }
}
