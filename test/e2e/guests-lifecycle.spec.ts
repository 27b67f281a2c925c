// Issue 14 on XenServer (a generated XAPI pool): Clone (fast or full), Convert to
// Template, and Delete with and without the disks. The delete confirmation lists each
// disk with its size and storage and whether it goes; what the simulator holds
// afterwards (VM and VDI records) is the proof. Screenshots of the confirmation in
// English and Chinese.
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromMenu } from './guests-driver';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const POOL = 'Lifecycle pool';
const GiB = 1024 ** 3;

let stack: Stack;
let page: Page;
let sim: XapiSimulator;
let serverId: string;

type Rec = Record<string, unknown>;
const vmRef = (name: string) => [...sim.db.records('VM')].find(([, r]) => r.name_label === name && !r.is_a_snapshot)?.[0];
const vm = (name: string) => sim.db.get('VM', vmRef(name)!) as Rec;
const diskVdis = (name: string) =>
  (vm(name).VBDs as string[])
    .map((b) => sim.db.get('VBD', b) as Rec)
    .filter((b) => b.type === 'Disk')
    .map((b) => String(b.VDI));
const vdiExists = (ref: string) => sim.db.get('VDI', ref) !== undefined;

test.beforeAll(async ({ browser }) => {
  // vm-00001 runs, vm-00002 and vm-00004 are halted; each has one disk on the shared SR
  [stack, sim] = await Promise.all([startStack(), startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 2 }, poolName: POOL, taskDurationMs: 200 })]);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: POOL, host: sim.host, port: sim.port, user: 'root', password: 'password', fingerprint256: sim.fingerprint256 });
  serverId = await serverIdOf(stack, POOL);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await sim?.stop();
});

test('Clone… makes a full copy under the name given, with disks of its own', async () => {
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, serverId, 'vm-00002'), 'clone-guest');
  const dialog = page.getByTestId('clone-guest-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('clone-guest-name')).toHaveValue('Copy of vm-00002');
  // XenServer has both: a fast (copy-on-write) clone and a full copy
  await expect(page.getByTestId('clone-guest-fast')).toBeChecked();
  await page.getByTestId('clone-guest-full').check();
  await page.getByTestId('clone-guest-name').fill('vm-copy');
  await page.getByTestId('clone-guest-ok').click();
  await expect(dialog).toBeHidden();
  await expectTaskSucceeds(page, 'clone', 'vm-00002');
  await expect(nodeRow(page, serverId, 'vm-copy')).toBeVisible();
  expect(vm('vm-copy').is_a_template).toBe(false);
  expect(diskVdis('vm-copy')).toHaveLength(1);
  expect(diskVdis('vm-copy')[0]).not.toBe(diskVdis('vm-00002')[0]);
});

test('Convert to Template asks first, then the simulator holds a template', async () => {
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, serverId, 'vm-copy'), 'to-template');
  await expect(page.getByTestId('confirm-dialog')).toContainText('vm-copy');
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'to_template', 'vm-copy');
  await expect.poll(() => vm('vm-copy').is_a_template).toBe(true);
});

test('deleting a running VM asks for Force: without it the dialog will not delete', async () => {
  await fromMenu(page, nodeRow(page, serverId, 'vm-00001'), 'delete-guest');
  const dialog = page.getByTestId('delete-guests-dialog');
  await expect(page.getByTestId('delete-guests-running')).toContainText('vm-00001');
  await expect(page.getByTestId('delete-guests-ok')).toBeDisabled();
  await page.getByTestId('delete-guests-force').check();
  await expect(page.getByTestId('delete-guests-ok')).toBeEnabled();
  await page.getByTestId('delete-guests-cancel').click();
  await expect(dialog).toBeHidden();
  expect(vm('vm-00001').power_state).toBe('Running');
});

test('Delete keeping the disks: the plan says they stay, the VM goes and its VDI stays in the SR', async () => {
  const vdis = diskVdis('vm-00004');
  const size = Number((sim.db.get('VDI', vdis[0]) as Rec).virtual_size) / GiB;
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, serverId, 'vm-00004'), 'delete-guest');
  const dialog = page.getByTestId('delete-guests-dialog');
  const disk = dialog.getByTestId('delete-disk');
  await expect(disk).toHaveCount(1);
  await expect(disk).toContainText(`${size} GiB`);
  await expect(disk).toContainText('Shared NFS storage');
  await expect(disk).toHaveAttribute('data-fate', 'deleted');
  await page.getByTestId('delete-guests-disks').uncheck();
  await expect(disk).toHaveAttribute('data-fate', 'kept');
  await page.getByTestId('delete-guests-ok').click();
  await expectTaskSucceeds(page, 'destroy', 'vm-00004');
  await expect(nodeRow(page, serverId, 'vm-00004')).toHaveCount(0);
  expect(vmRef('vm-00004')).toBeUndefined();
  expect(vdis.map(vdiExists)).toEqual([true]);
});

test('Delete with the disks: the confirmation (English and Chinese) lists disks and snapshots, then the VDI is gone too', async () => {
  const record = vm('vm-00002');
  const vdis = diskVdis('vm-00002');
  const snapshots = (record.snapshots as string[]).length;
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, serverId, 'vm-00002'), 'delete-guest');
  const dialog = page.getByTestId('delete-guests-dialog');
  await expect(dialog.getByTestId('delete-item')).toHaveAttribute('data-name', 'vm-00002');
  await expect(dialog.getByTestId('delete-disk')).toHaveAttribute('data-fate', 'deleted');
  if (snapshots) await expect(dialog.getByTestId('delete-snapshots')).toContainText(String(snapshots));
  await expect(page.getByTestId('delete-guests-disks')).toBeChecked();
  await shot(page, 'delete-confirmation');
  await setLanguage(stack, page, 'zh-CN');
  await expect(dialog).toContainText('同时删除磁盘');
  await shot(page, 'delete-confirmation-zh');
  await setLanguage(stack, page, 'en');
  await page.getByTestId('delete-guests-ok').click();
  await expectTaskSucceeds(page, 'destroy', 'vm-00002');
  await expect(nodeRow(page, serverId, 'vm-00002')).toHaveCount(0);
  expect(vmRef('vm-00002')).toBeUndefined();
  expect(vdis.map(vdiExists)).toEqual([false]);
  expect((record.snapshots as string[]).map((s) => sim.db.get('VM', s) !== undefined)).toEqual((record.snapshots as string[]).map(() => false));
});
