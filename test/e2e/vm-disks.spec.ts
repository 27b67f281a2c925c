// A VM's disks from its Storage tab (issue 16) on a XenServer pool (simulator) and a
// Proxmox VE cluster (simulator): Add disk…, Resize… (grow only, said before sending),
// Detach… keeping the disk, Attach disk… of that free disk, Detach… deleting it — each a
// task, each read back from the simulator's own records. Screenshots in English and
// Chinese, dark theme too.
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, clearTasks, expectTaskSucceeds, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const XEN = 'Disk pool';
const PVE = 'Disk cluster';
const GiB = 1024 ** 3;

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let pve: ProxmoxSimulator;
let xenId: string;
let pveId: string;

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

const haltedVm = () => [...xen.db.records('VM')].find(([, v]) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain && v.power_state === 'Halted')!;
const sharedSr = () => [...xen.db.records('SR')].find(([, r]) => r.shared === true && r.content_type !== 'iso')!;
const vdiNamed = (name: string) => [...xen.db.records('VDI')].find(([, v]) => v.name_label === name);
const vbdOf = (vm: string, vdi: string) => [...xen.db.records('VBD').values()].find((b) => b.VM === vm && b.VDI === vdi);
const diskRow = (name: string) => page.getByTestId('vm-disk').filter({ hasText: name });

async function openStorageTab(serverId: string, name: string): Promise<void> {
  await search(page, name);
  await page.locator(`[role=treeitem][aria-label*="${name}"][data-key^="${serverId}:"]`).first().click();
  await page.getByTestId('tab-storage').click();
  await expect(page.getByTestId('vm-storage-tab')).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, xen, pve] = await Promise.all([
    startStack(),
    startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, taskDurationMs: 300 }),
    startProxmoxSimulator({ seed: 'migration' }),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'root', password: 'password', fingerprint256: pve.fingerprint256 });
  [xenId, pveId] = await Promise.all([serverIdOf(stack, XEN), serverIdOf(stack, PVE)]);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xen?.stop(), pve?.stop()]);
});

