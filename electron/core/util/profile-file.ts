// One file of the profile (servers.json, settings.json, known-certificates.json, …) as
// several processes share it: the app, the CLI, the OS timer's runs.
//   - read through the one versioned loader (an unusable file is kept aside and reported);
//   - written by one process at a time (`<file>.lock`, file-lock.ts): a change re-reads
//     the file under the lock and is applied to what is on disk, so another process's
//     change is merged, never overwritten;
//   - watched (file-watch.ts): a change from outside is read and handed to the listeners
//     as the value before and after, for the owner to apply the difference.
// A file made unusable from outside is kept aside and reported like one found at start;
// the value in memory stays, and is written back so the other processes see it too.

import { promises as fs } from 'node:fs';
import type { StoreProblem } from '../../../shared/contract';
import { withFileLock, type FileLockOptions } from './file-lock';
import { watchFile, type FileWatch, type FileWatchOptions } from './file-watch';
import { sameContent } from './same-content';
import { SerialQueue } from './serial-queue';
import { checkVersionedText, moveAside, serializeVersioned, type VersionedFileSpec } from './versioned-json-file';
import { writeFileAtomic } from './atomic-file';

export interface ProfileFileSpec<T> extends VersionedFileSpec<T> {
  /** the document's body for a value (the `version` is added), e.g. `{ servers }` */
  body(value: T): Record<string, unknown>;
  lock?: FileLockOptions;
  /** how long an unusable file is given to become whole before it is judged (a writer that does not rename) */
  settleMs?: number;
}

export interface OutsideChange<T> {
  before: T;
  after: T;
}

type DiskState<T> =
  | { kind: 'same' }
  | { kind: 'value'; value: T; text: string | null }
  | { kind: 'unusable'; message: string; text: string };

const DEFAULT_SETTLE_MS = 250;
const SETTLE_ROUNDS = 3;
/** `text` before the first read: unlike any content, and unlike "no file" (null) */
const UNREAD = Symbol('unread');

export class ProfileFile<T> {
  private value: T;
  /** the file's content as last read or written by this process; null when there is no file */
  private text: string | null | typeof UNREAD = UNREAD;
  private readonly queue = new SerialQueue();
  private readonly changeListeners = new Set<(change: OutsideChange<T>) => void>();
  private readonly problemListeners = new Set<(problem: StoreProblem) => void>();
  private watcher: FileWatch | undefined;
  private openProblem: StoreProblem | undefined;

  private constructor(private readonly spec: ProfileFileSpec<T>) {
    this.value = spec.empty();
  }

  /** Reads the file (an unusable one is kept aside: `problem` says so, and the value is empty). */
  static async open<T>(spec: ProfileFileSpec<T>): Promise<ProfileFile<T>> {
    const pf = new ProfileFile(spec);
    const state = await pf.readDisk();
    if (state.kind === 'value') {
      pf.value = state.value;
      pf.text = state.text;
    } else if (state.kind === 'unusable') {
      pf.openProblem = await moveAside(spec.file, state.message);
      pf.text = null;
    }
    return pf;
  }

  get file(): string {
    return this.spec.file;
  }

  /** why the file found at open was unusable */
  get problem(): StoreProblem | undefined {
    return this.openProblem;
  }

  /** The value as this process knows it (the caller must not change it). */
  current(): T {
    return this.value;
  }

  /**
   * One change, under the lock: re-reads the file (taking in any change from outside,
   * which the listeners hear first), computes the next value from it and writes it.
   * Returning `next` identical to `current` writes nothing.
   */
  update<R>(change: (current: T) => { next: T; result: R }): Promise<R> {
    return this.queue.run(() =>
      withFileLock(
        this.spec.file,
        async () => {
          await this.takeIn(await this.readSettled(), false);
          const { next, result } = change(this.value);
          if (next !== this.value) await this.write(next);
          return result;
        },
        this.spec.lock,
      ),
    );
  }

