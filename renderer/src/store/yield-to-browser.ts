// Gives the browser a turn (input, frames, the next WebSocket message) between slices of
// a long job: scheduler.yield() where the browser has it, else a MessageChannel message
// (a setTimeout(0) chain is clamped to 4 ms a turn after a few).
interface SchedulerWithYield {
  yield(): Promise<void>;
}

export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<SchedulerWithYield> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * A yield that gives the browser a turn only once `budgetMs` of work went by since the last
 * one (the clock starts now): each turn may cost a frame, which on a loaded machine took
 * 170–370 ms between the last inventory page's arrival and its first slice.
 */
export function yieldEvery(budgetMs: number, now: () => number = () => performance.now(), turn: () => Promise<void> = yieldToBrowser): () => Promise<void> {
  let since = now();
  return async () => {
    if (now() - since < budgetMs) return;
    await turn();
    since = now();
  };
}
