// Issue 14 on Proxmox VE (the simulator's default cluster, node1–node4, a qemu
// template leap154 on node1): a VM made in the New VM wizard from the empty-VM choice
// with two disks and a network on a chosen node, its config in the simulator; cores,
// memory and the balloon minimum edited in the Properties dialog; a linked clone of
// the template; a VM from the template in the wizard with its disk grown; Convert to Template; Delete, and its volumes gone from the storage.
// Each change is read back from the simulator's own state.
import { expect, test, type Page } from '@playwright/test';
import { guestVolumes } from '../sim/proxmox/migrate-checks';
import { startProxmoxSimulator, type ProxmoxSimulator, type SimGuest } from '../sim/proxmox/index';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf, serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromMenu, nextTo, openProperties, propertiesDialog, wizard } from './guests-driver';
import { setLanguage } from './schedules-driver';
import { expectUnder } from './migration-driver';

test.describe.configure({ mode: 'serial' });

const PVE = 'PVE cluster';
let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;
let pveId: string;

const guestNamed = (name: string): SimGuest | undefined => [...pve.state.guests.values()].find((g) => g.name === name);
const guest = (name: string): SimGuest => {
  const g = guestNamed(name);
  if (!g) throw new Error(`the simulator has no guest ${name}`);
  return g;
};
/** The guest's configuration as the simulator's `GET …/config` gives it. */
const config = (name: string) => pve.state.guestConfig(guest(name));
/** The disk volumes of a guest's config (no CD drive). */
const disks = (name: string) => guestVolumes(guest(name)).filter((v) => !v.cdrom);
/** Every volume id any guest's config holds, or a storage holds loose. */
const allVolids = () => new Set([...[...pve.state.guests.values()].flatMap((g) => guestVolumes(g).map((v) => v.volid)), ...pve.state.looseVolumes.map((v) => v.volid)]);

test.beforeAll(async ({ browser }) => {
  [stack, pve] = await Promise.all([startStack(), startProxmoxSimulator({ taskDurationMs: 200 })]);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
  pveId = await serverIdOf(stack, PVE);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
});

