// Networks (issue 16) on a XenServer pool loaded from state1.xml: networks in the tree
// where XenCenter's rules put them, a network's tab with its PIFs per host and its VMs
// as the simulator's records have them; New network… makes a VLAN on every host's eth1
// (read back from the simulator's VLAN and PIF records); a running VM's Networking tab
// lists its VIFs, one moves to the VLAN, a NIC is added and removed — each checked in
// the simulator's VIF records; Delete network refused while a VM is on it. Screenshots
// in English and Chinese (dark).
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { XAPI_DB_DIR } from '../shared-dir';
import { addServer, clearTasks, expectTaskSucceeds, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { treePaths } from './migration-driver';

test.describe.configure({ mode: 'serial' });

const XEN = 'Lab pool';

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let xenId: string;

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

const networkRow = (serverId: string, name: string) => page.locator(`[role=treeitem][data-kind=network][aria-label="${name}"][data-key^="${serverId}:"]`);
const networkNamed = (label: string) => [...xen.db.records('network')].find(([, r]) => r.name_label === label)!;
const isGuest = (vm: Record<string, unknown>) => !vm.is_control_domain && !vm.is_a_template && !vm.is_a_snapshot;

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

test('the tree shows the pool’s networks named after their NIC, the guest installer network hidden', async () => {
  await expect.poll(async () => (await treePaths(page)).filter((p) => /\/Network \d$|installer/.test(p)).sort(), { timeout: 30_000 }).toEqual([`${XEN}/Hottub/Network 0`, `${XEN}/Hottub/Network 1`]);
});

test('a network’s tab: type, MTU, bridge, its PIFs per host and the VMs on it, as the simulator has them', async () => {
  const [ref, record] = networkNamed('Pool-wide network associated with eth0');
  await networkRow(xenId, 'Network 0').click();
  await page.getByTestId('tab-network').click();
  const tab = page.getByTestId('network-tab');
  await expect(tab.getByTestId('network-type')).toHaveText('Bridge on a NIC');
  await expect(tab.getByTestId('network-bridge')).toHaveText(String(record.bridge));
  await expect(tab.getByTestId('network-vlan')).toHaveText('None (untagged)');
  const pifs = [...xen.db.records('PIF').values()].filter((p) => p.network === ref);
  await expect(tab.getByTestId('network-interface')).toHaveCount(pifs.length);
  const guests = [...xen.db.records('VIF').values()].filter((v) => v.network === ref && isGuest(xen.db.get('VM', String(v.VM))!));
  await expect(tab.getByTestId('network-guest')).toHaveCount(guests.length);
  for (const vif of guests) await expect(tab.getByTestId('network-guests')).toContainText(String(vif.MAC));
  await shot(page, 'networks-tab-xapi');
});

test('New network… makes a VLAN on every host’s eth1: the simulator has the VLAN PIFs, the tree and tab show it', async () => {
  await clearTasks(page);
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('new-network-kind').selectOption('vlan');
  await dialog.getByTestId('new-network-name').fill('Backup VLAN');
  await dialog.getByTestId('new-network-device').selectOption('eth1');
  await dialog.getByTestId('new-network-vlan').fill('5000');
  await expect(dialog.getByTestId('new-network-vlan-invalid')).toBeVisible();
  await expect(dialog.getByTestId('new-network-ok')).toBeDisabled();
  await dialog.getByTestId('new-network-vlan').fill('120');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'Backup VLAN');
  const [ref] = networkNamed('Backup VLAN');
  const vlanPifs = [...xen.db.records('PIF').values()].filter((p) => p.network === ref);
  expect(vlanPifs.map((p) => [p.device, p.VLAN]).sort()).toEqual([
    ['eth1', 120],
    ['eth1', 120],
  ]);
  expect([...xen.db.records('VLAN').values()].map((v) => v.tag)).toEqual([120, 120]);
  await networkRow(xenId, 'Backup VLAN').click();
  await page.getByTestId('tab-network').click();
  const tab = page.getByTestId('network-tab');
  await expect(tab.getByTestId('network-type')).toHaveText('VLAN');
  await expect(tab.getByTestId('network-vlan')).toHaveText('120');
  await expect(tab.getByTestId('network-interface')).toHaveCount(2);
  await expect(tab.getByTestId('network-hosts')).toHaveText(/incubus, inflames|inflames, incubus/);
});

