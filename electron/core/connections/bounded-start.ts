// Starts many connection attempts with a bounded number in flight, in the order
// given. A slot is given back when its attempt settles, or after `slotMs` even if it
// has not: the attempt goes on, but a slow or dead server holds up the queue behind
// it for at most that long (a black-holed address would otherwise keep its slot
// until the request's own idle timeout, a minute).
// How many at once: the connectAtOnce setting, DEFAULT_CONNECT_AT_ONCE (shared/connect-defaults.ts)
// when unset, where the fleet bench's measurement is.

export interface BoundedStartOptions {
  /** attempts in flight at once (at least 1) */
  limit: number;
  /** how long one attempt may hold its slot (default 10 s) */
  slotMs?: number;
}

/** Runs `start` for each item; resolves when every attempt has settled (failures are the attempts' own business). */
export async function startBounded<T>(items: readonly T[], start: (item: T) => Promise<unknown>, opts: BoundedStartOptions): Promise<void> {
  const limit = Math.max(1, Math.floor(opts.limit));
  const slotMs = opts.slotMs ?? 10_000;
  const attempts: Array<Promise<unknown>> = [];
  let next = 0;
  await new Promise<void>((allStarted) => {
    let free = limit;
    const fill = () => {
      while (free > 0 && next < items.length) {
        free--;
        const attempt = Promise.resolve().then(() => start(items[next++]));
        attempts.push(attempt);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          clearTimeout(timer);
          free++;
          fill();
        };
        const timer = setTimeout(release, slotMs);
        timer.unref?.();
        attempt.then(release, release);
      }
      if (next >= items.length) allStarted();
    };
    fill();
  });
  await Promise.allSettled(attempts);
}
