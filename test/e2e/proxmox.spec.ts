// A Proxmox VE cluster (simulator over HTTPS, a non-default realm) beside a XenServer
// pool (XAPI simulator on a real pool database) in one tree, both added through the
// UI. Snapshots with RAM on a running qemu VM and disk-only on an LXC container:
// take → revert → delete, checked in the Snapshots tab, the tasks panel and the
// simulator's own state. Search across both servers.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator, type SimGuest } from '../sim/proxmox/index';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import {
  addServer,
  clearTasks,
  deleteSnapshot,
  expectTaskSucceeds,
  nodeRow,
  openSnapshots,
  revertTo,
  search,
  serverIdOf,
  serverRow,
  snapshotOutline,
  snapshotRow,
  takeSnapshot,
  taskRow,
} from './app-driver';
import { openApp, sharedFixtures, shot, startStack, type Stack } from './fixtures';
import { readTree, rowPaths } from './tree-reader';
import { expectedPvePaths } from './pve-expected';
import { expectedPaths } from './xapi-expected';

test.describe.configure({ mode: 'serial' });

const XEN = 'Xen pool';
const PVE = 'PVE cluster';

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let pve: ProxmoxSimulator;
let pveId: string;

test.beforeAll(async ({ browser }) => {
  [stack, xen, pve] = await Promise.all([
    startStack(),
    startXapiSimulator({ db: path.join(sharedFixtures, 'xapi-db', 'state4.xml') }),
    // long enough tasks to see them running in the panel
    startProxmoxSimulator({ user: 'admin@pve', password: 'pve-secret', taskDurationMs: 1500 }),
  ]);
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xen?.stop(), pve?.stop()]);
});

const guest = (vmid: number): SimGuest => {
  const g = pve.state.guest(vmid);
  if (!g) throw new Error(`the simulator has no guest ${vmid}`);
  return g;
};

test('a Proxmox VE cluster and a XenServer pool are added through the UI and shown side by side', async () => {
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });

  await page.getByTestId('tb-add-server').click();
  await page.getByTestId('add-server-type').selectOption('proxmox');
  // the Proxmox-only fields, with PVE's own port and realm defaults
  await expect(page.getByTestId('add-server-port')).toHaveValue('8006');
  await expect(page.getByTestId('add-server-realm')).toHaveValue('pam');
  await expect(page.getByTestId('add-server-tokenId')).toBeVisible();
  await page.getByTestId('add-server-cancel').click();
  await addServer(page, {
    type: 'proxmox',
    name: PVE,
    host: pve.host,
    port: pve.port,
    user: 'admin',
    realm: 'pve',
    password: 'pve-secret',
    fingerprint256: pve.fingerprint256,
  });
  pveId = await serverIdOf(stack, PVE);
  const saved = (await stack.core.invoke('servers:list')).find((s) => s.id === pveId)!;
  expect(saved.options.realm).toBe('pve');
  expect(saved.pinnedFingerprint).toBe(pve.fingerprint256);
  expect(pve.stats().passwordLogins).toBeGreaterThan(0);

  const expected = [...expectedPaths(XEN, xen), ...expectedPvePaths(PVE, pve)].sort();
  await expect.poll(async () => rowPaths(await readTree(page)).sort()).toEqual(expected);
  // the tree draws only the rows in view (the nodes' networks and storages come first): find each by name
  const found = async (name: string) => {
    await search(page, name);
    return nodeRow(page, pveId, name);
  };
  await expect(await found('server1')).toHaveAttribute('data-kind', 'vm');
  await expect(nodeRow(page, pveId, 'server1')).toHaveAttribute('data-state', 'running');
  await expect(await found('test')).toHaveAttribute('data-kind', 'container');
  await expect(await found('machine-test')).toHaveAttribute('data-state', 'halted');
  await search(page, '');
  await shot(page, 'proxmox-tree');
  await serverRow(page, PVE).click();
  await expect(page.getByTestId('details-title')).toHaveText(PVE);
  await expect(page.getByTestId('server-details').locator('[data-prop=user]')).toHaveText('admin@pve');
  await shot(page, 'proxmox-server');
});

test('the General tab shows a Proxmox guest with readable properties', async () => {
  await search(page, 'server1');
  await nodeRow(page, pveId, 'server1').click();
  await page.getByTestId('tab-general').click();
  const props = page.getByTestId('general-props');
  await expect(props.locator('[data-prop=state]')).toHaveText('Running');
  await expect(props.locator('[data-prop=vmid]')).toHaveText('100');
  await expect(props.locator('[data-prop=memory]')).toHaveText('1 GiB');
  await expect(props.locator('[data-prop=vcpus]')).toHaveText('1');
  // the node once, as the host (Proxmox's node is not repeated as its own row: issue 19 item 7)
  await expect(props.locator('[data-prop=parent]')).toHaveText('node2');
  await expect(props.locator('[data-prop=node]')).toHaveCount(0);
  await expect(props.getByText('VM ID')).toBeVisible();
  // uptime in days, hours and minutes, not raw seconds
  await expect(props.locator('[data-prop=uptime]')).toHaveText(/^\d+ d \d+ h \d+ min$/);
  await shot(page, 'proxmox-general');
});

