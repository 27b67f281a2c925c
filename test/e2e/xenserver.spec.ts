// The renderer in real web mode (core + web host) against XAPI simulators over HTTPS:
// adding servers and trusting their certificates, the tree against the simulators'
// own data, search, snapshots with memory (tasks, revert, delete), bulk power actions,
// wrong passwords, changed certificates, a server that goes away and comes back,
// and a corrupt saved server list.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { POWER_ACTIONS } from '../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { openApp, sharedFixtures, shot, startStack, type Stack } from './fixtures';
import { readTree, rowPaths } from './tree-reader';
import { expectedPaths } from './xapi-expected';

test.describe.configure({ mode: 'serial' });

let stack: Stack;
let page: Page;
let poolA: XapiSimulator; // a real pool database (XenCenter test resources)
let poolB: XapiSimulator; // a generated pool
let poolC: XapiSimulator; // for failures: wrong password, certificate rotation, outage

test.beforeAll(async ({ browser }) => {
  [stack, poolA, poolB, poolC] = await Promise.all([
    startStack(),
    startXapiSimulator({ db: path.join(sharedFixtures, 'xapi-db', 'state4.xml') }),
    startXapiSimulator({ generate: { hosts: 3, vms: 12, snapshots: 4 }, poolName: 'Generated pool', taskDurationMs: 2500 }),
    startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 0 }, poolName: 'Flaky pool', password: 'secret' }),
  ]);
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([poolA, poolB, poolC].map((s) => s?.stop()));
});

const serverRow = (name: string) => page.locator(`[role=treeitem][data-kind=server][aria-label="${name}"]`);
const row = (name: string) => page.getByRole('treeitem', { name, exact: true });

async function addXenServer(name: string, sim: XapiSimulator, password: string): Promise<void> {
  await page.getByTestId('tb-add-server').click();
  await page.getByTestId('add-server-type').selectOption('xenserver');
  await page.getByTestId('add-server-name').fill(name);
  await page.getByTestId('add-server-host').fill(sim.host);
  await page.getByTestId('add-server-port').fill(String(sim.port));
  await page.getByTestId('add-server-username').fill('root');
  await page.getByTestId('add-server-password').fill(password);
  await page.getByTestId('add-server-submit').click();
  await expect(page.getByTestId('add-server-dialog')).toBeHidden();
}

async function search(text: string): Promise<void> {
  await page.getByTestId('tree-search').fill(text);
}

function task(action: string) {
  return page.getByTestId('task-row').filter({ has: page.locator(`[data-action="${action}"]`) }).or(page.locator(`[data-testid=task-row][data-action="${action}"]`));
}

test('adds two pools through the UI, trusting each certificate, and the tree matches them', async () => {
  await addXenServer('Pool A', poolA, 'password');
  const certDialog = page.getByTestId('certificate-dialog');
  await expect(certDialog).toBeVisible();
  await expect(page.getByTestId('cert-fingerprint')).toHaveText(poolA.fingerprint256);
  await expect(page.getByTestId('cert-intro')).toContainText(`${poolA.host}:${poolA.port}`);
  await shot(page, 'certificate-dialog');
  await page.getByTestId('cert-accept').click();
  await expect(serverRow('Pool A')).toHaveAttribute('data-state', 'connected');

  await addXenServer('Pool B', poolB, 'password');
  await expect(page.getByTestId('cert-fingerprint')).toHaveText(poolB.fingerprint256);
  await page.getByTestId('cert-accept').click();
  await expect(serverRow('Pool B')).toHaveAttribute('data-state', 'connected');

  const expected = [...expectedPaths('Pool A', poolA), ...expectedPaths('Pool B', poolB)].sort();
  await expect.poll(async () => rowPaths(await readTree(page)).sort()).toEqual(expected);
  // control domains are hidden; templates only with the setting
  expect(expected.some((p) => p.includes('Control domain'))).toBe(false);
  await shot(page, 'tree');
});

test('templates appear only when the setting is on', async () => {
  const templates = [...poolB.db.records('VM').values()].filter((v) => v.is_a_template && !v.is_a_snapshot).map((v) => String(v.name_label));
  expect(templates.length).toBeGreaterThan(0);
  await expect(row(templates[0])).toHaveCount(0);
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-templates').check();
  await page.getByTestId('settings-close').click();
  await search(templates[0]);
  await expect(page.locator(`[role=treeitem][data-kind=template][aria-label="${templates[0]}"]`).first()).toBeVisible();
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-templates').uncheck();
  await page.getByTestId('settings-close').click();
  await expect(page.getByTestId('tree-empty')).toBeVisible();
  await search('');
});