  /** Reads the file now and takes in a change from outside, if there is one. */
  refresh(): Promise<void> {
    return this.queue.run(async () => {
      const state = await this.readSettled();
      if (state.kind === 'same') return;
      if (state.kind === 'value') return this.takeIn(state, false);
      // keeping an unusable file aside and writing back is a write: one writer at a time
      await withFileLock(this.spec.file, async () => this.takeIn(await this.readSettled(), true), this.spec.lock);
    });
  }

  /** Follows the file until close(); `onError` hears failures to read it or to watch. */
  watch(options: FileWatchOptions & { onError(error: Error): void }): void {
    if (this.watcher) return;
    const onError = (e: unknown) => options.onError(e instanceof Error ? e : new Error(String(e)));
    this.watcher = watchFile(this.spec.file, () => void this.refresh().catch(onError), options);
    // a change between open() and now came before the watch's baseline
    void this.refresh().catch(onError);
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** `listener` hears each change another process made, as the value before and after. */
  onOutsideChange(listener: (change: OutsideChange<T>) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** `listener` hears each unusable file found after open() (kept aside, as at start). */
  onProblem(listener: (problem: StoreProblem) => void): () => void {
    this.problemListeners.add(listener);
    return () => this.problemListeners.delete(listener);
  }

  private async takeIn(state: DiskState<T>, writeBack: boolean): Promise<void> {
    if (state.kind === 'same') return;
    if (state.kind === 'value') {
      const before = this.value;
      this.value = state.value;
      this.text = state.text;
      if (!sameContent(before, state.value)) {
        for (const listener of [...this.changeListeners]) listener({ before, after: state.value });
      }
      return;
    }
    const problem = await moveAside(this.spec.file, state.message);
    const hadFile = this.text !== null;
    this.text = null;
    for (const listener of [...this.problemListeners]) listener(problem);
    if (writeBack && hadFile) await this.write(this.value);
  }

  private async write(value: T): Promise<void> {
    const text = serializeVersioned(this.spec.version, this.spec.body(value));
    await writeFileAtomic(this.spec.file, text);
    this.value = value;
    this.text = text;
  }

  /** Like readDisk, but an unusable file gets a moment to become whole (an editor saving in place). */
  private async readSettled(): Promise<DiskState<T>> {
    let state = await this.readDisk();
    for (let round = 0; state.kind === 'unusable' && round < SETTLE_ROUNDS; round++) {
      await new Promise((resolve) => setTimeout(resolve, this.spec.settleMs ?? DEFAULT_SETTLE_MS));
      const again = await this.readDisk();
      if (again.kind === 'unusable' && again.text === state.text) return again;
      state = again;
    }
    return state;
  }

  private async readDisk(): Promise<DiskState<T>> {
    let text: string | null;
    try {
      text = await fs.readFile(this.spec.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { kind: 'unusable', message: `Cannot read the file: ${(e as Error).message}`, text: '' };
      text = null;
    }
    if (text === this.text) return { kind: 'same' };
    if (text === null) return { kind: 'value', value: this.spec.empty(), text: null };
    const verdict = checkVersionedText(text, this.spec);
    if (typeof verdict === 'string') return { kind: 'unusable', message: verdict, text };
    return { kind: 'value', value: verdict, text };
  }
}

/** What a store needs to follow its file: the watch's timing, and where failures and unusable files go. */
export type ProfileWatchOptions = FileWatchOptions & { onError(error: Error): void; onProblem(problem: StoreProblem): void };

/** The part every store of a profile file shares: where it is, what was wrong at open, following it. */
export abstract class ProfileFileStore<T> {
  protected constructor(protected readonly doc: ProfileFile<T>) {}

  get file(): string {
    return this.doc.file;
  }

  get problem(): StoreProblem | undefined {
    return this.doc.problem;
  }

  /** Stops following the file. */
  close(): void {
    this.doc.close();
  }

  /** Reads the file now (instead of waiting for the watch) and takes in what another process changed. */
  refresh(): Promise<void> {
    return this.doc.refresh();
  }

  protected follow(listener: (change: OutsideChange<T>) => void, options: ProfileWatchOptions): void {
    this.doc.onOutsideChange(listener);
    this.doc.onProblem(options.onProblem);
    this.doc.watch(options);
  }
}
