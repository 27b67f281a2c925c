// Networks on Proxmox VE (issue 16, the simulator's default cluster): a node's bridge in
// the tree with its ports and the guests on it; New network… makes a Linux VLAN on a
// node's bridge and an SDN vnet in a zone, each applied (read back from the simulator's
// running network file and SDN config); a VM's Networking tab adds a NIC on the vnet,
// moves it to a bridge of its node and removes it (read back from the VM's config); a
// VLAN left pending on the server is shown so; Delete network removes the VLAN; New
// network… makes an active-backup bond of node2's free NICs and a VLAN-aware bridge on
// it (read back from node2's running network file) and a VLAN zone (EVPN greyed with its
// reason; read back from the running SDN config), shown in the tree with its type; a
// vnet's tab adds a subnet and removes one (read back from the running SDN config).
// Screenshots in English and Chinese (dark).
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { editPending, hasPendingNetwork, revertPending, runningInterfaces } from '../sim/proxmox/node-network';
import { sdnOf } from '../sim/proxmox/sdn-state';
import { addServer, clearTasks, expectTaskSucceeds, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const PVE = 'PVE cluster';
let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;
let pveId: string;

const row = (ref: string) => page.locator(`[role=treeitem][data-key="${pveId}:network:${ref}"]`);
const net1 = () => String(pve.state.guest(100)!.config.net1 ?? pve.state.guest(100)!.pending?.net1 ?? '');

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

async function openNetwork(ref: string): Promise<void> {
  await expect(row(ref)).toHaveAttribute('data-kind', 'network', { timeout: 30_000 });
  await row(ref).click();
  await page.getByTestId('tab-network').click();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, pve] = await Promise.all([startStack(), startProxmoxSimulator({ taskDurationMs: 150 })]);
  // node2 has two more NICs, unused: what a new bond takes
  pve.state.interfaces.push({ node: 'node2', iface: 'eno2', type: 'eth' }, { node: 'node2', iface: 'eno3', type: 'eth' });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
  pveId = await serverIdOf(stack, PVE);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
});

test('a node’s bridge shows its ports, its node and the guests on it', async () => {
  await openNetwork('node2/vmbr0');
  await expect(page.getByTestId('network-type')).toHaveText('Bridge on a NIC (bridge)');
  await expect(page.getByTestId('network-ports')).toHaveText('eno1');
  await expect(page.getByTestId('network-hosts')).toHaveText('node2');
  const onIt = [...pve.state.guests.values()].filter((g) => g.node === 'node2' && String(g.config.net0 ?? '').includes('bridge=vmbr0')).map((g) => g.name);
  await expect(page.getByTestId('network-guest')).toHaveCount(onIt.length);
  await expect(page.getByTestId('network-guests')).toContainText('server1');
  await shot(page, 'networks-proxmox-bridge');
});

test('New network… makes a Linux VLAN on node2’s vmbr1 and applies it', async () => {
  await clearTasks(page);
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await expect(dialog.getByTestId('new-network-kind')).toHaveValue('vlan');
  await dialog.getByTestId('new-network-device').selectOption({ label: 'node2: vmbr1' });
  await dialog.getByTestId('new-network-name').fill('backup');
  await dialog.getByTestId('new-network-vlan').fill('42');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'backup');
  expect(runningInterfaces(pve.state, 'node2').find((i) => i.iface === 'vmbr1.42')).toMatchObject({ type: 'vlan', comments: 'backup' });
  expect(hasPendingNetwork(pve.state, 'node2')).toBe(false);
  await openNetwork('node2/vmbr1.42');
  await expect(page.getByTestId('network-vlan')).toHaveText('42');
  await expect(page.getByTestId('network-bridge')).toHaveText('vmbr1');
  await expect(page.getByTestId('network-pending')).toHaveCount(0);
});

test('New network… makes an SDN vnet in the VLAN zone and applies it', async () => {
  await clearTasks(page);
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await dialog.getByTestId('new-network-kind').selectOption('sdn');
  await dialog.getByTestId('new-network-parent').selectOption('lab');
  await dialog.getByTestId('new-network-name').fill('e2enet');
  await dialog.getByTestId('new-network-vlan').fill('45');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'e2enet');
  expect(sdnOf(pve.state).running.vnets.get('e2enet')).toMatchObject({ zone: 'lab', tag: 45 });
  await openNetwork('vnet:e2enet');
  await expect(page.getByTestId('network-vlan')).toHaveText('45');
  await looks('zh-CN', 'dark');
  await expect(page.getByTestId('tab-network')).not.toHaveText('Network');
  await shot(page, 'networks-proxmox-vnet-zh-dark');
  await looks('en', 'light');
});

