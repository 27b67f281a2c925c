// The fifth provider proof (issue 10): a hypervisor family defined only in test code
// (test/fixtures/fake-provider.ts: its descriptor and a small Provider) gets its own
// add-server form, validation, saved options, connection, tree nodes and mark in the
// app, with no edit to the renderer or the core.
import { expect, test, type Page } from '@playwright/test';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { acmeCloud, acmeDescriptor, acmeProviderFactory } from '../fixtures/fake-provider';
import { serverIdOf, serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

let stack: Stack;
let page: Page;

test.beforeAll(async ({ browser }) => {
  stack = await startStack({ providers: [...builtinProviders, acmeProviderFactory] });
  page = await browser.newPage();
  await openApp(page, stack);
});
test.afterAll(async () => {
  await page?.close();
  await stack?.close();
});

const dialog = () => page.getByTestId('add-server-dialog');
const field = (key: string) => dialog().locator(`[data-field="${key}"]`);
const input = (key: string) => page.getByTestId(`add-server-${key}`);

test('its add-server form: the fields, labels and defaults its descriptor declares', async () => {
  await page.getByTestId('tb-add-server').click();
  await page.getByTestId('add-server-type').selectOption('acme');
  await expect(page.getByTestId('add-server-type').locator('option:checked')).toHaveText('Acme Cloud');
  // in the declared order; the tuning knob (pollMs, advanced) is not drawn
  const drawn = await dialog().locator('[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')));
  expect(drawn).toEqual(['host', 'port', 'username', 'region', 'projectId', 'password']);
  await expect(field('host')).toContainText('Endpoint');
  await expect(input('port')).toHaveValue(String(acmeDescriptor.defaultPort));
  await expect(field('username')).toContainText('Account');
  await expect(field('region')).toContainText('Region');
  await expect(input('region-eu')).toBeChecked();
  await expect(field('region')).toContainText('Asia Pacific');
  await expect(field('projectId')).toContainText('prj- and four digits');
  await expect(field('password')).toContainText('Access key');
  await expect(input('password')).toHaveAttribute('type', 'password');
  await shot(page, 'add-server-acme');
});

test('its validation: required fields, the port range and the project-id pattern, each naming its field', async () => {
  await input('port').fill('0');
  await input('projectId').fill('project-7');
  await page.getByTestId('add-server-submit').click();
  await expect(field('host')).toContainText('“Endpoint” is required.');
  await expect(field('username')).toContainText('“Account” is required.');
  await expect(field('port')).toContainText('“Port” must be between 1 and 65535.');
  await expect(field('projectId')).toContainText('“Project ID” is not in the expected form: prj- and four digits.');
  await expect(dialog()).toBeVisible();
  await shot(page, 'add-server-acme-invalid');
});

test('saved and connected: its options, its nodes in the tree, its mark, its address and login rules', async () => {
  await input('host').fill('acme.example.test');
  await input('port').fill('9443');
  await input('username').fill('ops');
  await input('region-ap').check();
  await input('projectId').fill('prj-0042');
  await input('password').fill(acmeCloud.password);
  await page.getByTestId('add-server-name').fill('Acme lab');
  await page.getByTestId('add-server-submit').click();
  await expect(dialog()).toBeHidden();
  await expect(serverRow(page, 'Acme lab')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });

  const id = await serverIdOf(stack, 'Acme lab');
  const saved = (await stack.core.invoke('servers:list')).find((s) => s.id === id)!;
  expect(saved).toMatchObject({ type: 'acme', host: 'acme.example.test', port: 9443, username: 'ops', options: { region: 'ap', projectId: 'prj-0042' } });
  expect(saved.options).not.toHaveProperty('pollMs');

  await expect(serverRow(page, 'Acme lab').locator('svg')).toHaveAttribute('data-mark', acmeDescriptor.mark.color);
  await expect(page.locator(`[role=treeitem][data-kind=pool][data-key^="${id}:"]`)).toHaveAttribute('aria-label', 'Acme ap');
  for (const vm of acmeCloud.vms) await expect(page.locator(`[role=treeitem][data-kind=vm][aria-label="${vm}"][data-key^="${id}:"]`)).toBeVisible();

  await serverRow(page, 'Acme lab').click();
  const details = page.getByTestId('server-details');
  await expect(details.locator('[data-prop=type]')).toHaveText('Acme Cloud');
  await expect(details.locator('[data-prop=address]')).toHaveText('acme://acme.example.test:9443/ap');
  await expect(details.locator('[data-prop=user]')).toHaveText('ops (prj-0042)');
  await shot(page, 'fake-provider-tree');
});

test('its own words in Chinese, from the descriptor', async () => {
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-language').selectOption('zh-CN');
  await page.getByTestId('settings-close').click();
  await expect(page.getByTestId('server-details').locator('[data-prop=type]')).toHaveText('Acme 云');
  await page.getByTestId('server-edit-server').click();
  await expect(field('host')).toContainText('端点');
  await expect(field('region')).toContainText('亚太');
  await page.getByTestId('add-server-cancel').click();
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-language').selectOption('system');
  await page.getByTestId('settings-close').click();
});
