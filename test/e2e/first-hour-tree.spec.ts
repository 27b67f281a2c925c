// Issue 19, the tree, the selection and the keyboard, as a new user meets them: a pool
// shown once as its connection, Proxmox VMIDs, a new server selected, the same pool added
// twice flagged, type-to-find, Ctrl+F, Shift+F10, F2, dialogs that hold the focus, a
// multi-selection summary that flags what the search hides, bulk actions with a per-VM
// outcome checked against the simulator, an action the core refuses shown as a toast that
// does not move the layout and kept in the task history, resizable panes remembered across
// a reload, and the VMs of a dropped server shown as unknown. Screenshots in English and
// Chinese, light and dark.
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, nodeRow, serverIdOf, serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

const XEN = 'Lab pool';
const PVE = 'PVE lab';

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let pve: ProxmoxSimulator;
let xenId: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  [stack, xen, pve] = await Promise.all([
    startStack(),
    // the pool is named as the server the user adds: XenCenter shows it once, as the connection
    startXapiSimulator({ generate: { hosts: 2, vms: 8, snapshots: 0 }, poolName: XEN, taskDurationMs: 800 }),
    startProxmoxSimulator({ user: 'admin@pve', password: 'pve-secret', taskDurationMs: 800 }),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xen?.stop(), pve?.stop()]);
});

const xapiVms = () => [...xen.db.records('VM').values()].filter((v) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain);
const powerOf = (name: string) => xapiVms().find((v) => v.name_label === name)?.power_state;
const vmRow = (name: string) => nodeRow(page, xenId, name);

async function search(text: string): Promise<void> {
  await page.getByTestId('tree-search').fill(text);
}

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** The same screen in English and Chinese, light and dark; back to English light after. */
async function shotAllLooks(name: string): Promise<void> {
  for (const [language, theme] of [
    ['en', 'light'],
    ['en', 'dark'],
    ['zh-CN', 'light'],
    ['zh-CN', 'dark'],
  ] as const) {
    await looks(language, theme);
    await shot(page, `first-hour-${name}-${language}-${theme}`);
  }
  await looks('en', 'light');
}

test('a pool named as its server is shown once; a new server is selected; Proxmox guests show their VMID', async () => {
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  xenId = await serverIdOf(stack, XEN);
  // the new server is the selection, and the details pane shows it
  await expect(serverRow(page, XEN)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('details-title')).toHaveText(XEN);
  // no pool row: the hosts hang under the server row (XenCenter's pool-as-connection)
  const hosts = [...xen.db.records('host').values()].map((h) => String(h.name_label));
  for (const host of hosts) await expect(nodeRow(page, xenId, host)).toHaveAttribute('aria-level', '2');
  await expect(page.locator(`[role=treeitem][data-kind=pool][data-key^="${xenId}:"]`)).toHaveCount(0);

  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'admin', realm: 'pve', password: 'pve-secret', fingerprint256: pve.fingerprint256 });
  await expect(serverRow(page, PVE)).toHaveAttribute('aria-selected', 'true');
  const pveId = await serverIdOf(stack, PVE);
  const guest = [...pve.state.guests.values()][0];
  // as Proxmox's own tree writes it: "100 (name)"
  await expect(nodeRow(page, pveId, guest.name).getByTestId('tree-label')).toHaveText(`${guest.vmid} (${guest.name})`);
  // the state reads in words in the row's tooltip as well as by its icon
  const vm = xapiVms().find((v) => v.power_state === 'Running')!;
  await expect(vmRow(String(vm.name_label))).toHaveAttribute('title', `${vm.name_label} — Running`);
  await shotAllLooks('tree');
});

