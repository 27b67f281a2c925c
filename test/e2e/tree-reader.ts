// Reads the virtualized Infrastructure tree the way a user would: by scrolling it
// from top to bottom and collecting every row that gets rendered.
import type { Page } from '@playwright/test';

export interface ReadRow {
  index: number;
  level: number;
  name: string;
  kind: string;
  state: string;
}

export async function readTree(page: Page): Promise<ReadRow[]> {
  return page.getByTestId('tree').evaluate(async (scroller: HTMLElement) => {
    const seen = new Map<number, { index: number; level: number; name: string; kind: string; state: string }>();
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    scroller.scrollTop = 0;
    await frame();
    for (;;) {
      for (const el of scroller.querySelectorAll<HTMLElement>('[role=treeitem]')) {
        const index = Number(el.id.replace('tree-row-', ''));
        seen.set(index, {
          index,
          level: Number(el.getAttribute('aria-level')),
          name: el.getAttribute('aria-label') ?? '',
          kind: el.dataset.kind ?? '',
          state: el.dataset.state ?? '',
        });
      }
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
      scroller.scrollTop += Math.max(40, scroller.clientHeight - 40);
      await frame();
    }
    scroller.scrollTop = 0;
    return [...seen.values()].sort((a, b) => a.index - b.index);
  });
}

/** Each row as the path of names from its root: "server/pool/host/vm". */
export function rowPaths(rows: ReadRow[]): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const row of rows) {
    stack.length = row.level - 1;
    stack.push(row.name);
    out.push(stack.join('/'));
  }
  return out;
}