test('a VM’s Networking tab adds a NIC on the vnet, moves it to vmbr1 and removes it, as its config then says', async () => {
  await page.locator(`[role=treeitem][data-key="${pveId}:vm:qemu/100"]`).click();
  await page.getByTestId('tab-networking').click();
  const tab = page.getByTestId('vm-networking-tab');
  await expect(tab.getByTestId('vm-nic')).toHaveCount(1);
  // only what a NIC of a guest on node2 can go on: node2's bridges and the vnets
  const offered = await tab.getByTestId('nic-add-network').locator('option').allTextContents();
  expect(offered.sort()).toEqual([...sdnOf(pve.state).running.vnets.keys(), 'vmbr0', 'vmbr1'].sort());
  await clearTasks(page);
  await tab.getByTestId('nic-add-network').selectOption({ label: 'e2enet' });
  await tab.getByTestId('nic-add').click();
  await expectTaskSucceeds(page, 'nic_add', 'server1');
  expect(net1()).toMatch(/^virtio=[0-9A-F:]{17},bridge=e2enet$/);
  const added = tab.locator('[data-testid=vm-nic][data-id=net1]');
  await expect(added).toBeVisible();
  await clearTasks(page);
  await added.getByTestId('vm-nic-network').selectOption({ label: 'vmbr1' });
  await expectTaskSucceeds(page, 'nic_move', 'server1');
  expect(net1()).toMatch(/,bridge=vmbr1$/);
  await shot(page, 'networks-proxmox-vm');
  await clearTasks(page);
  await added.getByTestId('vm-nic-remove').click();
  await expectTaskSucceeds(page, 'nic_remove', 'server1');
  const g = pve.state.guest(100)!;
  expect(g.config.net1 === undefined || (g.pendingDelete ?? []).includes('net1')).toBe(true);
});

test('a VLAN left in node3’s pending network file shows as not applied yet', async () => {
  editPending(pve.state, 'node3', (ifaces) => [...ifaces, { node: 'node3', iface: 'vmbr0.99', type: 'vlan' }]);
  await openNetwork('node3/vmbr0.99');
  await expect(page.getByTestId('network-pending')).toHaveText('Pending: made, not applied yet');
  await shot(page, 'networks-proxmox-pending');
  revertPending(pve.state, 'node3');
  await expect(row('node3/vmbr0.99')).toHaveCount(0, { timeout: 30_000 });
});

test('Delete network removes the VLAN from node2 and applies it', async () => {
  await openNetwork('node2/vmbr1.42');
  await clearTasks(page);
  await page.getByTestId('network-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'network_delete', 'vmbr1.42');
  expect(runningInterfaces(pve.state, 'node2').some((i) => i.iface === 'vmbr1.42')).toBe(false);
  await expect(row('node2/vmbr1.42')).toHaveCount(0);
});

test('New network… makes an active-backup bond of node2’s free NICs and a VLAN-aware bridge on it, each applied', async () => {
  await openNetwork('node2/vmbr0');
  await clearTasks(page);
  await page.getByTestId('network-new').click();
  let dialog = page.getByTestId('new-network-dialog');
  await dialog.getByTestId('new-network-kind').selectOption('bond');
  await dialog.getByTestId('new-network-host').selectOption('node2');
  // only node2's NICs that no bond or bridge uses
  await expect(dialog.getByTestId('new-network-members').locator('input[type=checkbox]')).toHaveCount(2);
  await dialog.getByTestId('new-network-name').fill('bond1');
  await expect(dialog.getByTestId('new-network-ok')).toBeDisabled();
  await dialog.getByTestId('new-network-members-eno2').check();
  await dialog.getByTestId('new-network-members-eno3').check();
  await dialog.getByTestId('new-network-bond-mode').selectOption('active-backup');
  await dialog.getByTestId('new-network-bond-primary').selectOption('eno3');
  await shot(page, 'networks-proxmox-new-bond');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'bond1');
  expect(runningInterfaces(pve.state, 'node2').find((i) => i.iface === 'bond1')).toEqual({ node: 'node2', iface: 'bond1', type: 'bond', slaves: 'eno2 eno3', bond_mode: 'active-backup', 'bond-primary': 'eno3' });

  await clearTasks(page);
  await page.getByTestId('network-new').click();
  dialog = page.getByTestId('new-network-dialog');
  await dialog.getByTestId('new-network-kind').selectOption('bridge');
  await dialog.getByTestId('new-network-host').selectOption('node2');
  await dialog.getByTestId('new-network-name').fill('vmbr7');
  await dialog.getByTestId('new-network-ports-bond1').check();
  await dialog.getByTestId('new-network-vlan-aware').check();
  await dialog.getByTestId('new-network-cidr').fill('10.7.0.2/24');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'vmbr7');
  expect(runningInterfaces(pve.state, 'node2').find((i) => i.iface === 'vmbr7')).toMatchObject({ type: 'bridge', bridge_ports: 'bond1', bridge_vlan_aware: 1, cidr: '10.7.0.2/24' });
  expect(hasPendingNetwork(pve.state, 'node2')).toBe(false);
  await openNetwork('node2/vmbr7');
  await expect(page.getByTestId('network-ports')).toHaveText('bond1');
  await expect(page.getByTestId('network-subnets')).toHaveText('10.7.0.2/24');
});