test('search finds virtual machines on both servers', async () => {
  await search(page, 'server');
  const guests = (await readTree(page)).filter((r) => r.kind === 'vm' || r.kind === 'container');
  const xenVms = [...xen.db.records('VM').values()]
    .filter((v) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain)
    .map((v) => String(v.name_label));
  const pveGuests = [...pve.state.guests.values()].filter((g) => !g.template).map((g) => g.name);
  const matching = (names: string[]) => names.filter((n) => n.toLowerCase().includes('server'));
  expect(matching(xenVms).length).toBeGreaterThan(0);
  expect(matching(pveGuests).length).toBeGreaterThan(0);
  expect(guests.map((r) => r.name).sort()).toEqual([...matching(xenVms), ...matching(pveGuests)].sort());
  const paths = rowPaths(await readTree(page));
  expect(paths.some((p) => p.startsWith(`${XEN}/`))).toBe(true);
  expect(paths.some((p) => p.startsWith(`${PVE}/`))).toBe(true);
  await shot(page, 'proxmox-search');
  await search(page, '');
});

test('a running qemu VM: snapshot with RAM, rollback resumes it, delete', async () => {
  const vm = guest(100);
  await openSnapshots(page, pveId, 'server1');
  // the recorded cluster's snapshots, as a chain, the VM after the newest
  await expect.poll(() => snapshotOutline(page)).toEqual(['snap1', '  snap2', '    @']);
  await expect(snapshotRow(page, 'snap1')).toContainText('Disk and memory');

  await clearTasks(page);
  await takeSnapshot(page, { name: 'e2e_ram', description: 'before the change', memory: true });
  await expect(page.getByTestId('snapshot-memory')).toHaveCount(0);
  const create = taskRow(page, 'snapshot_create').filter({ hasText: 'server1' });
  await expect(create).toHaveAttribute('data-status', 'running');
  await shot(page, 'proxmox-snapshot-running');
  await expectTaskSucceeds(page, 'snapshot_create', 'server1');
  await expect.poll(() => snapshotOutline(page)).toEqual(['snap1', '  snap2', '    e2e_ram', '      @']);
  await expect(snapshotRow(page, 'e2e_ram')).toContainText('Disk and memory');
  const taken = vm.snapshots.get('e2e_ram');
  expect(taken?.vmstate).toMatch(/^local-lvm:vm-100-state-e2e_ram$/);
  expect(taken?.description).toBe('before the change');
  expect(taken?.parent).toBe('snap2');
  expect(vm.parent).toBe('e2e_ram');
  await shot(page, 'proxmox-snapshots');

  // behind the app's back: more CPUs, then the VM is powered off
  vm.maxcpu = 4;
  vm.configVersion++;
  vm.status = 'stopped';
  vm.qmpstatus = undefined;
  vm.startedAt = undefined;
  await search(page, 'server1');
  await expect(nodeRow(page, pveId, 'server1')).toHaveAttribute('data-state', 'halted', { timeout: 15_000 });

  await clearTasks(page);
  const message = await revertTo(page, 'e2e_ram');
  expect(message).toContain('server1');
  await expectTaskSucceeds(page, 'snapshot_revert', 'e2e_ram');
  // the RAM state comes back: the VM runs again, with the configuration it had
  await expect(nodeRow(page, pveId, 'server1')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
  expect(vm.status).toBe('running');
  expect(vm.maxcpu).toBe(1);
  expect(vm.parent).toBe('e2e_ram');
  await page.getByTestId('tab-general').click();
  await expect(page.getByTestId('general-props').locator('[data-prop=vcpus]')).toHaveText('1', { timeout: 15_000 });
  await page.getByTestId('tab-snapshots').click();

  await clearTasks(page);
  await deleteSnapshot(page, 'e2e_ram');
  await expectTaskSucceeds(page, 'snapshot_delete', 'e2e_ram');
  await expect(snapshotRow(page, 'e2e_ram')).toHaveCount(0);
  await expect.poll(() => snapshotOutline(page)).toEqual(['snap1', '  snap2', '    @']);
  expect(vm.snapshots.has('e2e_ram')).toBe(false);
  expect(vm.parent).toBe('snap2');
});

test('an LXC container: no memory option, snapshot, rollback and delete', async () => {
  const ct = guest(106);
  await openSnapshots(page, pveId, 'test');
  await expect.poll(() => snapshotOutline(page)).toEqual(['snapshot1', '  @']);
  await expect(nodeRow(page, pveId, 'test')).toHaveAttribute('data-state', 'running');
  // a running container still has no memory snapshots
  await expect(page.getByTestId('snap-take-memory')).toBeDisabled();
  await page.getByTestId('snap-take').click();
  await expect(page.getByTestId('snapshot-memory')).toBeDisabled();
  await expect(page.getByTestId('snapshot-memory')).not.toBeChecked();
  await page.getByRole('button', { name: 'Cancel' }).click();

  await clearTasks(page);
  await takeSnapshot(page, { name: 'e2e_ct', description: 'container state' });
  await expectTaskSucceeds(page, 'snapshot_create', 'test');
  await expect.poll(() => snapshotOutline(page)).toEqual(['snapshot1', '  e2e_ct', '    @']);
  await expect(snapshotRow(page, 'e2e_ct')).toContainText('Disk only');
  expect(ct.snapshots.get('e2e_ct')?.vmstate).toBeUndefined();
  expect(ct.parent).toBe('e2e_ct');

  await clearTasks(page);
  await revertTo(page, 'snapshot1');
  await expectTaskSucceeds(page, 'snapshot_revert', 'snapshot1');
  await expect.poll(() => snapshotOutline(page)).toEqual(['snapshot1', '  e2e_ct', '  @']);
  expect(ct.parent).toBe('snapshot1');

  await clearTasks(page);
  await deleteSnapshot(page, 'e2e_ct');
  await expectTaskSucceeds(page, 'snapshot_delete', 'e2e_ct');
  await expect.poll(() => snapshotOutline(page)).toEqual(['snapshot1', '  @']);
  expect(ct.snapshots.has('e2e_ct')).toBe(false);
  await shot(page, 'proxmox-lxc-snapshots');
  await expect(serverRow(page, PVE)).toHaveAttribute('data-state', 'connected');
});
