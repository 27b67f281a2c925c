// Child process for the profile-lock tests, a second writer of the same profile:
//   counter <file> <n>        — n read-increment-write rounds of a number, each under withFileLock
//   add-servers <home> <prefix> <n> — n servers added one by one through a ServerStore
// Waits for "go" on stdin first (so that two writers start together), prints "done" at the end.

import { promises as fs } from 'node:fs';
import readline from 'node:readline';
import { ServerStore } from '../../../electron/core/servers/server-store';
import { withFileLock } from '../../../electron/core/util/file-lock';

const [mode, target, ...rest] = process.argv.slice(2);

await new Promise<void>((resolve) => {
  const lines = readline.createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  lines.once('line', () => {
    lines.close();
    resolve();
  });
});

if (mode === 'counter') {
  const rounds = Number(rest[0]);
  for (let i = 0; i < rounds; i++) {
    await withFileLock(target, async () => {
      const now = Number(await fs.readFile(target, 'utf8'));
      // a gap between reading and writing, where an unlocked writer would lose the other's update
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      await fs.writeFile(target, String(now + 1));
    });
  }
} else if (mode === 'add-servers') {
  const [prefix, count] = rest;
  const store = await ServerStore.open(target);
  for (let i = 0; i < Number(count); i++) {
    await store.add({ type: 'xenserver', name: `${prefix}-${i}`, host: `${prefix}-${i}.lab`, port: 443, username: 'root', autoConnect: false, rememberPassword: false, options: {} });
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write('done\n');
