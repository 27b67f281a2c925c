// The renderer against a real core in web mode, without hypervisors: the empty
// workspace, the add-server dialog (each provider's descriptor: fields, defaults, validation), settings
// (language, theme), import/export of the server list, keychain and store notices.
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { fieldLabel, fieldVisible } from '../../shared/descriptor';
import { openApp, shot, startStack, type Stack } from './fixtures';

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.close();
});

test('empty workspace with toolbar, tree, details, tasks and status bar', async ({ page }) => {
  await openApp(page, stack);
  await expect(page.getByRole('toolbar', { name: 'Main toolbar' })).toBeVisible();
  await expect(page.getByTestId('tree-empty')).toBeVisible();
  await expect(page.getByTestId('tasks-panel')).toBeVisible();
  await expect(page.getByTestId('status-link')).toHaveText('Service connected');
  await shot(page, 'empty');
});

test('add-server dialog: each provider\'s form from its descriptor, validation', async ({ page }) => {
  await openApp(page, stack);
  await page.getByTestId('tb-add-server').click();
  const dialog = page.getByTestId('add-server-dialog');
  await expect(dialog).toBeVisible();
  // every provider the core offers, with the fields, labels and defaults its descriptor declares
  const { providers } = await stack.core.invoke('app:info');
  expect(providers.length).toBeGreaterThan(0);
  await expect(page.getByTestId('add-server-type').locator('option')).toHaveCount(providers.length);
  for (const provider of providers) {
    await page.getByTestId('add-server-type').selectOption(provider.type);
    await expect(page.getByTestId('add-server-type').locator('option:checked')).toHaveText(provider.displayName.en);
    const values = Object.fromEntries(provider.fields.map((f) => [f.key, f.default]));
    for (const field of provider.fields) {
      const control = dialog.locator(`[data-field="${field.key}"]`);
      if (field.advanced || !fieldVisible(field, values, provider.fields)) {
        await expect(control).toHaveCount(0);
        continue;
      }
      await expect(control).toContainText(fieldLabel(field, values, provider.fields).en);
      if (field.type === 'choice') await expect(page.getByTestId(`add-server-${field.key}-${String(field.default)}`)).toBeChecked();
      else if (field.type !== 'boolean' && field.default !== undefined) await expect(page.getByTestId(`add-server-${field.key}`)).toHaveValue(String(field.default));
    }
    await expect(page.getByTestId('add-server-port')).toHaveValue(String(provider.defaultPort));
  }
  // a choice redraws the form: the fields of the other choice replace the first ones
  const withChoice = providers.find((p) => p.fields.some((f) => f.type === 'choice' && !f.advanced));
  if (withChoice) {
    const choice = withChoice.fields.find((f) => f.type === 'choice' && !f.advanced)!;
    const other = choice.choices!.find((c) => c.value !== choice.default)!;
    await page.getByTestId('add-server-type').selectOption(withChoice.type);
    await page.getByTestId(`add-server-${choice.key}-${other.value}`).check();
    const values = { ...Object.fromEntries(withChoice.fields.map((f) => [f.key, f.default])), [choice.key]: other.value };
    const expected = withChoice.fields.filter((f) => !f.advanced && fieldVisible(f, values, withChoice.fields)).map((f) => f.key);
    await expect.poll(() => dialog.locator('[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))).toEqual(expected);
    await shot(page, `add-server-${withChoice.type}-${other.value}`);
  }
  await page.getByTestId('add-server-type').selectOption(providers[0].type);
  await page.getByTestId('add-server-port').fill('70000');
  await page.getByTestId('add-server-submit').click();
  await expect(dialog.getByText('“Address” is required.')).toBeVisible();
  await expect(dialog.getByText('“Port” must be between 1 and 65535.')).toBeVisible();
  await page.getByTestId('add-server-host').fill('xen1.example.test');
  await page.getByTestId('add-server-port').fill('443');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await shot(page, 'add-server-dialog');
  await page.getByTestId('add-server-cancel').click();
  await expect(dialog).toBeHidden();
});

test('settings switch language to Simplified Chinese and the theme to dark', async ({ page }) => {
  await openApp(page, stack);
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('settings-language').selectOption('zh-CN');
  await expect(page.getByTestId('tb-add-server')).toHaveText('添加服务器');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('settings-close').click();
  // settings are the core's: a fresh page gets them back
  await page.reload();
  await expect(page.getByTestId('tb-add-server')).toHaveText('添加服务器');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'empty-dark-zh');
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-language').selectOption('system');
  await page.getByTestId('settings-theme').selectOption('system');
  await expect(page.getByTestId('tb-add-server')).toHaveText('Add server');
});

test('follows the OS language and colour scheme', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', colorScheme: 'dark' });
  const page = await context.newPage();
  await openApp(page, stack);
  await expect(page.getByTestId('tb-add-server')).toHaveText('添加服务器');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await context.close();
});

