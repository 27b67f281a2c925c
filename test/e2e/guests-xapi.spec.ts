// Issue 14's "done when" for the renderer on XenServer (the XAPI simulator): a VM made
// in the New VM wizard from a built-in template with two disks and a network appears
// with those properties in the simulator's own records; vCPUs and memory edited in the
// Properties dialog; the dynamic range set on a running VM; an out-of-order range (one
// dynamic range for two VMs, above one's static maximum) refused with XAPI's
// MEMORY_CONSTRAINT_VIOLATION in words and that VM's record unchanged; a VM from a custom
// template with its disk grown (VDI.resize), never below the template's.
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, expectTaskSucceeds, nodeRow, serverIdOf, serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromMenu, nextTo, openProperties, propertiesDialog, wizard } from './guests-driver';

test.describe.configure({ mode: 'serial' });

const GiB = 1024 ** 3;
const POOL = 'Guest pool';
let stack: Stack;
let page: Page;
let sim: XapiSimulator;
let poolId: string;

type Rec = Record<string, unknown>;
function vmRecord(name: string): Rec & { ref: string } {
  for (const [ref, r] of sim.db.records('VM')) if (r.name_label === name && !r.is_a_template && !r.is_a_snapshot) return { ...r, ref };
  throw new Error(`the simulator has no VM ${name}`);
}
const memoryOf = (name: string) => {
  const r = vmRecord(name);
  return [r.memory_static_min, r.memory_dynamic_min, r.memory_dynamic_max, r.memory_static_max].map(Number);
};

test.beforeAll(async ({ browser }) => {
  // vm-00001 runs with 1 GiB, vm-00002 is halted with 2 GiB, vm-00003 runs with 3 GiB
  [stack, sim] = await Promise.all([startStack(), startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0, isoLibrary: true }, poolName: POOL })]);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: POOL, host: sim.host, port: sim.port, user: 'root', password: 'password', fingerprint256: sim.fingerprint256 });
  poolId = await serverIdOf(stack, POOL);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await sim?.stop();
});

