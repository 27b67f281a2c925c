// Drives the app the way a user does, for the cross-hypervisor specs: adding a
// server of any type through the dialog (trusting its certificate), finding a
// guest in the tree, and the Snapshots tab with its task rows.
import { expect, type Locator, type Page } from '@playwright/test';
import type { HypervisorType } from '../../shared/model';
import type { Stack } from './fixtures';

export interface ServerForm {
  type: HypervisorType;
  name: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  /** Proxmox VE */
  realm?: string;
  /** Docker over a unix socket */
  socketPath?: string;
  /** the certificate the dialog must show before it is trusted (none: no certificate dialog) */
  fingerprint256?: string;
}

export const serverRow = (page: Page, name: string) => page.locator(`[role=treeitem][data-kind=server][aria-label="${name}"]`);

/** Adds a server through the Add server dialog, trusts its certificate if asked, and waits until it is connected. */
export async function addServer(page: Page, form: ServerForm): Promise<void> {
  await page.getByTestId('tb-add-server').click();
  await page.getByTestId('add-server-type').selectOption(form.type);
  await page.getByTestId('add-server-name').fill(form.name);
  if (form.socketPath) {
    await page.getByTestId('add-server-connection-socket').check();
    await page.getByTestId('add-server-socketPath').fill(form.socketPath);
  } else {
    await page.getByTestId('add-server-host').fill(form.host ?? '');
    await page.getByTestId('add-server-port').fill(String(form.port));
  }
  if (form.user !== undefined) await page.getByTestId('add-server-username').fill(form.user);
  if (form.realm !== undefined) await page.getByTestId('add-server-realm').fill(form.realm);
  if (form.password !== undefined) await page.getByTestId('add-server-password').fill(form.password);
  await page.getByTestId('add-server-submit').click();
  await expect(page.getByTestId('add-server-dialog')).toBeHidden();
  if (form.fingerprint256) {
    await expect(page.getByTestId('certificate-dialog')).toBeVisible();
    await expect(page.getByTestId('cert-fingerprint')).toHaveText(form.fingerprint256);
    await expect(page.getByTestId('cert-intro')).toContainText(`${form.host}:${form.port}`);
    await page.getByTestId('cert-accept').click();
  }
  await expect(serverRow(page, form.name)).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
}

export async function serverIdOf(stack: Stack, name: string): Promise<string> {
  const server = (await stack.core.invoke('servers:list')).find((s) => s.name === name);
  if (!server) throw new Error(`no saved server named ${name}`);
  return server.id;
}

/** The tree row of a node of one server, by name. */
export function nodeRow(page: Page, serverId: string, name: string): Locator {
  return page.locator(`[role=treeitem][aria-label="${name}"][data-key^="${serverId}:"]`);
}

export async function search(page: Page, text: string): Promise<void> {
  await page.getByTestId('tree-search').fill(text);
}

/** Finds the node by search, selects it and opens its Snapshots tab. */
export async function openSnapshots(page: Page, serverId: string, name: string): Promise<void> {
  await search(page, name);
  await nodeRow(page, serverId, name).click();
  await expect(page.getByTestId('details-title')).toHaveText(name);
  await page.getByTestId('tab-snapshots').click();
  await expect(page.getByTestId('snapshot-tree')).toBeVisible();
}

export const snapshotRow = (page: Page, name: string) => page.locator(`[data-testid=snapshot-row][aria-label="${name}"]`);

/** The Snapshots tab as text lines: "  name" per snapshot (two spaces per level), "  @" for "you are here". */
export async function snapshotOutline(page: Page): Promise<string[]> {
  return page.getByTestId('snapshot-tree').evaluate((tree) =>
    [...tree.querySelectorAll<HTMLElement>('[role=treeitem]')].map((li) => {
      const depth = Number(li.getAttribute('aria-level') ?? '1') - 1;
      const label = li.dataset.testid === 'snapshot-here' ? '@' : (li.getAttribute('aria-label') ?? '');
      return `${'  '.repeat(depth)}${label}`;
    }),
  );
}

/** Clears finished tasks so that the next task is the only row of its action. */
export async function clearTasks(page: Page): Promise<void> {
  const clear = page.getByTestId('tasks-clear');
  if (await clear.isEnabled()) await clear.click();
  await expect(page.locator('[data-testid=task-row][data-status=success], [data-testid=task-row][data-status=failure]')).toHaveCount(0);
}

export const taskRow = (page: Page, action: string) => page.locator(`[data-testid=task-row][data-action="${action}"]`);

/** Waits for the task of this action to succeed (after it was seen in the panel), and returns its row. */
export async function expectTaskSucceeds(page: Page, action: string, target: string): Promise<Locator> {
  const row = taskRow(page, action).filter({ hasText: target });
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
  await expect(row.getByTestId('task-progress')).toHaveAttribute('aria-valuenow', '100');
  return row;
}

/** Takes a snapshot from the Snapshots tab's dialog. */
export async function takeSnapshot(page: Page, opts: { name: string; description?: string; memory?: boolean }): Promise<void> {
  await page.getByTestId(opts.memory ? 'snap-take-memory' : 'snap-take').click();
  await expect(page.getByTestId('snapshot-create-dialog')).toBeVisible();
  await page.getByTestId('snapshot-name').fill(opts.name);
  if (opts.description !== undefined) await page.getByTestId('snapshot-description').fill(opts.description);
  await page.getByTestId('snapshot-create-ok').click();
  await expect(page.getByTestId('snapshot-create-dialog')).toBeHidden();
}

/** Selects a snapshot and reverts to it, checking the confirmation names it; returns the confirmation text. */
export async function revertTo(page: Page, name: string): Promise<string> {
  await snapshotRow(page, name).click();
  await page.getByTestId('snap-revert').click();
  const confirm = page.getByTestId('confirm-dialog');
  await expect(confirm).toContainText(name);
  const text = (await confirm.textContent()) ?? '';
  await page.getByTestId('confirm-ok').click();
  await expect(confirm).toBeHidden();
  return text;
}

export async function deleteSnapshot(page: Page, name: string): Promise<void> {
  await snapshotRow(page, name).click();
  await page.getByTestId('snap-delete').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText(name);
  await page.getByTestId('confirm-ok').click();
}
