// Small timing helpers shared by the providers' reconnect and polling loops.

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The wait before retry number `attempt` (1, 2, …): "full jitter" — anywhere between 0 and
 * the capped exponential delay (firstMs, 2×, 4×, … up to capMs). After one outage that cut
 * many servers at once, their retries spread over the whole window instead of arriving in
 * waves (±20 % around the same delay still lands a fleet's retries within a few ms of each
 * other at every step).
 */
export function fullJitter(attempt: number, firstMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, firstMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(random() * ceiling);
}
