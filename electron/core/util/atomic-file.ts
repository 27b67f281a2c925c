// Writes a file so that readers see either the old content or the new one, never
// a mix: write a temporary file in the same directory, fsync it, rename it over
// the target, then fsync the directory so the rename itself survives a crash.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** `data` as a whole, or as text written piece by piece (a large document never held in one string). */
export async function writeFileAtomic(file: string, data: string | AsyncIterable<string>, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', mode);
  try {
    if (typeof data === 'string') await handle.writeFile(data, 'utf8');
    else for await (const piece of data) await handle.write(piece, null, 'utf8');
    await handle.sync();
  } catch (e) {
    // the write error is the one to report; a handle that also fails to close adds nothing
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Not every platform lets a directory be opened for fsync (Windows); the rename is still atomic there.
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // some file systems (and Windows) cannot fsync a directory; the rename is atomic without it
  } finally {
    // closing a read-only directory handle cannot lose data
    await handle?.close().catch(() => undefined);
  }
}
