// Drives issue 13's user side: dragging VMs onto hosts in the tree (a real HTML5 drag
// through the mouse), the Migrate… and Evacuate… dialogs, the host commands from the
// context menu, and the tasks panel's child rows under their parent.
import { expect, type Locator, type Page } from '@playwright/test';
import { readTree, rowPaths } from './tree-reader';

/** The hint the tree shows over a host while VMs are dragged over it. */
export const dropHint = (page: Page, hostName: string) => page.locator(`[data-testid=drop-ok][data-host="${hostName}"], [data-testid=drop-reason][data-host="${hostName}"]`);

async function point(target: Locator): Promise<{ x: number; y: number }> {
  const box = await target.boundingBox();
  if (!box) throw new Error('the row is not on screen');
  return { x: box.x + Math.min(box.width / 3, 140), y: box.y + box.height / 2 };
}

/**
 * Starts dragging `vm` and holds it over `host` until the tree has the server's answer
 * for that host; returns the hint (drop-ok or drop-reason). The mouse stays down.
 */
export async function dragOver(page: Page, vm: Locator, host: Locator): Promise<Locator> {
  const from = await point(vm);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  // one move past the drag threshold starts the drag; the next moves are drag events
  await page.mouse.move(from.x + 10, from.y + 6);
  await expect(page.getByTestId('tree')).toHaveAttribute('data-dragging', 'true');
  const to = await point(host);
  const name = (await host.getAttribute('aria-label')) ?? '';
  const hint = dropHint(page, name);
  // the answer may come after a move: the next dragover decides with it
  await expect(async () => {
    await page.mouse.move(to.x + Math.round(Math.random() * 4), to.y);
    await expect(hint).toBeVisible({ timeout: 1_000 });
    await expect(hint.locator('.drop-hint-text')).not.toHaveText(/Asking the server|正在询问/, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.mouse.move(to.x + 5, to.y);
  return hint;
}

/** Lets go of the mouse where it is (a drop, if the row under it accepts). */
export async function release(page: Page): Promise<void> {
  await page.mouse.up();
  await expect(page.locator('[data-testid=drop-ok], [data-testid=drop-reason]')).toHaveCount(0);
}

/** Each row of the tree as its path of names ("server/pool/host/vm"). */
export async function treePaths(page: Page): Promise<string[]> {
  return rowPaths(await readTree(page));
}

/** Waits until the tree shows `vm` under `host` (a path ending host/vm; of `server` when given). */
export async function expectUnder(page: Page, host: string, vm: string, server?: string): Promise<void> {
  const here = (p: string) => p.endsWith(`/${host}/${vm}`) && (server === undefined || p.startsWith(`${server}/`));
  await expect.poll(async () => (await treePaths(page)).some(here), { timeout: 30_000, message: `${vm} under ${host} in the tree` }).toBe(true);
}

/** Runs a command from a row's context menu (menu-<command id>). */
export async function fromContextMenu(page: Page, row: Locator, commandId: string): Promise<void> {
  await row.click({ button: 'right' });
  await page.getByTestId(`menu-${commandId}`).click();
}

/** Enters or exits maintenance mode on a host from its context menu, confirming where asked. */
export async function maintenance(page: Page, host: Locator, direction: 'enter' | 'exit'): Promise<void> {
  await fromContextMenu(page, host, `maintenance-${direction}`);
  if (direction === 'enter') {
    await expect(page.getByTestId('confirm-dialog')).toBeVisible();
    await page.getByTestId('confirm-ok').click();
  }
}

/** The task rows whose parent is the (only) task of `action` on `target`. */
export async function childRows(page: Page, action: string, target: string): Promise<Locator> {
  const parent = page.locator(`[data-testid=task-row][data-action="${action}"]`).filter({ hasText: target });
  await expect(parent).toHaveCount(1);
  return page.locator('[data-testid=task-row].child');
}