test('import and export of the server list', async ({ page }, testInfo) => {
  await openApp(page, stack);
  // a list exported by the core itself, with one server in it
  const file = testInfo.outputPath('servers.json');
  const added = await stack.core.invoke('servers:add', { type: 'xenserver', host: '127.0.0.1', port: 9, username: 'root', autoConnect: false });
  writeFileSync(file, await stack.core.invoke('servers:export'));
  await stack.core.invoke('servers:remove', added.id);
  await expect(page.getByTestId('tree-empty')).toBeVisible();
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('notice').filter({ hasText: 'Imported 1 servers' })).toBeVisible();
  await expect(page.getByRole('treeitem', { name: '127.0.0.1' })).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByTestId('tb-export-servers').click();
  const saved = await (await download).path();
  const exported = JSON.parse(readFileSync(saved!, 'utf8'));
  expect(JSON.stringify(exported)).toContain('127.0.0.1');
  expect(path.basename((await download).suggestedFilename())).toBe('polyvisor-servers.json');

  // remove it again through the UI (with confirmation)
  await page.getByRole('treeitem', { name: '127.0.0.1' }).click();
  await page.getByTestId('server-remove-server').click();
  await expect(page.getByTestId('confirm-targets')).toHaveText('127.0.0.1');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('tree-empty')).toBeVisible();
});

test('the page reconnects to the service after the link drops and reloads what it missed', async ({ page }) => {
  const sockets: WebSocketRoute[] = [];
  let refuse = false;
  await page.routeWebSocket(/\/api\?/, (ws) => {
    if (refuse) {
      ws.close({ code: 1011, reason: 'refused by the test' });
      return;
    }
    ws.connectToServer();
    sockets.push(ws);
  });
  await openApp(page, stack);
  refuse = true;
  await sockets[0].close({ code: 1006, reason: 'dropped by the test' });
  await expect(page.getByTestId('link-banner')).toBeVisible();
  await expect(page.getByTestId('status-link')).not.toHaveText('Service connected');
  // a change the page cannot hear about while the link is down
  const missed = await stack.core.invoke('servers:add', { type: 'xenserver', name: 'added while away', host: '127.0.0.1', port: 9, username: 'root', autoConnect: false });
  refuse = false;
  await expect(page.getByTestId('link-banner')).toBeHidden({ timeout: 20_000 });
  await expect(page.getByRole('treeitem', { name: 'added while away' })).toBeVisible();
  expect(sockets.length).toBeGreaterThan(1);
  await stack.core.invoke('servers:remove', missed.id);
  await expect(page.getByRole('treeitem', { name: 'added while away' })).toHaveCount(0);
});

test.describe('without an OS keychain', () => {
  let bare: Stack;
  test.beforeAll(async () => {
    bare = await startStack({ keychainAvailable: false });
  });
  test.afterAll(async () => {
    await bare?.close();
  });
  test('says so, and the password cannot be remembered', async ({ page }) => {
    await openApp(page, bare);
    await expect(page.getByTestId('keychain-banner')).toContainText('keychain is unavailable');
    await page.getByTestId('tb-add-server').click();
    await expect(page.getByTestId('add-server-remember')).toBeDisabled();
    await expect(page.getByTestId('add-server-remember')).not.toBeChecked();
    await expect(page.getByTestId('add-server-keychain-hint')).toBeVisible();
  });
});
