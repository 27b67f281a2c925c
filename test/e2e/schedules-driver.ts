// Drives the Scheduled snapshots view and the policy wizard the way a user does.
import { expect, type Page } from '@playwright/test';
import type { Stack } from './fixtures';
import { shot } from './fixtures';

export const policyRow = (page: Page, name: string) => page.locator(`[data-testid=policy-row][data-name="${name}"]`);

export async function openSchedules(page: Page): Promise<void> {
  await page.getByTestId('tb-scheduled-snapshots').click();
  await expect(page.getByTestId('schedules-view')).toBeVisible();
}

export async function closeHistory(page: Page): Promise<void> {
  const dialog = page.getByTestId('policy-history-dialog');
  await dialog.locator('.dialog-footer button').click();
  await expect(dialog).toBeHidden();
}

/** Switches the UI's language through the settings (as the Settings dialog does) and waits for the page to follow. */
export async function setLanguage(stack: Stack, page: Page, language: 'en' | 'zh-CN'): Promise<void> {
  await stack.core.invoke('settings:set', { language });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

export interface WizardInput {
  name: string;
  description?: string;
  /** members already chosen when the wizard opens */
  expectMembers?: string[];
  /** members to pick by searching for their names */
  pick?: string[];
  /** what the members page says about who runs it */
  runner: RegExp;
  every: 'hourly' | 'daily' | 'weekly';
  minute: number;
  /** what the schedule page says about the time zone */
  zone: RegExp;
  /** a number over the limit first: the field's error, and Next stays on the page */
  tooMany?: { retain: number; message: string };
  retain: number;
  /** screenshot the schedule page under this name, in English and Chinese */
  screenshot?: { name: string; stack: Stack };
}

/** New policy → name, members, type (disk), schedule, retention → Finish; waits for its row in the list. */
export async function createPolicyInWizard(page: Page, input: WizardInput): Promise<void> {
  await page.getByTestId('policy-new-policy').click();
  const wizard = page.getByTestId('policy-wizard');
  await expect(wizard).toBeVisible();
  await page.getByTestId('policy-name').fill(input.name);
  if (input.description) await page.getByTestId('policy-description').fill(input.description);
  await page.getByTestId('wizard-next').click();

  await expect(page.getByTestId('wizard-page-members')).toBeVisible();
  for (const name of input.expectMembers ?? []) await expect(page.locator(`[data-testid=policy-member][data-name="${name}"]`)).toBeChecked();
  for (const name of input.pick ?? []) {
    await page.getByTestId('policy-member-search').fill(name);
    await page.locator(`[data-testid=policy-member][data-name="${name}"]`).check();
  }
  await page.getByTestId('policy-member-search').fill('');
  const count = (input.expectMembers?.length ?? 0) + (input.pick?.length ?? 0);
  await expect(page.getByTestId('policy-member-count')).toHaveText(`Chosen: ${count}`);
  await expect(page.getByTestId('policy-runner-note')).toHaveText(input.runner);
  await page.getByTestId('wizard-next').click();

  await expect(page.getByTestId('policy-type-disk')).toBeChecked();
  await page.getByTestId('wizard-next').click();

  await page.getByTestId(`policy-every-${input.every}`).check();
  await page.getByTestId('policy-minute').selectOption(String(input.minute));
  await expect(page.getByTestId('policy-zone')).toHaveText(input.zone);
  if (input.tooMany) {
    await page.getByTestId('policy-retain').fill(String(input.tooMany.retain));
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('policy-retain-error')).toHaveText(input.tooMany.message);
    await expect(page.getByTestId('wizard-page-schedule')).toBeVisible();
  }
  await page.getByTestId('policy-retain').fill(String(input.retain));
  if (input.screenshot) {
    await shot(page, input.screenshot.name);
    await setLanguage(input.screenshot.stack, page, 'zh-CN');
    await expect(page.getByTestId('wizard-step-schedule')).toHaveText('计划');
    await shot(page, `${input.screenshot.name}-zh`);
    await setLanguage(input.screenshot.stack, page, 'en');
  }
  await page.getByTestId('wizard-next').click();

  await expect(page.getByTestId('policy-summary').locator('[data-prop=name]')).toHaveText(input.name);
  await expect(page.getByTestId('policy-summary').locator('[data-prop=keep]')).toHaveText(String(input.retain));
  await page.getByTestId('wizard-finish').click();
  await expect(wizard).toBeHidden({ timeout: 30_000 });
  await expect(policyRow(page, input.name)).toBeVisible();
}
