// Reads a password from standard input or a named environment variable; argv
// never carries one (it would show in `ps` and shell history).

import { PolyvisorError } from '../../shared/errors';
import type { PasswordSource } from './args';

export async function readPassword(source: PasswordSource, input: NodeJS.ReadableStream = process.stdin): Promise<string | undefined> {
  if (source.kind === 'none') return undefined;
  if (source.kind === 'env') {
    const value = process.env[source.variable];
    if (value === undefined) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `The environment variable ${source.variable} is not set` });
    }
    return value;
  }
  if ((input as { isTTY?: boolean }).isTTY) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: '--password-stdin needs the password piped in, e.g. `printf %s "$PW" | polyvisor …`' });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  // one trailing newline is the shell's, not the password's
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new PolyvisorError({ code: 'INVALID_INPUT', message: '--password-stdin: standard input was empty' });
  return text;
}