test('a VM from a template with two disks and a network: in the simulator with those properties', async () => {
  await serverRow(page, POOL).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  await wizard(page).locator('[data-testid=wizard-template][data-template="Debian Bookworm 12"] input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('xapi-new-01');
  await nextTo(page, 'install');
  await nextTo(page, 'host');
  await nextTo(page, 'resources');
  await page.getByTestId('wizard-vcpus').fill('2');
  await page.getByTestId('wizard-memory').fill('2GiB');
  await page.getByTestId('wizard-dynamic-min').fill('1GiB');
  await page.getByTestId('wizard-dynamic-max').fill('2GiB');
  await nextTo(page, 'disks');
  await expect(page.getByTestId('wizard-disk')).toHaveCount(1);
  await page.getByTestId('wizard-disk-add').click();
  await page.getByTestId('wizard-disk-size-1').fill('5GiB');
  await nextTo(page, 'networks');
  await expect(page.getByTestId('wizard-nic')).toHaveCount(1);
  await nextTo(page, 'finish');
  await page.getByTestId('wizard-start').uncheck();
  await shot(page, 'guests-xapi-wizard-finish');
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();
  await expectTaskSucceeds(page, 'create', 'xapi-new-01');
  await expect(page.getByTestId('details-title')).toHaveText('xapi-new-01');

  const vm = vmRecord('xapi-new-01');
  expect(vm).toMatchObject({ power_state: 'Halted', VCPUs_at_startup: 2 });
  expect(memoryOf('xapi-new-01').slice(1)).toEqual([1 * GiB, 2 * GiB, 2 * GiB]);
  const disks = (vm.VBDs as string[]).map((ref) => sim.db.get('VBD', ref)!).filter((vbd) => vbd.type === 'Disk');
  expect(disks.map((vbd) => Number(sim.db.get('VDI', String(vbd.VDI))!.virtual_size)).sort((a, b) => a - b)).toEqual([5 * GiB, 10 * GiB]);
  expect((vm.VIFs as string[]).length).toBe(1);
});

test('vCPUs and memory of a halted VM edited in the Properties dialog', async () => {
  await openProperties(page, nodeRow(page, poolId, 'xapi-new-01'));
  await page.getByTestId('props-section-cpu').click();
  await page.getByTestId('props-vcpus').fill('3');
  await page.getByTestId('props-section-memory').click();
  await page.getByTestId('props-staticMax').fill('3GiB');
  await page.getByTestId('props-dynamicMax').fill('3GiB');
  await page.getByTestId('props-save').click();
  await expect(propertiesDialog(page)).toBeHidden({ timeout: 30_000 });
  expect(vmRecord('xapi-new-01')).toMatchObject({ VCPUs_at_startup: 3 });
  expect(memoryOf('xapi-new-01').slice(1)).toEqual([1 * GiB, 3 * GiB, 3 * GiB]);
});

test('the dynamic range of a running VM, live', async () => {
  await openProperties(page, nodeRow(page, poolId, 'vm-00003'));
  await page.getByTestId('props-section-memory').click();
  await expect(page.getByTestId('props-staticMax')).toBeDisabled();
  await page.getByTestId('props-dynamicMin').fill('2GiB');
  await shot(page, 'guests-xapi-properties-memory');
  await page.getByTestId('props-save').click();
  await expect(propertiesDialog(page)).toBeHidden({ timeout: 30_000 });
  expect(memoryOf('vm-00003').slice(1)).toEqual([2 * GiB, 3 * GiB, 3 * GiB]);
  expect(vmRecord('vm-00003').power_state).toBe('Running');
});

test('an out-of-order range: MEMORY_CONSTRAINT_VIOLATION in words, the VM unchanged', async () => {
  const before = memoryOf('vm-00001');
  // the pool is the server's own row; both running VMs are on host-01
  await nodeRow(page, poolId, 'host-01').click();
  await page.getByTestId('tab-memory').click();
  const tab = page.getByTestId('memory-tab');
  const row = (name: string) => tab.locator(`[data-testid=memory-guest][data-guest="${name}"]`);
  await row('vm-00001').getByTestId('memory-tick').check();
  await row('vm-00003').getByTestId('memory-tick').check();
  await shot(page, 'guests-xapi-memory-tab');
  await page.getByTestId('memory-set').click();
  await page.getByTestId('set-memory-min').fill('1GiB');
  await page.getByTestId('set-memory-max').fill('2GiB');
  await page.getByTestId('set-memory-ok').click();
  const dialog = page.getByTestId('set-memory-dialog');
  const outcome = (name: string) => dialog.locator(`[data-testid=set-memory-outcome][data-guest="${name}"]`);
  await expect(outcome('vm-00003')).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
  await expect(outcome('vm-00001')).toHaveAttribute('data-status', 'failure');
  await expect(outcome('vm-00001').getByTestId('guest-refusal')).toHaveAttribute('data-code', 'MEMORY_CONSTRAINT_VIOLATION');
  await expect(outcome('vm-00001').getByTestId('guest-refusal-words')).toContainText('The memory range is out of order');
  await shot(page, 'guests-xapi-set-memory');
  expect(memoryOf('vm-00001')).toEqual(before);
  expect(memoryOf('vm-00003').slice(1)).toEqual([1 * GiB, 2 * GiB, 3 * GiB]);
  await page.getByTestId('set-memory-ok').click();
  await expect(dialog).toBeHidden();
});

test('a VM from a custom template: its disk grown in the wizard (never below the template\'s), the template\'s VDI unchanged', async () => {
  const diskSizes = (vm: Rec) =>
    (vm.VBDs as string[])
      .map((b) => sim.db.get('VBD', b)!)
      .filter((b) => b.type === 'Disk')
      .sort((a, b) => Number(a.userdevice) - Number(b.userdevice))
      .map((b) => Number(sim.db.get('VDI', String(b.VDI))!.virtual_size));
  const source = vmRecord('vm-00002');
  const own = diskSizes(source);
  expect(own.length).toBeGreaterThan(0);
  await fromMenu(page, nodeRow(page, poolId, 'vm-00002'), 'to-template');
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'to_template', 'vm-00002');
  await expect.poll(() => sim.db.get('VM', source.ref)!.is_a_template).toBe(true);

  await serverRow(page, POOL).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  await wizard(page).locator('[data-testid=wizard-template][data-template="vm-00002"] input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('xapi-grown');
  await nextTo(page, 'install');
  await nextTo(page, 'host');
  await nextTo(page, 'resources');
  await nextTo(page, 'disks');
  await expect(page.getByTestId('wizard-disk')).toHaveCount(own.length);
  await page.getByTestId('wizard-disk-size-0').fill(`${own[0] / 1024 ** 2 - 512}MiB`);
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('problem-disk-0')).toContainText('cannot be smaller than the template’s disk');
  await page.getByTestId('wizard-disk-size-0').fill(`${own[0] / 1024 ** 2 + 1024}MiB`);
  await nextTo(page, 'networks');
  await nextTo(page, 'finish');
  await page.getByTestId('wizard-start').uncheck();
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();
  await expectTaskSucceeds(page, 'create', 'xapi-grown');
  expect(diskSizes(vmRecord('xapi-grown'))).toEqual([own[0] + GiB, ...own.slice(1)]);
  expect(diskSizes(sim.db.get('VM', source.ref)!)).toEqual(own);
});

