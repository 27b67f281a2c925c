// Networks on vCenter (vcsim's VPX model, issue 16): the distributed switch and its port
// groups in the tree; New network… makes a port group with a VLAN on the switch (read back
// through an independent SOAP session); a VM's Networking tab moves its adapter onto it
// (read back from the VM's devices); Delete network removes it from the server. A standard
// port group made on one host's vSwitch0 (read back from that host's HostNetworkSystem) and
// deleted; on a cluster whose second host lacks the vSwitch the task fails with the server's
// fault and nothing is left. Screenshots in English and Chinese (dark).
import { expect, test, type Page } from '@playwright/test';
import { vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { requirePeer } from '../peers/require-peer';
import { RawSoap, text } from '../integration/vsphere/raw-soap';
import { hostNetworking, networkNamed, portgroups as hostPortgroups } from '../integration/vsphere/host-network-readback';
import { clearTasks, expectTaskSucceeds, nodeRow, taskRow } from './app-driver';
import { shot, type Stack } from './fixtures';
import { closeVcenterApp, openVcenterApp } from './vcenter-app';

test.describe.configure({ mode: 'serial' });

const vcsimMissing = vcsimUnavailableReason();
test.skip(requirePeer(vcsimMissing), `vcsim cannot be built here: ${vcsimMissing}`);

const VC = 'vCenter';
type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

let stack: Stack;
let page: Page;
let vc: Vcsim;
let raw: RawSoap;
let vcId: string;

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

const portgroups = () => raw.objects('DistributedVirtualPortgroup', ['name', 'key', 'config.defaultPortConfig']);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  ({ stack, vc, raw, page, vcId } = await openVcenterApp(browser, VC));
});

test.afterAll(async () => {
  await closeVcenterApp({ page, stack, raw, vc });
});

test('New network… makes a port group with a VLAN on vcsim’s distributed switch', async () => {
  const [dvs] = await raw.objects('DistributedVirtualSwitch', ['name']);
  const switchName = text(dvs!.props.name);
  const row = nodeRow(page, vcId, switchName);
  await expect(row).toHaveAttribute('data-kind', 'network', { timeout: 30_000 });
  await row.click();
  await page.getByTestId('tab-network').click();
  await expect(page.getByTestId('network-type')).toHaveText('Distributed switch');
  await clearTasks(page);
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await expect(dialog.getByTestId('new-network-kind')).toHaveValue('dvportgroup');
  await expect(dialog.getByTestId('new-network-parent')).toHaveValue(dvs!.ref.value);
  await dialog.getByTestId('new-network-name').fill('pg-storage');
  await dialog.getByTestId('new-network-vlan').fill('204');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'pg-storage');
  const made = (await portgroups()).find((g) => text(g.props.name) === 'pg-storage')!;
  expect(text(((made.props['config.defaultPortConfig'] as Node).vlan as Node).vlanId)).toBe('204');
  await nodeRow(page, vcId, 'pg-storage').click();
  await page.getByTestId('tab-network').click();
  await expect(page.getByTestId('network-vlan')).toHaveText('204');
  await expect(page.getByTestId('network-bridge')).toHaveText(switchName);
  await shot(page, 'networks-vsphere-portgroup');
});

test('a VM’s Networking tab moves its adapter onto the port group, as the VM’s devices then say', async () => {
  const [vm] = await raw.objects('VirtualMachine', ['name']);
  const name = text(vm!.props.name);
  const key = text((await portgroups()).find((g) => text(g.props.name) === 'pg-storage')!.props.key);
  await nodeRow(page, vcId, name).click();
  await page.getByTestId('tab-networking').click();
  const tab = page.getByTestId('vm-networking-tab');
  await expect(tab.getByTestId('vm-nic').first()).toBeVisible();
  await clearTasks(page);
  await tab.getByTestId('vm-nic').first().getByTestId('vm-nic-network').selectOption({ label: 'pg-storage' });
  await expectTaskSucceeds(page, 'nic_move', name);
  const devices = list(((await raw.objects('VirtualMachine', ['config.hardware.device'])).find((o) => o.ref.value === vm!.ref.value)!.props['config.hardware.device'] as Node).VirtualDevice as Node | Node[]);
  const nic = devices.find((d) => 'macAddress' in d)!;
  expect(text(((nic.backing as Node).port as Node).portgroupKey)).toBe(key);
  await expect(tab.getByTestId('vm-nic').first().getByTestId('vm-nic-network')).toHaveValue(/pg-storage|dvportgroup/);
  await looks('zh-CN', 'dark');
  await expect(page.getByTestId('tab-networking')).toHaveText('联网');
  await shot(page, 'networks-vsphere-vm-zh-dark');
  await looks('en', 'light');
});

