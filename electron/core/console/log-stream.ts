// A log as a console: the bridge relays a provider's log Readable to the renderer
// like any text console, but it is read-only (typed input and resizes are ignored)
// and closing the console stops reading the log.

import { Duplex, type Readable } from 'node:stream';
import type { ConsoleStream } from '../providers/provider';

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
