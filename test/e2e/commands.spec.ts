// The command registry as a user meets it in web mode: the access token leaves the
// address bar, shortcuts (Ctrl+N and web mode's Alt+Shift+N), greyed commands that
// say why, a server's context menu with Remove, no double run while a command is
// being submitted, and the native menu's `menu:command` event running a command.
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { WEB_TOKEN_PARAM } from '../../shared/wire';
import { serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.close();
});

/** A saved server nothing listens for (connecting fails at once). */
async function addUnreachable(name: string): Promise<string> {
  const view = await stack.core.invoke('servers:add', { type: 'xenserver', name, host: '127.0.0.1', port: 9, username: 'root', autoConnect: false });
  return view.id;
}

/** Relays the page's API socket, holding back the replies to one channel for `delayMs`; counts that channel's requests. */
async function relayApi(page: Page, channel: string, delayMs: number): Promise<{ count: () => number; socket: () => WebSocketRoute }> {
  let count = 0;
  let route: WebSocketRoute | null = null;
  const held = new Set<number>();
  await page.routeWebSocket(/\/api\?/, (ws) => {
    route = ws;
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const request = JSON.parse(String(message)) as { id: number; channel: string };
      if (request.channel === channel) {
        count++;
        held.add(request.id);
      }
      server.send(message);
    });
    server.onMessage((message) => {
      const reply = JSON.parse(String(message)) as { type: string; id?: number };
      if (reply.type === 'reply' && reply.id !== undefined && held.has(reply.id)) setTimeout(() => ws.send(message), delayMs);
      else ws.send(message);
    });
  });
  return { count: () => count, socket: () => route! };
}

test('the access token leaves the address bar, and a reload still connects', async ({ page }) => {
  expect(stack.url).toContain(`${WEB_TOKEN_PARAM}=`);
  await openApp(page, stack);
  await expect(page.getByTestId('status-link')).toHaveText('Service connected');
  expect(page.url()).not.toContain(WEB_TOKEN_PARAM);
  expect(page.url()).not.toContain(stack.host.token);
  await page.reload();
  await page.getByTestId('app').and(page.locator('[data-loaded="true"]')).waitFor();
  await expect(page.getByTestId('status-link')).toHaveText('Service connected');
  expect(page.url()).not.toContain(stack.host.token);
});

test('Ctrl+N and Alt+Shift+N open Add server; Ctrl+F goes to the search', async ({ page }) => {
  await openApp(page, stack);
  const dialog = page.getByTestId('add-server-dialog');
  // Chromium under Playwright delivers Ctrl+N to the page; a browser a person uses keeps it (new window): hence Alt+Shift+N
  await page.keyboard.press('Control+n');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.keyboard.press('Alt+Shift+N');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tb-add-server')).toHaveAttribute('title', 'Add server (Alt+Shift+N)');
  await page.keyboard.press('Control+f');
  await expect(page.getByTestId('tree-search')).toBeFocused();
});

test('greyed commands say why', async ({ page }) => {
  await openApp(page, stack);
  const start = page.getByTestId('tb-start');
  await expect(start).toBeDisabled();
  await expect(start).toHaveAttribute('data-disabled-reason', 'Select a virtual machine or container first.');
  await expect(start).toHaveAttribute('title', 'Start (Ctrl+B)\nSelect a virtual machine or container first.');
  await expect(page.getByTestId('tb-connect')).toHaveAttribute('data-disabled-reason', 'Select a server first.');
  await expect(page.getByTestId('tb-add-server')).toBeEnabled();
  await shot(page, 'toolbar-disabled');
});

test("a server's context menu: connect, edit, remove (with confirmation); Delete removes too", async ({ page }) => {
  await openApp(page, stack);
  const first = await addUnreachable('Lab pool');
  await addUnreachable('Spare pool');
  await serverRow(page, 'Lab pool').click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu).toBeVisible();
  const items = await menu.locator('[role=menuitem], [role=separator]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? '|'));
  expect(items).toEqual(['menu-connect', 'menu-disconnect', '|', 'menu-new-vm', '|', 'menu-edit-server', 'menu-remove-server', '|', 'menu-scheduled-snapshots', '|', 'menu-properties']);
  await expect(menu.getByTestId('menu-disconnect')).toHaveAttribute('data-disabled-reason', 'Lab pool is not connected.');
  await expect(menu.getByTestId('menu-new-vm')).toHaveAttribute('data-disabled-reason', /.+/);
  await expect(menu.getByTestId('menu-connect')).toBeEnabled();
  await shot(page, 'context-menu-server');
  await menu.getByTestId('menu-remove-server').click();
  await expect(page.getByTestId('confirm-targets')).toHaveText('Lab pool');
  await page.getByTestId('confirm-ok').click();
  await expect(serverRow(page, 'Lab pool')).toHaveCount(0);
  expect((await stack.core.invoke('servers:list')).some((s) => s.id === first)).toBe(false);

  await serverRow(page, 'Spare pool').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('confirm-targets')).toHaveText('Spare pool');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('tree-empty')).toBeVisible();
});

test('a double click submits a command once', async ({ page }) => {
  const api = await relayApi(page, 'servers:connect', 800);
  await openApp(page, stack);
  const id = await addUnreachable('Slow answer');
  await serverRow(page, 'Slow answer').click();
  const connect = page.getByTestId('server-connect');
  await connect.dblclick();
  await expect(connect).toHaveAttribute('data-disabled-reason', 'Being submitted…');
  await expect(connect).toBeEnabled({ timeout: 10_000 });
  expect(api.count()).toBe(1);
  await stack.core.invoke('servers:remove', id);
});

test('the native menu’s choice (menu:command) runs the command; web mode sends no menu', async ({ page }) => {
  const api = await relayApi(page, 'menu:update', 0);
  await openApp(page, stack);
  api.socket().send(JSON.stringify({ type: 'event', event: 'menu:command', payload: { command: 'add-server' } }));
  await expect(page.getByTestId('add-server-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  api.socket().send(JSON.stringify({ type: 'event', event: 'menu:command', payload: { command: 'about' } }));
  await expect(page.getByTestId('about-dialog')).toContainText('0.1.0-e2e');
  await page.keyboard.press('Escape');
  expect(api.count()).toBe(0);
});
