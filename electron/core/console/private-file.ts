// A viewer's file that may hold a secret (a SPICE .vv file has a one-time password):
// written with mode 0600 into a folder only this user may enter, and removed once the
// viewer had the time to read it (remote-viewer deletes it itself when the file asks it to).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface PrivateFile {
  path: string;
  /** removes the file and its folder; safe to call twice */
  remove(): Promise<void>;
}

export async function writePrivateFile(name: string, content: string, root = os.tmpdir()): Promise<PrivateFile> {
  const dir = await mkdtemp(path.join(root, 'polyvisor-viewer-')); // mkdtemp makes it 0700
  const file = path.join(dir, path.basename(name));
  await writeFile(file, content, { mode: 0o600, flag: 'wx' });
  return { path: file, remove: () => rm(dir, { recursive: true, force: true }) };
}