test('Add disk… makes a VDI of that size on the chosen SR and attaches it to the VM', async () => {
  await clearTasks(page);
  const [vmRef, vm] = haltedVm();
  const [srRef] = sharedSr();
  await openStorageTab(xenId, String(vm.name_label));
  await page.getByTestId('vm-disk-add').click();
  const dialog = page.getByTestId('disk-add-dialog');
  await dialog.getByTestId('disk-add-storage').selectOption(`${xenId}:storage:${srRef}`);
  await dialog.getByTestId('disk-add-size').fill('5');
  await dialog.getByTestId('disk-add-name').fill('e2e data');
  await shot(page, 'vm-disk-add-dialog');
  await looks('zh-CN', 'dark');
  await expect(dialog.getByTestId('disk-dialog-ok')).toHaveText('添加');
  await shot(page, 'vm-disk-add-dialog-zh-dark');
  await looks('en', 'light');
  await dialog.getByTestId('disk-dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  await expectTaskSucceeds(page, 'disk_add', String(vm.name_label));
  const [vdiRef, vdi] = vdiNamed('e2e data')!;
  expect(vdi).toMatchObject({ SR: srRef, virtual_size: 5 * GiB });
  expect(vbdOf(vmRef, vdiRef)).toBeDefined();
  await expect(diskRow('e2e data')).toHaveCount(1);
  await shot(page, 'vm-disk-added');
});

test('Resize… grows the disk only: a smaller size is refused in the dialog, a larger one reaches the SR', async () => {
  await clearTasks(page);
  const [, vm] = haltedVm();
  await diskRow('e2e data').getByTestId('vm-disk-resize').click();
  const dialog = page.getByTestId('disk-resize-dialog');
  await dialog.getByTestId('disk-resize-size').fill('3');
  await expect(dialog.getByTestId('disk-size-error')).toContainText('only grows');
  await expect(dialog.getByTestId('disk-dialog-ok')).toBeDisabled();
  await expect(dialog.getByTestId('disk-dialog-note')).toContainText('only grows');
  await shot(page, 'vm-disk-resize-refused');
  await looks('zh-CN', 'light');
  await expect(dialog.getByTestId('disk-size-error')).toContainText('磁盘只能增大');
  await shot(page, 'vm-disk-resize-refused-zh');
  await looks('en', 'light');
  await dialog.getByTestId('disk-resize-size').fill('7');
  await dialog.getByTestId('disk-dialog-ok').click();
  await expectTaskSucceeds(page, 'disk_resize', String(vm.name_label));
  expect(Number(vdiNamed('e2e data')![1].virtual_size)).toBe(7 * GiB);
  await expect(diskRow('e2e data')).toContainText('7');
});

test('Detach… keeps the disk; Attach disk… offers it as free and attaches it again', async () => {
  await clearTasks(page);
  const [vmRef, vm] = haltedVm();
  const [vdiRef] = vdiNamed('e2e data')!;
  await diskRow('e2e data').getByTestId('vm-disk-detach').click();
  await page.getByTestId('disk-detach-dialog').getByTestId('disk-dialog-ok').click();
  await expectTaskSucceeds(page, 'disk_detach', String(vm.name_label));
  expect(vbdOf(vmRef, vdiRef)).toBeUndefined();
  expect(xen.db.get('VDI', vdiRef)).toBeDefined();
  await expect(diskRow('e2e data')).toHaveCount(0);
  await clearTasks(page);
  await page.getByTestId('vm-disk-attach').click();
  const dialog = page.getByTestId('disk-attach-dialog');
  const choice = dialog.locator(`[data-testid=disk-attach-choice][data-id="${vdiRef}"]`);
  await expect(choice).toContainText('e2e data');
  await choice.locator('input').check();
  await shot(page, 'vm-disk-attach-dialog');
  await dialog.getByTestId('disk-dialog-ok').click();
  await expectTaskSucceeds(page, 'disk_attach', String(vm.name_label));
  expect(vbdOf(vmRef, vdiRef)).toBeDefined();
  await expect(diskRow('e2e data')).toHaveCount(1);
});

test('Detach… with “Also delete the disk” destroys the VDI', async () => {
  await clearTasks(page);
  const [vmRef, vm] = haltedVm();
  const [vdiRef] = vdiNamed('e2e data')!;
  await diskRow('e2e data').getByTestId('vm-disk-detach').click();
  const dialog = page.getByTestId('disk-detach-dialog');
  await dialog.getByTestId('disk-detach-delete').check();
  await expect(dialog.getByTestId('disk-detach-warning')).toBeVisible();
  await shot(page, 'vm-disk-detach-delete');
  await looks('zh-CN', 'dark');
  await expect(dialog.getByTestId('disk-dialog-ok')).toHaveText('分离并删除');
  await shot(page, 'vm-disk-detach-delete-zh-dark');
  await looks('en', 'light');
  await dialog.getByTestId('disk-dialog-ok').click();
  await expectTaskSucceeds(page, 'disk_detach', String(vm.name_label));
  expect(xen.db.get('VDI', vdiRef)).toBeUndefined();
  expect(vbdOf(vmRef, vdiRef)).toBeUndefined();
  await search(page, '');
});

test('a Proxmox VE VM: a new scsiN disk, grown, then detached to an unused disk of the guest', async () => {
  await clearTasks(page);
  const guest = [...pve.state.guests.values()].find((g) => g.type === 'qemu' && g.status === 'stopped' && g.node === 'pve1')!;
  const before = new Set(Object.keys(guest.config));
  await openStorageTab(pveId, guest.name);
  await page.getByTestId('vm-disk-add').click();
  const add = page.getByTestId('disk-add-dialog');
  // only the storages of the guest's node (and shared ones) are offered
  const offered = await add.getByTestId('disk-add-storage').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(offered).toContain(`${pveId}:storage:pve1/local-lvm`);
  expect(offered.some((v) => v.includes('pve2/'))).toBe(false);
  await add.getByTestId('disk-add-storage').selectOption(`${pveId}:storage:pve1/local-lvm`);
  await add.getByTestId('disk-add-size').fill('2');
  await expect(add.getByTestId('disk-dialog-note')).toContainText('next SCSI disk');
  await add.getByTestId('disk-dialog-ok').click();
  await expectTaskSucceeds(page, 'disk_add', guest.name);
  const key = Object.keys(guest.config).find((k) => !before.has(k) && /^scsi\d+$/.test(k))!;
  expect(String(guest.config[key])).toMatch(/^local-lvm:vm-\d+-disk-\d+,size=2G$/);
  const volid = String(guest.config[key]).split(',')[0]!;
  const row = page.getByTestId('vm-disk').filter({ hasText: key });
  await expect(row).toHaveCount(1);
  await shot(page, 'vm-disk-added-proxmox');
  await clearTasks(page);
  await row.getByTestId('vm-disk-resize').click();
  await page.getByTestId('disk-resize-dialog').getByTestId('disk-resize-size').fill('4');
  await page.getByTestId('disk-resize-dialog').getByTestId('disk-dialog-ok').click();
  await expectTaskSucceeds(page, 'disk_resize', guest.name);
  expect(String(guest.config[key])).toBe(`${volid},size=4G`);
  await clearTasks(page);
  await row.getByTestId('vm-disk-detach').click();
  await expect(page.getByTestId('disk-detach-dialog').getByTestId('disk-dialog-note')).toContainText('unused disk');
  await page.getByTestId('disk-detach-dialog').getByTestId('disk-dialog-ok').click();
  await expectTaskSucceeds(page, 'disk_detach', guest.name);
  expect(guest.config[key]).toBeUndefined();
  expect(Object.entries(guest.config).find(([k, v]) => /^unused\d+$/.test(k) && v === volid)).toBeDefined();
  await shot(page, 'vm-disk-detached-proxmox');
  await search(page, '');
});
