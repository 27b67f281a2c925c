// Long work on the core's event loop (a 10,000-VM pool's first load: mapping every record,
// applying every node) done in bounded slices: the work is a generator that yields between
// small units, and runs until a slice's time is up, then gives every other server's sockets,
// timers and IPC a turn (setImmediate) before it goes on.

/** How long one slice may hold the event loop (the core's goal is a p99 delay ≤ 50 ms). */
export const SLICE_MS = 12;

/** Runs `steps` until it is done (true) or `deadline` (a performance.now() time) has passed (false). */
export function stepUntil(steps: Iterator<unknown>, deadline: number): boolean {
  for (;;) {
    if (steps.next().done) return true;
    if (performance.now() >= deadline) return false;
  }
}

/** Runs `steps` to the end synchronously (someone needs the result now). */
export function stepToEnd(steps: Iterator<unknown>): void {
  while (!steps.next().done);
}

/** A turn of the event loop: I/O and timers waiting now run before this resolves. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `steps` to the end in slices of about `sliceMs`, a turn of the event loop between them. */
export async function runInSlices(steps: Iterator<unknown>, sliceMs = SLICE_MS): Promise<void> {
  while (!stepUntil(steps, performance.now() + sliceMs)) await nextTurn();
}

/** Calls `each` on every item, yielding after every `unit` of them: a slice reads the clock once per unit, not per item. */
export function* inUnits<T>(items: Iterable<T>, unit: number, each: (item: T) => void): Generator<void> {
  let n = 0;
  for (const item of items) {
    each(item);
    if (++n === unit) {
      n = 0;
      yield;
    }
  }
}
