// Issue 13's pool membership on XenServer, with three XAPI simulators on one port at
// three loopback addresses (a member is reached at its master's port): a pool of two
// hosts, a standalone host that can join it and one that runs another product version.
// Add to Pool… shows the servers' reason where a host cannot join; a join puts the host
// under the pool in the tree and in the pool simulator's own host list; Remove from Pool
// warns as XenCenter does and takes it out again. Screenshots in English and Chinese.
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { makeStandalone } from '../sim/xapi/standalone';
import { addServer, clearTasks, expectTaskSucceeds, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromContextMenu, treePaths } from './migration-driver';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const BIG = 'Big pool';

let stack: Stack;
let page: Page;
let big: XapiSimulator;
let lone: XapiSimulator;
let odd: XapiSimulator;
let bigId: string;
let loneId: string;
let oddId: string;

const hostRow = (serverId: string, name: string) => page.locator(`[role=treeitem][data-kind=host][aria-label="${name}"][data-key^="${serverId}:"]`);
const uuidOf = (sim: XapiSimulator) => (sim.db.records('host').values().next().value as { uuid: string }).uuid;
/** A tree path of lone-host under the Big pool server. */
const inBig = (p: string) => p.startsWith(`${BIG}/`) && p.endsWith('/lone-host');
const hostUuids = (sim: XapiSimulator) => [...sim.db.records('host').values()].map((h) => h.uuid as string);

test.beforeAll(async ({ browser }) => {
  [stack, big] = await Promise.all([startStack(), startXapiSimulator({ generate: { hosts: 2, vms: 2, snapshots: 0 }, poolName: BIG, taskDurationMs: 600 })]);
  [lone, odd] = await Promise.all(
    ['127.0.0.2', '127.0.0.3'].map((host) => startXapiSimulator({ host, port: big.port, generate: { hosts: 1, vms: 2, snapshots: 0, localStorage: true }, taskDurationMs: 600 })),
  );
  makeStandalone(lone.db, { name: 'lone-host', address: lone.host });
  makeStandalone(odd.db, { name: 'odd-host', address: odd.host, productVersion: '8.2.1' });
  page = await browser.newPage();
  await openApp(page, stack);
  for (const [name, sim] of [[BIG, big], ['Lone', lone], ['Odd', odd]] as const) {
    await addServer(page, { type: 'xenserver', name, host: sim.host, port: sim.port, user: 'root', password: 'password', fingerprint256: sim.fingerprint256 });
  }
  [bigId, loneId, oddId] = await Promise.all([serverIdOf(stack, BIG), serverIdOf(stack, 'Lone'), serverIdOf(stack, 'Odd')]);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([big?.stop(), lone?.stop(), odd?.stop()]);
});

test('Add to Pool… on a host that cannot join shows the server’s reason and offers nothing to start', async () => {
  await fromContextMenu(page, hostRow(oddId, 'odd-host'), 'pool-join');
  const dialog = page.getByTestId('pool-join-dialog');
  await expect(dialog).toBeVisible();
  const choice = dialog.locator(`[data-testid=pool-join-choice][data-pool="${BIG}"]`);
  await expect(choice).toHaveAttribute('data-ok', 'false');
  const reason = choice.getByTestId('migration-reason');
  await expect(reason).toHaveAttribute('data-code', 'POOL_JOINING_HOST_MUST_HAVE_SAME_PRODUCT_VERSION');
  await expect(reason).toContainText('another product version');
  await expect(choice.locator('input[type=radio]')).toBeDisabled();
  await expect(page.getByTestId('pool-join-ok')).toBeDisabled();
  await shot(page, 'pool-join-refused');
  await setLanguage(stack, page, 'zh-CN');
  await expect(reason).toContainText('产品版本');
  await shot(page, 'pool-join-refused-zh');
  await setLanguage(stack, page, 'en');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(hostUuids(big)).not.toContain(uuidOf(odd));
});

test('Add to Pool… joins a standalone host: the tree shows it under the pool, the pool simulator lists it', async () => {
  test.setTimeout(120_000);
  await clearTasks(page);
  const uuid = uuidOf(lone);
  await fromContextMenu(page, hostRow(loneId, 'lone-host'), 'pool-join');
  const dialog = page.getByTestId('pool-join-dialog');
  const choice = dialog.locator(`[data-testid=pool-join-choice][data-pool="${BIG}"]`);
  await expect(choice).toHaveAttribute('data-ok', 'true');
  await expect(choice.locator('input[type=radio]')).toBeChecked();
  await shot(page, 'pool-join-dialog');
  await page.getByTestId('pool-join-ok').click();
  await expect(dialog).toBeHidden();
  await expectTaskSucceeds(page, 'pool_join', 'lone-host');
  expect(hostUuids(big)).toContain(uuid);
  await expect.poll(async () => (await treePaths(page)).some(inBig), { timeout: 30_000 }).toBe(true);
  // the joined server's own connection follows to the master: its inventory is the pool's three hosts
  await expect
    .poll(async () => (await stack.core.invoke('inventory:get')).filter((n) => n.serverId === loneId && n.kind === 'host').length, { timeout: 30_000 })
    .toBe(3);
  await shot(page, 'pool-joined');
});

test('Remove from Pool warns that the host’s VMs and local storage are lost, then takes it out of the pool', async () => {
  test.setTimeout(120_000);
  await clearTasks(page);
  const uuid = uuidOf(lone);
  const confirm = page.getByTestId('confirm-dialog');
  // the question is worded when it opens: once in Chinese, then again in English to confirm
  await setLanguage(stack, page, 'zh-CN');
  await fromContextMenu(page, hostRow(bigId, 'lone-host'), 'pool-eject');
  await expect(confirm).toContainText('本地存储');
  await shot(page, 'pool-eject-confirm-zh');
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await setLanguage(stack, page, 'en');
  await fromContextMenu(page, hostRow(bigId, 'lone-host'), 'pool-eject');
  await expect(confirm).toContainText('local storage');
  await expect(confirm).toContainText(BIG);
  await shot(page, 'pool-eject-confirm');
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'pool_eject', 'lone-host');
  expect(hostUuids(big)).not.toContain(uuid);
  await expect.poll(async () => (await treePaths(page)).some(inBig), { timeout: 30_000 }).toBe(false);
  await expect(hostRow(bigId, 'lone-host')).toHaveCount(0);
});
