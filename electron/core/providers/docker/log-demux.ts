// A container's log without a TTY comes multiplexed: frames of an 8-byte header
// (stream 0/1/2, three zero bytes, a big-endian length) and that many bytes. This
// turns them into plain text (stdout and stderr interleaved) as they arrive: frame
// bytes pass straight on, so at most a partial header is held whatever length a
// header claims; a header that is not one is BAD_ANSWER.

import { Transform, type TransformCallback } from 'node:stream';
import { badAnswer } from './engine-records';

const HEADER_BYTES = 8;

export class LogDemuxer extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  /** bytes of the current frame still to pass on; null while reading a header */
  private frameLeft: number | null = null;

  constructor(private readonly where: string) {
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
      if (n) this.push(data.subarray(0, n));
      this.frameLeft -= n;
      data = data.subarray(n);
      if (this.frameLeft === 0) this.frameLeft = null;
    }
  }

  private header(data: Buffer): number {
    const stream = data[0];
    if (stream > 2 || data[1] !== 0 || data[2] !== 0 || data[3] !== 0) throw badAnswer(this.where, 'a log stream that is not multiplexed');
    return data.readUInt32BE(4);
  }
}