test('an empty VM with two disks and a network on node3: in the tree, its config in the simulator', async () => {
  await serverRow(page, PVE).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  await wizard(page).locator('[data-testid=wizard-template][data-template="New virtual machine"] input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('pve-new-01');
  await nextTo(page, 'install');
  await nextTo(page, 'host');
  await wizard(page).locator('[data-testid=wizard-host][data-host="node3"] input').check();
  await nextTo(page, 'resources');
  await page.getByTestId('wizard-vcpus').fill('2');
  await page.getByTestId('wizard-memory').fill('4GiB');
  await nextTo(page, 'disks');
  await expect(page.getByTestId('wizard-disk')).toHaveCount(1);
  await page.getByTestId('wizard-disk-add').click();
  await page.getByTestId('wizard-disk-size-1').fill('5GiB');
  await nextTo(page, 'networks');
  await expect(page.getByTestId('wizard-nic')).toHaveCount(1);
  await nextTo(page, 'finish');
  await page.getByTestId('wizard-start').uncheck();
  await shot(page, 'guests-proxmox-wizard-finish');
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();
  await expectTaskSucceeds(page, 'create', 'pve-new-01');
  await expectUnder(page, 'node3', 'pve-new-01', PVE);

  const vm = guest('pve-new-01');
  expect(vm).toMatchObject({ type: 'qemu', node: 'node3', status: 'stopped', template: false });
  expect(Number(config('pve-new-01').cores)).toBe(2);
  expect(Number(config('pve-new-01').memory)).toBe(4096);
  expect(disks('pve-new-01').map((d) => d.size).sort((a, b) => a - b)).toEqual([5 * 1024 ** 3, 32 * 1024 ** 3]);
  expect(Object.keys(vm.config).filter((k) => /^net\d+$/.test(k))).toHaveLength(1);
  expect(String(vm.config.net0)).toContain('bridge=vmbr0');
});

test('cores, memory and the balloon minimum edited in the Properties dialog', async () => {
  await openProperties(page, nodeRow(page, pveId, 'pve-new-01'));
  await page.getByTestId('props-section-cpu').click();
  await page.getByTestId('props-vcpus').fill('3');
  await page.getByTestId('props-section-memory').click();
  // PVE's ballooning range ends at the memory: no maximum of its own, and the fields carry PVE's words
  await expect(page.getByTestId('props-dynamicMax')).toHaveCount(0);
  await expect(page.getByTestId('props-dynamic-title')).toContainText('Ballooning Device');
  await expect(page.getByTestId('field-props-dynamicMin')).toContainText('Minimum memory');
  await page.getByTestId('props-staticMax').fill('6GiB');
  // a minimum above the memory is refused in the dialog, naming both fields
  await page.getByTestId('props-dynamicMin').fill('7GiB');
  await expect(page.getByTestId('problem-props-memory')).toHaveText('“Minimum memory” (7 GiB) cannot be above “Memory” (6 GiB): the range ends at the memory.');
  await expect(page.getByTestId('props-save')).toBeDisabled();
  // the same in Chinese, dark
  await setLanguage(stack, page, 'zh-CN');
  await stack.core.invoke('settings:set', { theme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('props-dynamic-title')).toContainText('气球设备');
  await expect(page.getByTestId('problem-props-memory')).toHaveText('“最小内存”（7 GiB）不能大于“内存”（6 GiB）：范围止于内存大小。');
  await shot(page, 'guests-proxmox-properties-balloon-zh-dark');
  await stack.core.invoke('settings:set', { theme: 'system' });
  await setLanguage(stack, page, 'en');
  await page.getByTestId('props-dynamicMin').fill('2GiB');
  await expect(page.getByTestId('problem-props-memory')).toHaveCount(0);
  await shot(page, 'guests-proxmox-properties-memory');
  await page.getByTestId('props-save').click();
  await expect(propertiesDialog(page)).toBeHidden({ timeout: 30_000 });
  const cfg = config('pve-new-01');
  expect(Number(cfg.cores)).toBe(3);
  expect(Number(cfg.memory)).toBe(6144);
  expect(Number(cfg.balloon)).toBe(2048);
});

test('a linked clone of the template leap154 builds on its base volume', async () => {
  // templates in the tree from here on
  await stack.core.invoke('settings:set', { showTemplates: true });
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, pveId, 'leap154'), 'clone-guest');
  const dialog = page.getByTestId('clone-guest-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('clone-guest-fast')).toBeChecked();
  await page.getByTestId('clone-guest-name').fill('leap-linked');
  await page.getByTestId('clone-guest-ok').click();
  await expect(dialog).toBeHidden();
  await expectTaskSucceeds(page, 'clone', 'leap154');
  await expect(nodeRow(page, pveId, 'leap-linked')).toBeVisible();
  const clone = guest('leap-linked');
  expect(clone).toMatchObject({ type: 'qemu', template: false, node: 'node1' });
  const base = disks('leap154').map((d) => d.volid);
  const own = disks('leap-linked').map((d) => d.volid);
  expect(own).toHaveLength(base.length);
  // PVE names a linked clone's disk <base volume>/<its own volume>
  expect(own.map((v) => v.split('/')[0])).toEqual(base);
});

test('New VM from the template leap154: cores, memory, its disk grown and one more, on the bridge chosen, read back from the simulator', async () => {
  await clearTasks(page);
  await serverRow(page, PVE).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  await wizard(page).locator('[data-testid=wizard-template][data-template="leap154"] input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('leap-grown');
  await nextTo(page, 'install');
  await nextTo(page, 'host');
  await nextTo(page, 'resources');
  await expect(page.getByTestId('wizard-vcpus')).toHaveValue('4');
  await page.getByTestId('wizard-vcpus').fill('2');
  await page.getByTestId('wizard-memory').fill('3GiB');
  // PVE's balloon range ends at the memory: only its minimum is asked for
  await expect(page.getByTestId('wizard-dynamic-max')).toHaveCount(0);
  await expect(page.getByTestId('field-wizard-dynamic-min')).toContainText('Minimum memory');
  await expect(page.getByTestId('wizard-page-resources')).toContainText('Ballooning Device');
  await page.getByTestId('wizard-dynamic-min').fill('1GiB');
  await nextTo(page, 'disks');
  await expect(page.getByTestId('wizard-disk')).toHaveCount(1);
  await expect(page.getByTestId('wizard-disk-size-0')).toHaveValue('64GiB');
  // smaller than the template's disk is refused before anything is sent
  await page.getByTestId('wizard-disk-size-0').fill('32GiB');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('problem-disk-0')).toHaveText('“Disk size” cannot be smaller than the template’s disk (64 GiB): disks only grow.');
  await expect(page.getByTestId('wizard-page-disks')).toBeVisible();
  await page.getByTestId('wizard-disk-size-0').fill('80GiB');
  await expect(page.getByTestId('problem-disk-0')).toHaveCount(0);
  await page.getByTestId('wizard-disk-add').click();
  await page.getByTestId('wizard-disk-size-1').fill('2GiB');
  await nextTo(page, 'networks');
  await expect(page.getByTestId('wizard-nic')).toHaveCount(1);
  await page.getByTestId('wizard-nic-0').selectOption('vmbr1');
  await nextTo(page, 'finish');
  await page.getByTestId('wizard-start').uncheck();
  // the balloon range ends at the memory
  await expect(page.getByTestId('wizard-page-finish')).toContainText('3GiB (1GiB – 3GiB)');
  await shot(page, 'guests-proxmox-wizard-template');
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();
  await expectTaskSucceeds(page, 'create', 'leap-grown');
  await expect(nodeRow(page, pveId, 'leap-grown')).toBeVisible();

  const vm = guest('leap-grown');
  expect(vm).toMatchObject({ type: 'qemu', node: 'node1', template: false });
  const cfg = config('leap-grown');
  expect(Number(cfg.cores)).toBe(2);
  expect(Number(cfg.memory)).toBe(3072);
  expect(Number(cfg.balloon)).toBe(1024);
  expect(disks('leap-grown').map((d) => d.size)).toEqual([80 * 1024 ** 3, 2 * 1024 ** 3]);
  // the template's interface moved to the bridge chosen, with a MAC of its own
  expect(Object.keys(cfg).filter((k) => /^net\d+$/.test(k))).toEqual(['net0']);
  expect(String(cfg.net0)).toMatch(/^virtio=([0-9A-F]{2}:){5}[0-9A-F]{2},bridge=vmbr1/i);
  // a linked clone of the template's base volume, grown; the template keeps its 64 GiB
  expect(disks('leap-grown')[0].volid.split('/')[0]).toBe(disks('leap154')[0].volid);
  expect(disks('leap154').map((d) => d.size)).toEqual([64 * 1024 ** 3]);
});

test('Convert to Template asks first, then the simulator holds a template', async () => {
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, pveId, 'pve-new-01'), 'to-template');
  await expect(page.getByTestId('confirm-dialog')).toContainText('pve-new-01');
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'to_template', 'pve-new-01');
  await expect.poll(() => guest('pve-new-01').template).toBe(true);
  await expect(nodeRow(page, pveId, 'pve-new-01')).toHaveAttribute('data-kind', 'template');
});

