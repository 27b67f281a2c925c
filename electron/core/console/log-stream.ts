// A log as a console: the bridge relays a provider's log Readable to the renderer
// like any text console, but it is read-only (typed input and resizes are ignored)
// and closing the console stops reading the log.

import { Duplex, type Readable } from 'node:stream';
import type { LogsOptions } from '../../../shared/contract';
import type { ConsoleStream } from '../providers/provider';
import { invalid, requireObject } from '../util/input';

export function logConsoleStream(log: Readable): ConsoleStream {
  const stream = new Duplex({
    read() {
      log.resume();
    },
    write(_chunk, _encoding, done) {
      done(); // a log takes no input
    },
    destroy(err, done) {
      log.destroy();
      done(err);
    },
  });
  log.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) log.pause();
  });
  log.once('end', () => stream.push(null));
  log.once('error', (err) => stream.destroy(err));
  return {
    protocol: 'text',
    stream,
    close: () => {
      stream.destroy();
    },
  };
}

/** The largest tail a renderer may ask for; more means "the whole log" (omit `tail`). */
const MAX_TAIL = 1_000_000;

/** Checks the optional `logs:open` settings that arrive from the renderer. */
export function parseLogsOptions(v: unknown): LogsOptions {
  if (v === undefined || v === null) return {};
  const o = requireObject(v, 'logs options');
  const options: LogsOptions = {};
  if (o.tail !== undefined && o.tail !== null) {
    if (typeof o.tail !== 'number' || !Number.isInteger(o.tail) || o.tail < 0 || o.tail > MAX_TAIL) {
      throw invalid(`tail must be a whole number from 0 to ${MAX_TAIL}, not ${JSON.stringify(o.tail)}.`);
    }
    options.tail = o.tail;
  }
  if (o.follow !== undefined && o.follow !== null) {
    if (typeof o.follow !== 'boolean') throw invalid(`follow must be true or false, not ${JSON.stringify(o.follow)}.`);
    options.follow = o.follow;
  }
  return options;
}
