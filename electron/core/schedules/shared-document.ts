// A versioned JSON document in the profile that more than one process writes (the
// app, and `polyvisor schedule …` from a shell or the OS timer). Reads notice when
// the file changed on disk; every change is read-modify-write of the file as it is
// now, so one process does not overwrite what another just wrote. Loading goes
// through the one versioned loader: an unusable file is kept aside and reported.

import { promises as fs } from 'node:fs';
import type { z } from 'zod';
import type { StoreProblem } from '../../../shared/contract';
import { SerialQueue } from '../util/serial-queue';
import { loadVersionedFile, parseWith, saveVersionedFile } from '../util/versioned-json-file';

export interface SharedDocumentSpec<T extends Record<string, unknown>> {
  file: string;
  version: number;
  schema: z.ZodType<T>;
  empty(): T;
  /** a file that had to be kept aside */
  problem(problem: StoreProblem): void;
}

export class SharedDocument<T extends Record<string, unknown>> {
  private value: T;
  private stamp = '';
  private readonly queue = new SerialQueue();

  constructor(private readonly spec: SharedDocumentSpec<T>) {
    this.value = spec.empty();
  }

  /** The document as it is on disk now (re-read only when the file changed). */
  read(): Promise<T> {
    return this.queue.run(async () => structuredClone(await this.fresh()));
  }

  /** Changes the document as it is on disk now; `change` returns the next document and a result. */
  update<R>(change: (current: T) => { next: T; result: R }): Promise<R> {
    return this.queue.run(async () => {
      const { next, result } = change(structuredClone(await this.fresh()));
      await saveVersionedFile(this.spec.file, this.spec.version, next);
      this.value = next;
      this.stamp = await stampOf(this.spec.file);
      return result;
    });
  }

  private async fresh(): Promise<T> {
    const stamp = await stampOf(this.spec.file);
    if (stamp === this.stamp) return this.value;
    const loaded = await loadVersionedFile<T>({ file: this.spec.file, version: this.spec.version, empty: this.spec.empty, parse: parseWith(this.spec.schema) });
    if (loaded.problem) this.spec.problem(loaded.problem);
    this.value = loaded.value;
    // a file kept aside is gone: its stamp is now "absent", so the next read does not load it again
    this.stamp = loaded.problem ? await stampOf(this.spec.file) : stamp;
    return this.value;
  }
}

async function stampOf(file: string): Promise<string> {
  try {
    const st = await fs.stat(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
}
