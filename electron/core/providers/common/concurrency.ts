// Bounded concurrency and deadlines for provider calls.

/** Runs `fn` on every item with at most `limit` in flight; rejects with the first failure. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Like Promise.all over a mapping, with at most `limit` in flight. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  await forEachLimited(items, limit, async (item, i) => {
    out[i] = await fn(item, i);
  });
  return out;
}

/** Settles like `p`, or rejects with `onTimeout()` after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Like Promise.all over calls that share one abort signal: the first failure aborts the
 * others (their answers are of no use then, and a hostile server would otherwise be read
 * up to the size limit once per call still in flight) and is what rejects.
 */
export async function allOrNothing<R>(signal: AbortSignal | undefined, calls: ReadonlyArray<(signal: AbortSignal) => Promise<R>>): Promise<R[]> {
  const failed = new AbortController();
  const shared = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
  return Promise.all(
    calls.map((call) =>
      call(shared).catch((err: unknown) => {
        failed.abort(err);
        throw err;
      }),
    ),
  );
}