test('Delete with the disks: the VM and its volumes are gone from the simulator', async () => {
  const volids = disks('leap-linked').map((d) => d.volid);
  expect(volids.length).toBeGreaterThan(0);
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, pveId, 'leap-linked'), 'delete-guest');
  const dialog = page.getByTestId('delete-guests-dialog');
  await expect(dialog.getByTestId('delete-item')).toHaveAttribute('data-name', 'leap-linked');
  await expect(dialog.getByTestId('delete-disk')).toHaveCount(volids.length);
  // PVE's destroy takes the guest's disks with it: no choice to keep them
  await expect(page.getByTestId('delete-guests-disks')).toHaveCount(0);
  for (const disk of await dialog.getByTestId('delete-disk').all()) await expect(disk).toHaveAttribute('data-fate', 'deleted');
  await page.getByTestId('delete-guests-ok').click();
  await expectTaskSucceeds(page, 'destroy', 'leap-linked');
  await expect(nodeRow(page, pveId, 'leap-linked')).toHaveCount(0);
  expect(guestNamed('leap-linked')).toBeUndefined();
  const left = allVolids();
  expect(volids.filter((v) => left.has(v))).toEqual([]);
  // the template's base volume stays
  expect(disks('leap154').every((d) => left.has(d.volid))).toBe(true);
});