test('New network… makes a VLAN zone on vmbr0 (EVPN greyed with the reason), in the tree with its type', async () => {
  await looks('zh-CN', 'dark');
  await clearTasks(page);
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await dialog.getByTestId('new-network-kind').selectOption('zone');
  const types = dialog.getByTestId('new-network-zone-type');
  await expect(types.locator('option[value=evpn]')).toBeDisabled();
  await expect(types.locator('option[value=vxlan]')).toBeEnabled();
  await expect(dialog.getByTestId('new-network-zone-greyed')).toContainText('EVPN');
  await types.selectOption('vlan');
  await expect(dialog.getByTestId('new-network-zone-bridge').locator('option')).toHaveText(['vmbr0', 'vmbr1']);
  await dialog.getByTestId('new-network-zone-bridge').selectOption('vmbr0');
  await dialog.getByTestId('new-network-name').fill('tagged');
  await shot(page, 'networks-proxmox-new-zone-zh-dark');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'tagged');
  await looks('en', 'light');
  expect(sdnOf(pve.state).running.zones.get('tagged')).toMatchObject({ type: 'vlan', bridge: 'vmbr0' });
  await openNetwork('zone:tagged');
  await expect(page.getByTestId('network-type')).toHaveText('SDN zone (vlan)');
  await expect(page.getByTestId('network-bridge')).toHaveText('vmbr0');
  await shot(page, 'networks-proxmox-zone');
});

test('a vnet’s tab lists its subnets, adds one with gateway and SNAT and removes one, each applied', async () => {
  await openNetwork('vnet:privnet');
  const list = page.getByTestId('network-subnet-list');
  await expect(list.getByTestId('network-subnet')).toHaveCount(1);
  await expect(list.locator('[data-id="isolated-10.50.0.0-24"]')).toContainText('10.50.0.1');
  await clearTasks(page);
  await page.getByTestId('network-subnet-cidr').fill('10.62.0.0/24');
  await page.getByTestId('network-subnet-gateway').fill('10.62.0.1');
  await page.getByTestId('network-subnet-snat').check();
  await page.getByTestId('network-subnet-ok').click();
  await expectTaskSucceeds(page, 'subnet_add', 'privnet');
  expect(sdnOf(pve.state).running.subnets.get('isolated-10.62.0.0-24')).toMatchObject({ vnet: 'privnet', gateway: '10.62.0.1', snat: 1 });
  await expect(list.locator('[data-id="isolated-10.62.0.0-24"]')).toContainText('10.62.0.1');
  await shot(page, 'networks-proxmox-subnets');
  await clearTasks(page);
  await list.locator('[data-id="isolated-10.50.0.0-24"]').getByTestId('network-subnet-remove').click();
  await expectTaskSucceeds(page, 'subnet_remove', 'privnet');
  expect(sdnOf(pve.state).running.subnets.has('isolated-10.50.0.0-24')).toBe(false);
  await expect(list.getByTestId('network-subnet')).toHaveCount(1);
});
