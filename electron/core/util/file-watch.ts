// Tells when a file was changed, by this process or any other: fs.watch on its folder
// (a file replaced by an atomic rename is a new inode, so the folder is what to watch),
// debounced, plus a periodic stat as the fallback for file systems that miss events
// (network home folders, some containers). A change is reported once its stat
// signature (inode, size, times) differs from the last one reported.

import { promises as fs, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface FileWatchOptions {
  /** quiet time after the last event before the change is reported */
  debounceMs?: number;
  /** how often the file is stat'ed whether or not an event came */
  pollMs?: number;
  /** false: poll only, as on a file system that sends no events (default true) */
  useEvents?: boolean;
  /** a failure of the watch itself (the file's changes are still polled) */
  onError?(error: Error): void;
}

export interface FileWatch {
  /** checks now instead of waiting for an event or the next poll */
  check(): void;
  close(): void;
}

export const DEFAULT_DEBOUNCE_MS = 150;
export const DEFAULT_POLL_MS = 2_000;

/**
 * Calls `onChange` after `file` was created, replaced, changed or removed. The
 * watch keeps no process alive (no persistent handle, unref'd timers).
 */
export function watchFile(file: string, onChange: () => void, options: FileWatchOptions = {}): FileWatch {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let closed = false;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;
  let recheck = false;
  let reported: string | undefined;

  const compare = async () => {
    const now = await signature(file);
    if (closed || now === reported) return;
    reported = now;
    onChange();
  };
  const runCheck = () => {
    if (checking) {
      recheck = true;
      return;
    }
    checking = compare()
      .catch((e: unknown) => options.onError?.(e instanceof Error ? e : new Error(String(e))))
      .finally(() => {
        checking = undefined;
        if (recheck && !closed) {
          recheck = false;
          runCheck();
        }
      });
  };
  const schedule = () => {
    if (closed) return;
    clearTimeout(debounce);
    debounce = setTimeout(runCheck, debounceMs);
    debounce.unref();
  };
  const startWatcher = () => {
    if (watcher || closed || options.useEvents === false) return;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        // some platforms do not name the file: any event in the folder may be ours
        if (name === null || name === base) schedule();
      });
      watcher.on('error', (e) => {
        // e.g. the folder was removed: polling goes on and watches again once it is back
        watcher?.close();
        watcher = undefined;
        options.onError?.(e);
      });
    } catch (e) {
      // the folder does not exist (yet) or cannot be watched: the poll covers it
      watcher = undefined;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') options.onError?.(e as Error);
    }
  };

  const poll = setInterval(() => {
    startWatcher();
    runCheck();
  }, options.pollMs ?? DEFAULT_POLL_MS);
  poll.unref();
  // the state at the start is the baseline, not a change
  void signature(file).then(
    (s) => {
      reported ??= s;
    },
    (e: unknown) => options.onError?.(e as Error),
  );
  startWatcher();

  return {
    check: runCheck,
    close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(debounce);
      watcher?.close();
      watcher = undefined;
    },
  };
}

/** What identifies one version of a file without reading it; 'absent' when there is none. */
export async function signature(file: string): Promise<string> {
  try {
    const s = await fs.stat(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
}