test('a running VM’s Networking tab: its VIFs; one moved to the VLAN, one added and removed, read back from the simulator', async () => {
  await clearTasks(page);
  const [vlanRef] = networkNamed('Backup VLAN');
  const [vmRef, vm] = [...xen.db.records('VM')].find(([, r]) => isGuest(r) && r.power_state === 'Running' && (r.VIFs as string[]).length > 0)!;
  const name = String(vm.name_label);
  await page.locator(`[role=treeitem][data-key="${xenId}:vm:${vmRef}"]`).click();
  await page.getByTestId('tab-networking').click();
  const tab = page.getByTestId('vm-networking-tab');
  const vifs = (vm.VIFs as string[]).map((r) => [r, xen.db.get('VIF', r)!] as const);
  await expect(tab.getByTestId('vm-nic')).toHaveCount(vifs.length);
  const [vifRef, vif] = vifs[0]!;
  const row = tab.locator(`[data-testid=vm-nic][data-id="${vifRef}"]`);
  await expect(row.getByTestId('vm-nic-mac')).toHaveText(String(vif.MAC));
  await shot(page, 'networks-vm-networking-xapi');

  await row.getByTestId('vm-nic-network').selectOption({ label: 'Backup VLAN' });
  await expectTaskSucceeds(page, 'nic_move', name);
  expect(xen.db.get('VIF', vifRef)!.network).toBe(vlanRef);

  await tab.getByTestId('nic-add-network').selectOption({ label: 'Network 1' });
  await tab.getByTestId('nic-add').click();
  await expectTaskSucceeds(page, 'nic_add', name);
  const added = (xen.db.get('VM', vmRef)!.VIFs as string[]).find((r) => !vifs.some(([v]) => v === r))!;
  const [, network1] = [...xen.db.records('network')].find(([, r]) => r.name_label === 'Pool-wide network associated with eth1')!;
  expect(xen.db.get('VIF', added)).toMatchObject({ network: [...xen.db.records('network')].find(([, r]) => r === network1)![0], currently_attached: true });
  await expect(tab.getByTestId('vm-nic')).toHaveCount(vifs.length + 1);

  await clearTasks(page);
  await tab.locator(`[data-testid=vm-nic][data-id="${added}"]`).getByTestId('vm-nic-remove').click();
  await expectTaskSucceeds(page, 'nic_remove', name);
  expect(xen.db.get('VIF', added)).toBeUndefined();
  await expect(tab.getByTestId('vm-nic')).toHaveCount(vifs.length);

  await looks('zh-CN', 'dark');
  await expect(page.getByTestId('tab-networking')).toHaveText('联网');
  await shot(page, 'networks-vm-networking-xapi-zh-dark');
  await looks('en', 'light');
});

test('Delete network is refused while a VM is on it (the server’s NETWORK_CONTAINS_VIF), and goes once none is', async () => {
  await clearTasks(page);
  const [vlanRef] = networkNamed('Backup VLAN');
  await networkRow(xenId, 'Backup VLAN').click();
  await page.getByTestId('tab-network').click();
  await page.getByTestId('network-delete').click();
  await page.getByTestId('confirm-ok').click();
  const failed = page.locator('[data-testid=task-row][data-action=network_delete]');
  await expect(failed).toHaveAttribute('data-status', 'failure', { timeout: 30_000 });
  await expect(failed).toContainText(/NETWORK_CONTAINS_VIF|VIF/);
  expect(xen.db.get('network', vlanRef)).toBeDefined();
  // the VM's VIF back on Network 0, then the VLAN can go
  const vif = [...xen.db.records('VIF')].find(([, v]) => v.network === vlanRef)!;
  xen.db.update('VIF', vif[0], { network: networkNamed('Pool-wide network associated with eth0')[0] });
  await clearTasks(page);
  await page.getByTestId('network-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'network_delete', 'Backup VLAN');
  expect(xen.db.get('network', vlanRef)).toBeUndefined();
  expect([...xen.db.records('VLAN').values()]).toEqual([]);
  await expect(networkRow(xenId, 'Backup VLAN')).toHaveCount(0);
});
