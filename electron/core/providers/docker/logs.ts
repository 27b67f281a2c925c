// A container's log as plain text (stdout and stderr interleaved), streamed: the engine's
// answer is never read whole, whatever the size of the log. With `follow` it stays open
// until the container stops or the reader destroys it.

import { PassThrough, pipeline, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { readContainer } from './engine-records';
import { LogDemuxer } from './log-demux';
import { dial } from './modem-dial';

export interface LogOptions {
  /** number of lines from the end; default all */
  tail?: number;
  /** keep the stream open for new lines */
  follow?: boolean;
  timestamps?: boolean;
  /** each line from stderr starts with STDERR_MARK (not for a TTY: its streams are one) */
  markStderr?: boolean;
}

export async function containerLog(docker: Dockerode, nativeRef: string, options: LogOptions, where: string): Promise<Readable> {
  const info = readContainer(await docker.getContainer(nativeRef).inspect(), where);
  const raw = (await dial(docker, {
    path: `/containers/${encodeURIComponent(info.Id)}/logs?`,
    method: 'GET',
    options: {
      stdout: true,
      stderr: true,
      follow: options.follow ?? false,
      timestamps: options.timestamps ?? false,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
    },
    isStream: true,
    statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
  })) as Readable;
  // with a TTY the engine sends the terminal's bytes as they are, else multiplexed frames
  const out = info.Config.Tty ? new PassThrough() : new LogDemuxer(where, { markStderr: options.markStderr ?? false });
  pipeline(raw, out, () => {
    // pipeline has destroyed both with the failure, which the reader sees on `out`
  });
  return out;
}
