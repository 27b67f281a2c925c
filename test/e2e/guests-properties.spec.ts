// The Properties dialog and the Memory tab (issue 14) against Acme Lab, a provider
// defined in test code whose in-memory server enforces the memory rules
// (test/fixtures/fake-guests-*.ts): on a running VM the static limits are greyed with
// the reason, vCPUs are marked "applies at next boot" and the user is told after
// saving; the dynamic range slider keeps its order and an out-of-order typed range
// blocks Save; the server's refusal (MEMORY_CONSTRAINT_VIOLATION for one VM of a
// multi-VM Set memory) is shown in words with its code and changes nothing on that VM;
// a stale edit is refused and Reload reads the server's values. Every change is read
// back from the lab's own state. Screenshots in English and Chinese (dark).
import { expect, test, type Page } from '@playwright/test';
import { acmeLab, labConfigure } from '../fixtures/fake-guests-lab';
import { nodeRow, taskRow } from './app-driver';
import { shot, type Stack } from './fixtures';
import { openProperties, propertiesDialog, setTheme, startLab } from './guests-driver';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const GiB = 1024 ** 3;
let stack: Stack;
let page: Page;
let labId: string;

const labVm = (ref: string) => acmeLab.state.vms.get(ref)!;

test.beforeAll(async ({ browser }) => {
  ({ stack, page, labId } = await startLab(browser));
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
});

test('a running VM: static limits greyed with the reason, the dynamic range live, vCPUs at next boot', async () => {
  await openProperties(page, nodeRow(page, labId, 'web-1'));
  const dialog = propertiesDialog(page);
  await page.getByTestId('props-description').fill('front end');
  await page.getByTestId('props-tags').fill('web, prod');
  await page.getByTestId('props-section-cpu').click();
  await expect(page.getByTestId('field-props-vcpus')).toContainText('Up to 4 without a restart.');
  await expect(page.getByTestId('next-boot-props-vcpus')).toHaveText('(applies at next boot)');
  await page.getByTestId('props-vcpus').fill('3');

  await page.getByTestId('props-section-memory').click();
  await expect(page.getByTestId('memory-slider')).toBeVisible();
  await expect(page.getByTestId('memory-actual-text')).toHaveText('Now allocated: 4 GiB');
  await expect(page.getByTestId('props-staticMax')).toBeDisabled();
  await expect(page.getByTestId('disabled-props-staticMax')).toHaveText('Only while the guest is shut down.');
  await expect(page.getByTestId('mem-thumb-staticMax')).toBeDisabled();
  await expect(page.getByTestId('field-props-staticMax')).toContainText('Static maximum');
  // a typed range out of order is shown and blocks Save
  await page.getByTestId('props-dynamicMin').fill('5GiB');
  await expect(page.getByTestId('problem-props-memory')).toHaveText('The dynamic minimum is above the dynamic maximum.');
  await expect(page.getByTestId('props-save')).toBeDisabled();
  // the slider's thumb stops at its neighbour: it cannot pass the dynamic maximum
  await page.getByTestId('props-dynamicMin').fill('3GiB');
  await page.getByTestId('mem-thumb-dynamicMin').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('props-dynamicMin')).toHaveValue('4GiB');
  await page.getByTestId('props-dynamicMin').fill('3GiB');
  await expect(page.getByTestId('props-save')).toBeEnabled();
  await shot(page, 'guests-properties-memory');

  await page.getByTestId('props-save').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notice').last()).toContainText('vCPUs applies at the next boot');
  expect(labVm('web-1')).toMatchObject({ description: 'front end', tags: ['web', 'prod'], vcpus: 3 });
  expect(labVm('web-1').memory).toMatchObject({ dynamicMin: 3 * GiB, dynamicMax: 4 * GiB, staticMax: 4 * GiB });
});

test('a halted VM: the static maximum with the dynamic range, CD inserted and ejected, boot order', async () => {
  await openProperties(page, nodeRow(page, labId, 'build-1'));
  await page.getByTestId('props-section-memory').click();
  await expect(page.getByTestId('props-staticMax')).toBeEnabled();
  await page.getByTestId('props-staticMax').fill('3GiB');
  await page.getByTestId('props-dynamicMax').fill('3GiB');
  await page.getByTestId('props-section-cd').click();
  await page.getByTestId('props-cd').selectOption('iso-debian');
  await page.getByTestId('props-section-boot').click();
  await page.getByTestId('props-boot-order').locator('li[data-device=cd] button').first().click();
  await page.getByTestId('props-save').click();
  await expect(propertiesDialog(page)).toBeHidden();
  expect(labVm('build-1').memory).toMatchObject({ dynamicMin: 1 * GiB, dynamicMax: 3 * GiB, staticMax: 3 * GiB });
  expect(labVm('build-1')).toMatchObject({ iso: 'iso-debian', bootOrder: ['cd', 'disk', 'network'] });

  await openProperties(page, nodeRow(page, labId, 'build-1'));
  await page.getByTestId('props-section-cd').click();
  await page.getByTestId('props-eject').click();
  await page.getByTestId('props-save').click();
  await expect(propertiesDialog(page)).toBeHidden();
  expect(labVm('build-1').iso).toBeNull();
});

