// A yes/no question before something is destroyed: asked on the terminal, never
// assumed. Without a terminal (a script, a pipe) the command needs --yes instead.

import { createInterface } from 'node:readline/promises';
import { PolyvisorError } from '../../shared/errors';

/** Resolves when the user said yes (or gave --yes); throws otherwise, before anything is done. */
export async function confirmOrRefuse(question: string, yes: boolean, command: string): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${command}: there is no terminal to ask on; give --yes to go ahead without asking`, field: 'yes' });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new PolyvisorError({ code: 'CANCELLED', message: `${command}: not confirmed; nothing was changed` });
  } finally {
    rl.close();
  }
}