test('search filters by name across servers, keeping ancestors', async () => {
  await search('windows xp');
  const rows = rowPaths(await readTree(page));
  const xp = [...poolA.db.records('VM').values()].filter((v) => !v.is_a_template && !v.is_a_snapshot && String(v.name_label).toLowerCase().includes('windows xp'));
  expect(xp.length).toBeGreaterThan(0);
  const leaves = rows.filter((p) => p.split('/').length === 4);
  expect(leaves.map((p) => p.split('/').pop()).sort()).toEqual(xp.map((v) => String(v.name_label)).sort());
  // only the ancestors of matches remain: Pool B has none
  expect(rows.some((p) => p.startsWith('Pool B'))).toBe(false);
  expect(rows.every((p) => p.startsWith('Pool A'))).toBe(true);
  await search('host-0');
  await expect(row('host-01')).toBeVisible();
  await expect(row('Pool A')).toHaveCount(0);
  await search('');
  await expect(serverRow('Pool A')).toBeVisible();
});

test('keyboard navigation, multi-select and the context menu', async () => {
  await serverRow('Pool A').click();
  const tree = page.getByTestId('tree');
  await expect(tree).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(row('Hottub')).toHaveAttribute('aria-selected', 'true');
  // Left collapses an open node, then moves to its parent; Right opens it again
  await page.keyboard.press('ArrowLeft');
  await expect(row('Hottub')).toHaveAttribute('aria-expanded', 'false');
  await expect(row('incubus')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(row('Hottub')).toHaveAttribute('aria-expanded', 'true');
  await expect(row('incubus')).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(serverRow('Pool A')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(serverRow('Pool A')).toHaveAttribute('aria-expanded', 'false');
  await expect(row('Hottub')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(serverRow('Pool A')).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await expect(row('Hottub')).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('End');
  const last = page.locator('[role=treeitem][aria-selected=true]');
  await expect(last).toHaveCount(1);
  await page.keyboard.press('Home');
  await expect(serverRow('Pool A')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(page.locator('[role=treeitem][aria-selected=true]')).toHaveCount(3);

  // the context menu enables exactly what the server allows for the VM; the platform's other power actions are greyed and say why
  const running = [...poolA.db.records('VM').values()].find((v) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain && v.power_state === 'Running')!;
  await row(String(running.name_label)).click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu).toBeVisible();
  const node = (await stack.core.invoke('inventory:get')).find((n) => n.kind === 'vm' && n.name === running.name_label)!;
  const allowedPower = POWER_ACTIONS.filter((a) => node.allowed.includes(a));
  expect(allowedPower.length).toBeGreaterThan(0);
  expect(allowedPower).not.toContain('start');
  const enabled = await menu.locator('[role=menuitem]:not([disabled])').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(enabled.filter((id) => POWER_ACTIONS.some((a) => id === `menu-${a}`))).toEqual(allowedPower.map((a) => `menu-${a}`));
  await expect(menu.getByTestId('menu-start')).toBeDisabled();
  await expect(menu.getByTestId('menu-start')).toHaveAttribute('data-disabled-reason', `${running.name_label} is Running: the server does not allow “Start” now.`);
  for (const id of ['menu-take-snapshot', 'menu-open-console', 'menu-edit-tags', 'menu-move-to-folder', 'menu-copy-uuid', 'menu-properties']) await expect(menu.getByTestId(id)).toBeVisible();
  // power | migrate | snapshots | clone, convert, delete | console | tags, folder | uuid, properties
  await expect(menu.getByRole('separator')).toHaveCount(6);
  await shot(page, 'context-menu-vm');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
});

test('general tab shows the VM with translated labels and readable values', async () => {
  await search('vm-00001');
  await row('vm-00001').click();
  await expect(page.getByTestId('details-title')).toHaveText('vm-00001');
  const props = page.getByTestId('general-props');
  await expect(props.locator('[data-prop=state]')).toHaveText('Running');
  const vm = [...poolB.db.records('VM').values()].find((v) => v.name_label === 'vm-00001')!;
  await expect(props.locator('[data-prop=uuid]')).toHaveText(String(vm.uuid));
  await expect(props.locator('[data-prop=memory]')).toHaveText(/^\d+(\.\d+)? (MiB|GiB)$/);
  await expect(props.getByText('Virtual CPUs')).toBeVisible();
  await shot(page, 'general-tab');
});

test('takes a snapshot with memory, shows its progress, reverts to it and deletes it', async () => {
  await page.getByTestId('tab-snapshots').click();
  await page.getByTestId('snap-take-memory').click();
  const dialog = page.getByTestId('snapshot-create-dialog');
  await expect(page.getByTestId('snapshot-memory')).toBeChecked();
  await page.getByTestId('snapshot-name').fill('e2e checkpoint');
  await page.getByTestId('snapshot-description').fill('taken by the end-to-end test');
  await page.getByTestId('snapshot-create-ok').click();
  await expect(dialog).toBeHidden();

  const create = page.locator('[data-testid=task-row][data-action=snapshot_create]').first();
  await expect(create).toHaveAttribute('data-status', 'running');
  await expect.poll(async () => Number(await create.getByTestId('task-progress').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await shot(page, 'tasks');
  await expect(create).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
  await expect(create.getByTestId('task-progress')).toHaveAttribute('aria-valuenow', '100');

  const snap = page.locator('[data-testid=snapshot-row][aria-label="e2e checkpoint"]');
  await expect(snap).toBeVisible();
  await expect(snap).toContainText('Disk and memory');
  // the VM now derives from the new snapshot: "You are here" follows it
  await expect(page.locator('[data-testid=snapshot-row][aria-label="e2e checkpoint"] + [data-testid=snapshot-here]')).toBeVisible();
  const record = [...poolB.db.records('VM').values()].find((v) => v.name_label === 'e2e checkpoint');
  expect(record?.is_a_snapshot).toBe(true);
  await snap.click();
  await page.getByTestId('snap-properties').click();
  await expect(page.getByTestId('snapshot-properties-dialog').locator('[data-prop=description]')).toHaveText('taken by the end-to-end test');
  await page.getByTestId('snapshot-properties-dialog').getByRole('button').click();
  await shot(page, 'snapshots-tab');

  await snap.click();
  await page.getByTestId('snap-revert').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('e2e checkpoint');
  await page.getByTestId('confirm-ok').click();
  const revert = page.locator('[data-testid=task-row][data-action=snapshot_revert]').first();
  await expect(revert).toHaveAttribute('data-status', 'success', { timeout: 30_000 });

  await snap.click();
  await page.getByTestId('snap-delete').click();
  await page.getByTestId('confirm-ok').click();
  const del = page.locator('[data-testid=task-row][data-action=snapshot_delete]').first();
  await expect(del).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
  await expect(snap).toHaveCount(0);
  expect([...poolB.db.records('VM').values()].some((v) => v.name_label === 'e2e checkpoint')).toBe(false);
});

test("a failed task shows the server's own error code and message", async () => {
  // the task fails on the server (error_info), as a full SR does
  poolB.faults.failNext('VM.snapshot', ['SR_FULL', '1073741824', '536870912']);
  await search('vm-00003');
  await row('vm-00003').first().click();
  await page.getByTestId('tab-snapshots').click();
  await page.getByTestId('snap-take').click();
  await page.getByTestId('snapshot-name').fill('doomed');
  await page.getByTestId('snapshot-create-ok').click();
  const failed = page.locator('[data-testid=task-row][data-status=failure]').first();
  await expect(failed).toBeVisible({ timeout: 30_000 });
  await expect(failed.getByTestId('task-error')).toContainText('SR_FULL');
  await expect(failed.getByTestId('task-status')).toContainText('Failed');
  await shot(page, 'task-failed');
  await page.getByTestId('tasks-clear').click();
  await expect(page.getByTestId('task-row')).toHaveCount(0);
  await search('');
});

test('a power action applies to every selected VM', async () => {
  const serverId = (await stack.core.invoke('servers:list')).find((s) => s.name === 'Pool B')!.id;
  const vmRow = (name: string) => page.locator(`[role=treeitem][aria-label="${name}"][data-key^="${serverId}:"]`);
  const halted = [...poolB.db.records('VM').values()]
    .filter((v) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain && v.power_state === 'Halted')
    .map((v) => String(v.name_label))
    .slice(0, 2);
  expect(halted).toHaveLength(2);
  // select one, then add the other with Ctrl-click (the selection survives a new search)
  await search(halted[0]);
  await expect(vmRow(halted[0])).toHaveAttribute('data-state', 'halted');
  await vmRow(halted[0]).click();
  await search(halted[1]);
  await vmRow(halted[1]).click({ modifiers: ['Control'] });
  // the search hides the first: it is not a target, and the command says so before it acts
  await expect(page.getByTestId('details-multi')).toHaveText('2 items selected (1 hidden by the search)');
  await page.getByTestId('tb-start').click();
  await expect(page.getByTestId('confirm-targets')).toHaveText(halted[1]);
  await expect(page.getByTestId('confirm-note')).toHaveText('Hidden by the search and left out: 1.');
  await page.getByTestId('confirm-cancel').click();
  // with the search cleared both are in sight, and Start runs on both without asking
  await search('');
  await expect(page.getByTestId('details-multi')).toHaveText('2 items selected');
  await page.getByTestId('tb-start').click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(vmRow(halted[1])).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await search(halted[0]);
  await expect(vmRow(halted[0])).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  const states = [...poolB.db.records('VM').values()].filter((v) => halted.includes(String(v.name_label))).map((v) => v.power_state);
  expect(states).toEqual(['Running', 'Running']);
  // a started VM moves from the pool to the host it runs on: server/pool/host/vm
  const paths = rowPaths(await readTree(page)).filter((p) => p.startsWith('Pool B/'));
  expect(paths.find((p) => p.endsWith(`/${halted[0]}`))!.split('/')).toHaveLength(4);
  await search('');
});

test('a wrong password is reported clearly and the right one connects', async () => {
  await addXenServer('Flaky pool', poolC, 'wrong-password');
  await page.getByTestId('cert-accept').click();
  const prompt = page.getByTestId('password-dialog');
  await expect(prompt).toBeVisible();
  await expect(page.getByTestId('auth-failed')).toContainText('rejected the user name or password');
  await expect(serverRow('Flaky pool')).toHaveAttribute('data-state', 'error');
  await expect(serverRow('Flaky pool')).toContainText('The user name or password was rejected');
  await shot(page, 'wrong-password');
  await page.getByTestId('password-input').fill('secret');
  await page.getByTestId('password-connect').click();
  await expect(serverRow('Flaky pool')).toHaveAttribute('data-state', 'connected');
});

test('a changed certificate is refused, showing both fingerprints, until explicitly accepted', async () => {
  const old = poolC.fingerprint256;
  await poolC.rotateCertificate();
  expect(poolC.fingerprint256).not.toBe(old);
  await serverRow('Flaky pool').click();
  await page.getByTestId('server-disconnect').click();
  await expect(serverRow('Flaky pool')).toHaveAttribute('data-state', 'disconnected');
  await page.getByTestId('server-connect').click();
  const dialog = page.getByTestId('certificate-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('cert-old-fingerprint')).toHaveText(old);
  await expect(page.getByTestId('cert-new-fingerprint')).toHaveText(poolC.fingerprint256);
  await expect(page.getByTestId('cert-accept')).toBeDisabled();
  await shot(page, 'certificate-changed');
  await page.getByTestId('cert-cancel').click();
  await expect(serverRow('Flaky pool')).not.toHaveAttribute('data-state', 'connected');

  await serverRow('Flaky pool').getByTestId('server-retry').click();
  await page.getByTestId('cert-confirm-change').check();
  await page.getByTestId('cert-accept').click();
  await expect(serverRow('Flaky pool')).toHaveAttribute('data-state', 'connected');
});

test('a server that stops shows as disconnected and comes back live when it returns', async () => {
  await poolC.stop();
  await expect(serverRow('Flaky pool')).not.toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await shot(page, 'server-down');
  await poolC.restart();
  await expect(serverRow('Flaky pool')).toHaveAttribute('data-state', 'connected', { timeout: 45_000 });
  // and live: a change on the server reaches the tree
  const vm = [...poolC.db.records('VM').entries()].find(([, v]) => !v.is_a_template && !v.is_control_domain && !v.is_a_snapshot)!;
  poolC.db.update('VM', vm[0], { name_label: 'renamed while watching' });
  await search('renamed while');
  await expect(row('renamed while watching')).toBeVisible();
  await search('');
});

test('dark theme and Simplified Chinese', async () => {
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-theme').selectOption('dark');
  await page.getByTestId('settings-close').click();
  await search('Windows XP SP2 (1)');
  await row('Windows XP SP2 (1)').click();
  await page.getByTestId('tab-general').click();
  await search('');
  await shot(page, 'dark-theme');
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-language').selectOption('zh-CN');
  await page.getByTestId('settings-theme').selectOption('light');
  await page.getByTestId('settings-close').click();
  await expect(page.getByTestId('tab-general')).toHaveText('常规');
  await expect(page.getByTestId('general-props').locator('[data-prop=state]')).toHaveText('正在运行');
  await shot(page, 'zh-CN');
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-language').selectOption('system');
  await page.getByTestId('settings-close').click();
});

test.describe('a corrupt saved server list', () => {
  let corrupt: Stack;
  test.beforeAll(async () => {
    corrupt = await startStack({ prepareHome: (home) => writeFileSync(path.join(home, 'servers.json'), '{"version": 1, "servers": [ {"id": ') });
  });
  test.afterAll(async () => {
    await corrupt?.close();
  });
  test('is kept aside and reported in the UI', async ({ page: fresh }) => {
    await openApp(fresh, corrupt);
    const banner = fresh.getByTestId('store-problem');
    await expect(banner).toBeVisible();
    const [problem] = (await corrupt.core.invoke('app:info')).storeProblems;
    expect(problem.keptAs).toBeTruthy();
    await expect(banner).toContainText(problem.keptAs);
    await expect(banner).toContainText('could not be read');
    await shot(fresh, 'store-problem');
  });
});
