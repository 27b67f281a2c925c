// In the page before the app (a string, not a function: tsx's keepNames would put `__name`
// calls into a serialized function, which the page does not have). Times are wall-clock ms
// (performance.timeOrigin + now), comparable with the simulators' own clocks on this machine.
//   firstRowAt / firstGuestAt: the frame the tree first shows a row / a guest row;
//   longTasks: every main-thread task over 50 ms (PerformanceObserver 'longtask');
//   watch(key, state): the frame a tree row with data-key `key` first shows data-state `state`, in seen[key].
import type { Page } from 'playwright-core';

export const WATCH_PAGE = `(() => {
  const wall = () => performance.timeOrigin + performance.now();
  const marks = { firstRowAt: 0, firstGuestAt: 0, longTasks: [], seen: {}, watching: {} };
  window.__fleet = marks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) marks.longTasks.push({ at: performance.timeOrigin + e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const firstRows = () => {
    if (!marks.firstRowAt && document.querySelector('[role=treeitem]')) marks.firstRowAt = wall();
    if (!marks.firstGuestAt && document.querySelector('[role=treeitem][data-kind=vm],[role=treeitem][data-kind=container]')) marks.firstGuestAt = wall();
    if (!marks.firstGuestAt) requestAnimationFrame(firstRows);
  };
  requestAnimationFrame(firstRows);
  const check = () => {
    for (const key of Object.keys(marks.watching)) {
      const row = document.querySelector('[role=treeitem][data-key="' + CSS.escape(key) + '"]');
      if (row && row.getAttribute('data-state') === marks.watching[key]) {
        delete marks.watching[key];
        requestAnimationFrame(() => { marks.seen[key] = wall(); });
      }
    }
  };
  marks.watch = (key, state) => { delete marks.seen[key]; marks.watching[key] = state; check(); };
  const start = () => new MutationObserver(() => { if (Object.keys(marks.watching).length) check(); })
    .observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'data-key'] });
  if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
})()`;

export interface PageMarks {
  firstRowAt: number;
  firstGuestAt: number;
  longTasks: Array<{ at: number; ms: number }>;
}

export function pageMarks(page: Page): Promise<PageMarks> {
  return page.evaluate(() => {
    const m = (window as unknown as { __fleet: PageMarks }).__fleet;
    return { firstRowAt: m.firstRowAt, firstGuestAt: m.firstGuestAt, longTasks: m.longTasks };
  });
}

/** The guest rows on screen now: their tree keys and states. */
export function visibleGuestRows(page: Page): Promise<Array<{ key: string; state: string }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[role=treeitem][data-kind=vm]')].map((row) => ({ key: row.dataset.key ?? '', state: row.dataset.state ?? '' })),
  );
}

/** Starts watching a row for a state; then `seenAt` waits for the frame that shows it. */
export function watchRow(page: Page, key: string, state: string): Promise<void> {
  return page.evaluate(([k, s]) => (window as unknown as { __fleet: { watch(k: string, s: string): void } }).__fleet.watch(k!, s!), [key, state]);
}

/** The frame that showed the watched state, or null when it did not show within `timeoutMs`. */
export async function seenAt(page: Page, key: string, timeoutMs: number): Promise<number | null> {
  try {
    const handle = await page.waitForFunction((k) => (window as unknown as { __fleet: { seen: Record<string, number> } }).__fleet.seen[k], key, { timeout: timeoutMs, polling: 'raf' });
    return (await handle.jsonValue()) as number;
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return null;
    throw err;
  }
}
