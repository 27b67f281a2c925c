// Child process for the crash test: rewrites servers.json atomically in a loop,
// alternating between two valid lists, until it is killed (SIGKILL, no clean-up).
// Prints "ready" once the first write is complete.

import path from 'node:path';
import { writeFileAtomic } from '../../../electron/core/util/atomic-file';

const [home, countA, countB] = process.argv.slice(2);
const file = path.join(home, 'servers.json');

function doc(count: number): string {
  const servers = Array.from({ length: count }, (_, i) => ({
    id: `id-${count}-${i}`,
    type: 'xenserver',
    name: `Server ${i} of ${count}`,
    host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    port: 443,
    username: 'root',
    autoConnect: false,
    rememberPassword: true,
    options: { note: 'x'.repeat(64) },
    createdAt: '2024-01-01T00:00:00.000Z',
  }));
  return `${JSON.stringify({ version: 1, servers }, null, 2)}\n`;
}

const docs = [doc(Number(countA)), doc(Number(countB))];
let n = 0;
for (;;) {
  await writeFileAtomic(file, docs[n++ % 2]);
  if (n === 1) process.stdout.write('ready\n');
}