test('a stale edit is refused by the server; Reload reads its values', async () => {
  await openProperties(page, nodeRow(page, labId, 'db-1'));
  // someone else changes db-1 on the server after the dialog read it
  labConfigure('db-1', { description: 'changed elsewhere' });
  await page.getByTestId('props-description').fill('mine');
  await page.getByTestId('props-save').click();
  const refusal = page.getByTestId('guest-refusal');
  await expect(refusal).toHaveAttribute('data-code', 'CONFLICT');
  await expect(refusal).toContainText('The configuration changed since it was read');
  expect(labVm('db-1').description).toBe('changed elsewhere');
  await page.getByTestId('guest-reload').click();
  await expect(page.getByTestId('props-description')).toHaveValue('changed elsewhere');
  await page.getByTestId('props-cancel').click();
  await expect(propertiesDialog(page)).toBeHidden();
});

test('Memory tab: the host and each VM’s range; Set memory on two VMs, one refused with MEMORY_CONSTRAINT_VIOLATION in words', async () => {
  await nodeRow(page, labId, 'Acme Lab pool').click();
  await page.getByTestId('tab-memory').click();
  const tab = page.getByTestId('memory-tab');
  await expect(tab.locator('[data-testid=memory-host][data-host=lab-h1] [data-testid=memory-host-summary]')).toContainText('of 32 GiB');
  const row = (name: string) => tab.locator(`[data-testid=memory-guest][data-guest="${name}"]`);
  await expect(row('web-1').getByTestId('memory-guest-range')).toHaveText('3 GiB – 4 GiB · now 4 GiB');
  await expect(row('db-1').getByTestId('memory-guest-range')).toHaveText('4 GiB – 8 GiB · now 8 GiB');
  await row('web-1').getByTestId('memory-tick').check();
  await row('db-1').getByTestId('memory-tick').check();
  await shot(page, 'guests-memory-tab');
  await page.getByTestId('memory-set').click();
  const dialog = page.getByTestId('set-memory-dialog');
  await page.getByTestId('set-memory-min').fill('6GiB');
  await page.getByTestId('set-memory-max').fill('2GiB');
  await page.getByTestId('set-memory-ok').click();
  await expect(page.getByTestId('problem-set-memory-max')).toHaveText('The dynamic minimum is above the dynamic maximum.');
  await page.getByTestId('set-memory-min').fill('2GiB');
  await page.getByTestId('set-memory-max').fill('6GiB');
  await page.getByTestId('set-memory-ok').click();
  const outcome = (name: string) => dialog.locator(`[data-testid=set-memory-outcome][data-guest="${name}"]`);
  await expect(outcome('db-1')).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
  await expect(outcome('web-1')).toHaveAttribute('data-status', 'failure');
  await expect(outcome('web-1').getByTestId('guest-refusal')).toHaveAttribute('data-code', 'MEMORY_CONSTRAINT_VIOLATION');
  await expect(outcome('web-1').getByTestId('guest-refusal-words')).toContainText('The memory range is out of order');
  await shot(page, 'guests-set-memory-outcome');
  // the server's own view: db-1 took the range, web-1 kept its own
  expect(labVm('db-1').memory).toMatchObject({ dynamicMin: 2 * GiB, dynamicMax: 6 * GiB, actual: 6 * GiB });
  expect(labVm('web-1').memory).toMatchObject({ dynamicMin: 3 * GiB, dynamicMax: 4 * GiB });
  // the task history says it in words too
  await expect(taskRow(page, 'configure').filter({ hasText: 'web-1' }).getByTestId('task-error')).toContainText('The memory range is out of order');
  await page.getByTestId('set-memory-ok').click();
  await expect(dialog).toBeHidden();
  await expect(row('db-1').getByTestId('memory-guest-range')).toHaveText('2 GiB – 6 GiB · now 6 GiB');
});

test('in Chinese with the dark theme: the memory slider and the Memory tab', async () => {
  await setLanguage(stack, page, 'zh-CN');
  await setTheme(page, 'dark');
  await expect(page.getByTestId('tab-memory')).toHaveText('内存');
  await shot(page, 'guests-memory-tab-zh-dark');
  await openProperties(page, nodeRow(page, labId, 'web-1'));
  await page.getByTestId('props-section-memory').click();
  await expect(page.getByTestId('disabled-props-staticMax')).toHaveText('仅在客户机关闭时可更改。');
  await expect(page.getByTestId('field-props-staticMax')).toContainText('静态最大值');
  await shot(page, 'guests-properties-memory-zh-dark');
  await page.getByTestId('props-cancel').click();
  await expect(propertiesDialog(page)).toBeHidden();
  await setTheme(page, 'system');
  await setLanguage(stack, page, 'en');
});