test('the same pool added again is flagged, by its address in the dialog and by its pool in the tree', async () => {
  await page.getByTestId('tb-add-server').click();
  await page.getByTestId('add-server-type').selectOption('xenserver');
  await page.getByTestId('add-server-host').fill(xen.host);
  await page.getByTestId('add-server-port').fill(String(xen.port));
  await expect(page.getByTestId('add-server-same-address')).toHaveText(`“${XEN}” already connects to ${xen.host}:${xen.port}. Adding it again shows the same objects twice.`);
  await shot(page, 'first-hour-add-same-address');
  await page.getByTestId('add-server-cancel').click();

  // the same pool by another name for its address: known only once connected, by the pool's uuid
  const other = xen.host === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  await addServer(page, { type: 'xenserver', name: 'Lab pool by name', host: other, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  await expect(serverRow(page, 'Lab pool by name').getByTestId('server-duplicate')).toHaveAttribute('title', `Same pool as “${XEN}”: added twice?`);
  await expect(serverRow(page, XEN).getByTestId('server-duplicate')).toHaveCount(0);
  // removed again with the context menu's Remove (and its confirmation)
  await serverRow(page, 'Lab pool by name').click({ button: 'right' });
  await page.getByTestId('context-menu').getByTestId('menu-remove-server').click();
  await page.getByTestId('confirm-ok').click();
  await expect(serverRow(page, 'Lab pool by name')).toHaveCount(0);
});

test('keyboard: type-to-find, Ctrl+F, Shift+F10 and its menu, F2; a dialog holds the focus and gives it back', async () => {
  const names = xapiVms()
    .map((v) => String(v.name_label))
    .sort();
  // the tree draws only the rows in view, and the last test left it scrolled to its end: Home first
  await page.getByTestId('tree').focus();
  await page.keyboard.press('Home');
  await serverRow(page, XEN).click();
  await expect(page.getByTestId('tree')).toBeFocused();
  // letters typed in quick succession find the row whose name starts with them
  await page.keyboard.type(names[3]);
  await expect(vmRow(names[3])).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+f');
  await expect(page.getByTestId('tree-search')).toBeFocused();

  // the context-menu key on a VM: power actions, snapshot, console, copy UUID, properties, with separators
  await vmRow(names[3]).click();
  await page.keyboard.press('Shift+F10');
  const menu = page.getByTestId('context-menu');
  await expect(menu).toBeVisible();
  const items = await menu.locator('[role=menuitem], [role=separator]').evaluateAll((els) => els.map((el) => (el.getAttribute('role') === 'separator' ? '|' : el.getAttribute('data-testid'))));
  expect(items[0]).toBe('menu-start');
  for (const id of ['menu-shutdown', 'menu-take-snapshot', 'menu-open-console', 'menu-copy-uuid', 'menu-properties']) expect(items).toContain(id);
  expect(items.indexOf('menu-open-console')).toBeGreaterThan(items.indexOf('menu-take-snapshot'));
  expect(items.filter((i) => i === '|').length).toBeGreaterThanOrEqual(3);
  await shot(page, 'first-hour-context-menu-vm');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();

  // F2 on a server edits it (its name is what a tree renames)
  await serverRow(page, PVE).click();
  await page.keyboard.press('F2');
  const dialog = page.getByTestId('add-server-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('add-server-name')).toHaveValue(PVE);
  // Tab cycles inside the dialog however often it is pressed; arrows do not move the tree behind it
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(serverRow(page, PVE)).toHaveAttribute('aria-selected', 'true');
  // Esc closes it and the focus is back where it was
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('tree')).toBeFocused();
});

test('several selected: a summary, what the search hides flagged and left out, per-VM outcomes checked on the server', async () => {
  const halted = xapiVms()
    .filter((v) => v.power_state === 'Halted')
    .map((v) => String(v.name_label))
    .sort();
  const running = xapiVms()
    .filter((v) => v.power_state === 'Running')
    .map((v) => String(v.name_label))
    .sort();
  expect(halted.length).toBeGreaterThanOrEqual(1);
  expect(running.length).toBeGreaterThanOrEqual(2);
  const [off] = halted;
  const [on1, on2] = running;

  // one halted and one running VM selected
  await vmRow(off).click();
  await vmRow(on1).click({ modifiers: ['Control'] });
  await expect(page.getByTestId('details')).toHaveAttribute('data-multi', 'true');
  await expect(page.getByTestId('details-title')).toHaveText('2 items selected');
  await expect(page.getByTestId('selection-counts').locator('tr[data-kind=vm]')).toContainText('1 Halted, 1 Running');
  await expect(page.getByTestId('selection-actions').getByTestId('multi-start')).toBeEnabled();
  await shotAllLooks('multi-selection');

  // the search hides one: flagged, and commands leave it out
  await search(on1);
  await expect(page.getByTestId('selection-hidden')).toHaveText(/1 of the selected items are hidden by the search/);
  await expect(page.getByTestId('tb-start')).toBeDisabled();
  await expect(page.getByTestId('tb-start')).toHaveAttribute('data-disabled-reason', /is Running/);
  await shot(page, 'first-hour-selection-hidden');
  await search('');

  // Start on both: the halted one starts, the running one is skipped and said so, by name and why
  await page.getByTestId('tb-start').click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  const startOutcome = page.getByTestId('notice').filter({ hasText: 'Start: 1 done, 1 skipped' });
  await expect(startOutcome).toBeVisible({ timeout: 30_000 });
  await expect(startOutcome.getByTestId('notice-lines')).toContainText(`${on1}: skipped — ${on1} is Running`);
  expect(powerOf(off)).toBe('Running');
  expect(powerOf(on1)).toBe('Running');
  await shotAllLooks('bulk-outcome');
  await startOutcome.getByRole('button').click();

  // Shut down on two running VMs asks first, listing both, and reports both done
  await vmRow(on1).click();
  await vmRow(on2).click({ modifiers: ['Control'] });
  await page.getByTestId('tb-shutdown').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await expect(page.getByTestId('confirm-targets')).toContainText(on1);
  await expect(page.getByTestId('confirm-targets')).toContainText(on2);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('notice').filter({ hasText: 'Shut down: 2 done' })).toBeVisible({ timeout: 60_000 });
  expect([powerOf(on1), powerOf(on2)]).toEqual(['Halted', 'Halted']);
  // deselecting the hidden ones from the summary
  await vmRow(off).click({ modifiers: ['Control'] });
  await search(on1);
  await page.getByTestId('selection-drop-hidden').click();
  await expect(page.locator('[role=treeitem][aria-selected=true]')).toHaveCount(1);
  await expect(page.getByTestId('details-title')).toHaveText(on1);
  // one selected row the search hides: flagged on its page, and Start leaves it out
  await search(off);
  await expect(page.getByTestId('details-hidden')).toHaveText('Hidden by the search: commands leave it out.');
  await expect(page.getByTestId('tb-start')).toBeDisabled();
  await search('');
  await expect(page.getByTestId('details-hidden')).toHaveCount(0);
});

test('an action the core refuses: a toast that does not move the layout, in the task history although no task ran', async () => {
  // the request reaches the core naming an object it does not have: the core's own refusal
  await page.routeWebSocket(/\/api\?/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const request = JSON.parse(String(message)) as { type: string; channel: string; args: unknown[] };
      if (request.channel === 'actions:run') {
        const [body] = request.args as [{ nodeIds: string[] }];
        server.send(JSON.stringify({ ...request, args: [{ ...body, nodeIds: body.nodeIds.map((id) => `${id}-gone`) }] }));
      } else server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  await page.reload();
  await page.getByTestId('app').and(page.locator('[data-loaded="true"]')).waitFor();
  const halted = xapiVms().find((v) => v.power_state === 'Halted')!;
  const name = String(halted.name_label);
  await vmRow(name).click();
  const treeTop = (await page.getByTestId('tree').boundingBox())!.y;
  await page.getByTestId('tb-start').click();
  const notice = page.getByTestId('notice').filter({ hasText: '“Start” could not be started.' });
  await expect(notice).toBeVisible();
  expect((await page.getByTestId('tree').boundingBox())!.y).toBe(treeTop);
  const failed = page.getByTestId('task-row').filter({ hasText: name }).first();
  await expect(failed).toBeVisible();
  await expect(failed).toHaveAttribute('data-status', 'failure');
  expect(powerOf(name)).toBe('Halted');
  await shotAllLooks('refused-toast');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('panes resize and keep their size across a reload', async () => {
  await page.reload();
  await page.getByTestId('app').and(page.locator('[data-loaded="true"]')).waitFor();
  const sidebar = page.locator('nav.sidebar');
  const before = (await sidebar.boundingBox())!.width;
  const splitter = (await page.getByTestId('tree-splitter').boundingBox())!;
  await page.mouse.move(splitter.x + 2, splitter.y + 100);
  await page.mouse.down();
  await page.mouse.move(splitter.x + 122, splitter.y + 100, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await sidebar.boundingBox())!.width)).toBe(Math.round(before + 120));
  // the tasks panel by the keyboard: the separator is focusable
  const tasks = page.getByTestId('tasks-panel');
  const tasksBefore = (await tasks.boundingBox())!.height;
  await page.getByTestId('tasks-splitter').focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => Math.round((await tasks.boundingBox())!.height)).toBe(Math.round(tasksBefore + 32));
  const widthSet = (await sidebar.boundingBox())!.width;
  const heightSet = (await tasks.boundingBox())!.height;
  await page.reload();
  await page.getByTestId('app').and(page.locator('[data-loaded="true"]')).waitFor();
  expect((await sidebar.boundingBox())!.width).toBe(widthSet);
  expect((await page.getByTestId('tasks-panel').boundingBox())!.height).toBe(heightSet);
});

test("a dropped server's VMs read as unknown, not as their last state", async () => {
  const running = xapiVms().find((v) => v.power_state === 'Running')!;
  const name = String(running.name_label);
  await expect(vmRow(name)).toHaveAttribute('data-state', 'running');
  await xen.stop();
  await expect(serverRow(page, XEN)).not.toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
  await expect(vmRow(name)).toHaveAttribute('data-state', 'unknown');
  await expect(vmRow(name)).toHaveAttribute('data-stale', 'true');
  await expect(vmRow(name).getByTestId('tree-node-state')).toHaveText('state unknown');
  await expect(vmRow(name)).toHaveAttribute('title', `${name}: last known state Running. The server is not connected, so it may have changed.`);
  await shotAllLooks('stale');
});
