// Drives the guest dialogs (issue 14) the way a user does: the New VM wizard's pages,
// a guest's Properties dialog and the Memory tab.
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { builtinProviders } from '../../electron/core/providers/builtin';
import type { ProviderFactory } from '../../electron/core/providers/provider';
import type { HypervisorType } from '../../shared/model';
import { acmeLab, freshLab } from '../fixtures/fake-guests-lab';
import { LAB_PASSWORD, labProviderFactory } from '../fixtures/fake-guests-provider';
import { addServer, serverIdOf } from './app-driver';
import { openApp, startStack, type Stack } from './fixtures';

export const LAB = 'Acme Lab';

/** A fresh Acme Lab, the app with it (and `extra` providers), and the lab added as a server. */
export async function startLab(browser: Browser, extra: readonly ProviderFactory[] = []): Promise<{ stack: Stack; page: Page; labId: string }> {
  acmeLab.state = freshLab();
  const stack = await startStack({ providers: [...builtinProviders, ...extra, labProviderFactory] });
  const page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'acmelab' as HypervisorType, name: LAB, host: 'lab.example.test', port: 9444, user: 'ops', password: LAB_PASSWORD });
  return { stack, page, labId: await serverIdOf(stack, LAB) };
}

export const wizard = (page: Page): Locator => page.getByTestId('new-vm-wizard');

/** Next, and the wizard is on `step` afterwards. */
export async function nextTo(page: Page, step: string): Promise<void> {
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId(`wizard-page-${step}`)).toBeVisible();
}

/** Selects a tree row, opens its context menu and runs the command `id` from it (selected first: the tree scrolls to a newly selected row, and a scroll closes a menu). */
export async function fromMenu(page: Page, row: Locator, id: string): Promise<void> {
  await row.click();
  await row.click({ button: 'right' });
  await page.getByTestId(`menu-${id}`).click();
}

export const propertiesDialog = (page: Page): Locator => page.getByTestId('guest-properties-dialog');

/** Opens Edit properties… on a tree row and waits until the settings are read. */
export async function openProperties(page: Page, row: Locator): Promise<void> {
  await fromMenu(page, row, 'guest-properties');
  await expect(propertiesDialog(page)).toBeVisible();
  await expect(page.getByTestId('props-page-general').getByTestId('props-name')).toBeVisible();
}

export async function setTheme(page: Page, theme: 'dark' | 'system'): Promise<void> {
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-theme').selectOption(theme);
  await page.getByTestId('settings-close').click();
}
