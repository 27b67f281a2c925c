// Bonded networks (issue 16) on a XenServer pool loaded from state1.xml: New network… →
// Bonded network joins eth0+eth1 on every host in active-backup — the simulator's Bond
// and PIF records then say so — and the network's tab shows the mode and members; the
// bonded NICs are not offered again (the server's PIF_ALREADY_BONDED is covered by the
// integration and CLI tests). Screenshots in
// English and Chinese (dark).
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { XAPI_DB_DIR } from '../shared-dir';
import { addServer, clearTasks, expectTaskSucceeds, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const XEN = 'Bond pool';

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let xenId: string;

const networkRow = (name: string) => page.locator(`[role=treeitem][data-kind=network][aria-label="${name}"][data-key^="${xenId}:"]`);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, xen] = await Promise.all([startStack(), startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state1.xml'), taskDurationMs: 300 })]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  xenId = await serverIdOf(stack, XEN);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await xen?.stop();
});

test('New network… → Bonded network: eth0+eth1 bonded on every host in active-backup, as the simulator’s records say; the tab shows mode and members', async () => {
  await clearTasks(page);
  await networkRow('Network 0').click();
  await page.getByTestId('tab-network').click();
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await dialog.getByTestId('new-network-kind').selectOption('bond');
  await dialog.getByTestId('new-network-name').fill('Bonded');
  await dialog.getByTestId('new-network-bond-device-eth0').check();
  await expect(dialog.getByTestId('new-network-ok')).toBeDisabled();
  await dialog.getByTestId('new-network-bond-device-eth1').check();
  await dialog.getByTestId('new-network-bond-mode').selectOption('active-backup');
  await shot(page, 'networks-bond-dialog');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'Bonded');
  const [ref] = [...xen.db.records('network')].find(([, r]) => r.name_label === 'Bonded')!;
  const bonds = [...xen.db.records('Bond').values()];
  expect(bonds.map((b) => [b.mode, xen.db.get('PIF', String(b.master))!.network, (b.slaves as string[]).map((s) => xen.db.get('PIF', s)!.device)])).toEqual([
    ['active-backup', ref, ['eth0', 'eth1']],
    ['active-backup', ref, ['eth0', 'eth1']],
  ]);
  await networkRow('Bonded').click();
  await page.getByTestId('tab-network').click();
  const tab = page.getByTestId('network-tab');
  await expect(tab.getByTestId('network-type')).toHaveText('Bond');
  await expect(tab.getByTestId('network-bond-mode')).toHaveText('Active-passive (active-backup)');
  await expect(tab.getByTestId('network-bond-members')).toHaveText('eth0 + eth1');
  await expect(tab.getByTestId('network-interface')).toHaveCount(2);
  await shot(page, 'networks-bond-tab');
  await stack.core.invoke('settings:set', { language: 'zh-CN', theme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(tab.getByTestId('network-bond-mode')).toHaveText('主动-被动 (active-backup)');
  await shot(page, 'networks-bond-tab-zh-dark');
  await stack.core.invoke('settings:set', { language: 'en', theme: 'light' });
});

test('NICs already in a bond are no longer offered for a new one', async () => {
  const networks = xen.db.records('network').size;
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await dialog.getByTestId('new-network-kind').selectOption('bond');
  await dialog.getByTestId('new-network-name').fill('Again');
  await expect(dialog.getByTestId('new-network-bond-devices')).toBeVisible();
  await expect(dialog.getByTestId('new-network-bond-device-eth0')).toHaveCount(0);
  await expect(dialog.getByTestId('new-network-bond-device-eth1')).toHaveCount(0);
  await expect(dialog.getByTestId('new-network-ok')).toBeDisabled();
  expect(xen.db.records('network').size).toBe(networks);
});