test('Delete network removes a port group no VM is on from the server', async () => {
  const [vm] = await raw.objects('VirtualMachine', ['name']);
  // the adapter back on the switch's own port group first, so the group is free
  await nodeRow(page, vcId, text(vm!.props.name)).click();
  await page.getByTestId('tab-networking').click();
  await clearTasks(page);
  await page.getByTestId('vm-networking-tab').getByTestId('vm-nic').first().getByTestId('vm-nic-network').selectOption({ label: 'DC0_DVPG0' });
  await expectTaskSucceeds(page, 'nic_move', text(vm!.props.name));
  await nodeRow(page, vcId, 'pg-storage').click();
  await page.getByTestId('tab-network').click();
  await clearTasks(page);
  await page.getByTestId('network-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'network_delete', 'pg-storage');
  expect((await portgroups()).some((g) => text(g.props.name) === 'pg-storage')).toBe(false);
  await expect(nodeRow(page, vcId, 'pg-storage')).toHaveCount(0);
});

/** New network… from a standard network's tab, as a standard port group on `place` (a host or cluster moref) and `vswitch`. */
async function newStandardNetwork(name: string, vlan: string, place: string, vswitch: string, screenshot?: string): Promise<void> {
  await nodeRow(page, vcId, 'VM Network').click();
  await page.getByTestId('tab-network').click();
  await clearTasks(page);
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await dialog.getByTestId('new-network-kind').selectOption('standard');
  await dialog.getByTestId('new-network-name').fill(name);
  await dialog.getByTestId('new-network-standard-place').selectOption(place);
  await dialog.getByTestId('new-network-vswitch').selectOption(vswitch);
  await dialog.getByTestId('new-network-vlan').fill(vlan);
  if (screenshot) await shot(page, screenshot);
  await dialog.getByTestId('new-network-ok').click();
}

test('New network… makes a standard port group with a VLAN on one host’s vSwitch0; Delete network removes it', async () => {
  const [cluster] = await raw.objects('ClusterComputeResource', ['name']);
  const host = (await hostNetworking(raw)).find((h) => h.parent === cluster!.ref.value)!;
  await newStandardNetwork('pg-std', '55', host.host.value, 'vSwitch0', 'networks-vsphere-standard-new');
  await expectTaskSucceeds(page, 'network_create', 'pg-std');
  expect((await hostPortgroups(raw, host.system))['pg-std']).toEqual(['55', 'vSwitch0']);
  await nodeRow(page, vcId, 'pg-std').click();
  await page.getByTestId('tab-network').click();
  await expect(page.getByTestId('network-type')).toHaveText('Standard port group');
  await looks('zh-CN', 'dark');
  await page.getByTestId('network-new').click();
  await page.getByTestId('new-network-dialog').getByTestId('new-network-kind').selectOption('standard');
  await expect(page.getByTestId('new-network-dialog')).toContainText('标准 vSwitch');
  await shot(page, 'networks-vsphere-standard-new-zh-dark');
  await page.keyboard.press('Escape');
  await looks('en', 'light');
  await clearTasks(page);
  await page.getByTestId('network-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'network_delete', 'pg-std');
  expect((await hostPortgroups(raw, host.system))['pg-std']).toBeUndefined();
  expect(await networkNamed(raw, 'pg-std')).toBeUndefined();
  await expect(nodeRow(page, vcId, 'pg-std')).toHaveCount(0);
});

test('on a cluster whose second host has no vSwitch1 the task fails with the server’s fault and no host keeps the port group', async () => {
  const [cluster] = await raw.objects('ClusterComputeResource', ['name']);
  const hosts = (await hostNetworking(raw)).filter((h) => h.parent === cluster!.ref.value);
  await raw.call('AddVirtualSwitch', hosts[0]!.system, '<vswitchName>vSwitch1</vswitchName>');
  await newStandardNetwork('pg-half', '9', cluster!.ref.value, 'vSwitch1');
  const row = taskRow(page, 'network_create').filter({ hasText: 'pg-half' });
  await expect(row).toHaveAttribute('data-status', 'failure', { timeout: 30_000 });
  // the fault's code in the row, Polyvisor's words (which host refused, what was undone) in its title
  await expect(row.getByTestId('task-error')).toContainText('NotFound');
  await expect(row.getByTestId('task-error')).toHaveAttribute('title', new RegExp(`^${hosts[1]!.name} refused the port group pg-half: .*made on ${hosts[0]!.name} was removed again`));
  await shot(page, 'networks-vsphere-standard-refused');
  for (const h of hosts) expect((await hostPortgroups(raw, h.system))['pg-half']).toBeUndefined();
  expect(await networkNamed(raw, 'pg-half')).toBeUndefined();
});
