// Issue 13 on XenServer (two generated XAPI pools): the Migrate… dialog lists each host
// with the server's reason (a local disk: VM_REQUIRES_SR) and the other pool's hosts for
// a storage migration; a VM with a local disk dragged onto the other host shows why and
// cannot be dropped, a running VM dragged there moves (resident_on in the simulator);
// maintenance mode on a host running 5 VMs moves them all as child tasks of one task,
// marks the host (host.enabled false), exit enables it; Evacuate… shows its plan first.
// Screenshots in English and Chinese: the dialog with reasons, an evacuation in
// progress, a host in maintenance.
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf, taskRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { childRows, dragOver, expectUnder, fromContextMenu, maintenance, release } from './migration-driver';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const LAB = 'Lab pool';
const PATCH = 'Patch pool';

let stack: Stack;
let page: Page;
let lab: XapiSimulator;
let patch: XapiSimulator;
let labId: string;
let patchId: string;

/** Where the simulator says a VM runs: its resident_on host's name ('' when it runs nowhere). */
function residentOn(sim: XapiSimulator, vmName: string): string {
  const vm = [...sim.db.records('VM').values()].find((r) => r.name_label === vmName && !r.is_a_snapshot && !r.is_a_template);
  if (!vm) throw new Error(`the simulator has no VM ${vmName}`);
  return (sim.db.get('host', String(vm.resident_on))?.name_label as string | undefined) ?? '';
}

function hostRecord(sim: XapiSimulator, name: string) {
  const host = [...sim.db.records('host').values()].find((r) => r.name_label === name);
  if (!host) throw new Error(`the simulator has no host ${name}`);
  return host;
}

const runningOn = (sim: XapiSimulator, host: string) =>
  [...sim.db.records('VM').values()]
    .filter((r) => !r.is_control_domain && !r.is_a_snapshot && !r.is_a_template && r.power_state === 'Running' && sim.db.get('host', String(r.resident_on))?.name_label === host)
    .map((r) => String(r.name_label))
    .sort();

test.beforeAll(async ({ browser }) => {
  // Lab pool: host-01 runs vm-00001 (its disk on host-01's local SR) and vm-00003; host-02 runs none.
  // Patch pool: host-01 runs vm-00001, 3, 5, 7 and 9; each migration takes 2.5 s (an evacuation can be seen).
  [stack, lab, patch] = await Promise.all([
    startStack(),
    startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0, localDiskVms: 1 }, poolName: LAB }),
    startXapiSimulator({ generate: { hosts: 2, vms: 10, snapshots: 0 }, poolName: PATCH, taskDurationMs: 2500 }),
  ]);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: LAB, host: lab.host, port: lab.port, user: 'root', password: 'password', fingerprint256: lab.fingerprint256 });
  await addServer(page, { type: 'xenserver', name: PATCH, host: patch.host, port: patch.port, user: 'root', password: 'password', fingerprint256: patch.fingerprint256 });
  [labId, patchId] = await Promise.all([serverIdOf(stack, LAB), serverIdOf(stack, PATCH)]);
  expect(runningOn(lab, 'host-01')).toEqual(['vm-00001', 'vm-00003']);
  expect(runningOn(patch, 'host-01')).toEqual(['vm-00001', 'vm-00003', 'vm-00005', 'vm-00007', 'vm-00009']);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([lab?.stop(), patch?.stop()]);
});

test('Migrate… lists each host with the server’s reason, and the other pool’s hosts with their storage', async () => {
  await nodeRow(page, labId, 'vm-00001').click();
  await page.getByTestId('tb-migrate').click();
  const dialog = page.getByTestId('migrate-dialog');
  await expect(dialog).toBeVisible();
  const refused = dialog.locator(`[data-testid=migrate-target][data-host=host-02]`).first();
  await expect(refused).toHaveAttribute('data-ok', 'false');
  await expect(refused.getByTestId('migration-reason')).toHaveAttribute('data-code', 'VM_REQUIRES_SR');
  await expect(refused.getByTestId('migration-reason')).toContainText('local storage');
  await expect(refused.locator('input[type=radio]')).toBeDisabled();
  // the Patch pool's hosts are under their own server, a cross-pool move with a storage to pick
  const other = dialog.locator(`[data-testid=migrate-group][data-server="${patchId}"]`);
  await expect(other.getByTestId('migrate-target')).toHaveCount(2);
  await other.locator('[data-testid=migrate-target][data-host=host-01] input[type=radio]').check();
  // the destination pool's SRs, its default preselected, free space in the user's numbers
  const storage = other.getByTestId('migrate-storage');
  const defaultSr = [...patch.db.records('SR').entries()].find(([ref]) => ref === [...patch.db.records('pool').values()][0].default_SR)![1];
  await expect(storage.locator('option:checked')).toContainText(String(defaultSr.name_label));
  await expect(storage.locator('option:checked')).toContainText(/\d[\d.,]* [KMGTP]iB free/);
  await expect(page.getByTestId('migrate-ok')).toBeEnabled();
  await shot(page, 'migrate-dialog-reasons');
  await setLanguage(stack, page, 'zh-CN');
  await expect(refused.getByTestId('migration-reason')).toContainText('本地存储');
  await shot(page, 'migrate-dialog-reasons-zh');
  await setLanguage(stack, page, 'en');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a VM with a local disk shows the reason over the other host and cannot be dropped; a running VM dragged there moves', async () => {
  await clearTasks(page);
  const hint = await dragOver(page, nodeRow(page, labId, 'vm-00001'), nodeRow(page, labId, 'host-02'));
  await expect(hint).toHaveAttribute('data-testid', 'drop-reason');
  await expect(hint).toContainText('VM_REQUIRES_SR');
  await release(page);

  const ok = await dragOver(page, nodeRow(page, labId, 'vm-00003'), nodeRow(page, labId, 'host-02'));
  await expect(ok).toHaveAttribute('data-testid', 'drop-ok');
  await release(page);
  await expectTaskSucceeds(page, 'migrate', 'vm-00003');
  await expectUnder(page, 'host-02', 'vm-00003', LAB);
  // the refused drop started nothing: one move only, and the simulator agrees on both VMs
  await expect(taskRow(page, 'migrate')).toHaveCount(1);
  expect(residentOn(lab, 'vm-00003')).toBe('host-02');
  expect(residentOn(lab, 'vm-00001')).toBe('host-01');
});

test('maintenance mode on a host running 5 VMs moves them all as child tasks, marks the host; exit enables it', async () => {
  test.setTimeout(180_000);
  const host = nodeRow(page, patchId, 'host-01');
  await clearTasks(page);
  await maintenance(page, host, 'enter');
  const children = await childRows(page, 'maintenance_enter', 'host-01');
  // one child per VM, shown under the running parent while the VMs move
  await expect(children.and(page.locator('[data-status=success]')).first()).toBeVisible({ timeout: 60_000 });
  await expect(taskRow(page, 'maintenance_enter')).toHaveAttribute('data-status', 'running');
  await shot(page, 'evacuation-in-progress');
  await expectTaskSucceeds(page, 'maintenance_enter', 'host-01');
  await expect(children).toHaveCount(5);
  await expect(children.and(page.locator('[data-status=success]'))).toHaveCount(5);
  const parent = (await stack.core.invoke('tasks:list')).find((t) => t.action === 'maintenance_enter')!;
  expect((await stack.core.invoke('tasks:list')).filter((t) => t.parentId === parent.id).map((t) => t.targetName).sort()).toEqual(['vm-00001', 'vm-00003', 'vm-00005', 'vm-00007', 'vm-00009']);

  // the simulator: every VM runs on host-02, host-01 is disabled
  expect(runningOn(patch, 'host-01')).toEqual([]);
  expect(runningOn(patch, 'host-02')).toEqual(['vm-00001', 'vm-00003', 'vm-00005', 'vm-00007', 'vm-00009']);
  expect(hostRecord(patch, 'host-01').enabled).toBe(false);
  for (const vm of ['vm-00001', 'vm-00009']) await expectUnder(page, 'host-02', vm, PATCH);

  await expect(host).toHaveAttribute('data-maintenance', 'true');
  await host.click();
  await expect(page.getByTestId('general-props').locator('[data-prop=maintenance]')).toContainText('In maintenance');
  await shot(page, 'host-in-maintenance');
  await setLanguage(stack, page, 'zh-CN');
  await expect(page.getByTestId('general-props').locator('[data-prop=maintenance]')).toContainText('维护中');
  await shot(page, 'host-in-maintenance-zh');
  await setLanguage(stack, page, 'en');

  await clearTasks(page);
  await maintenance(page, host, 'exit');
  await expectTaskSucceeds(page, 'maintenance_exit', 'host-01');
  await expect(host).not.toHaveAttribute('data-maintenance', 'true');
  expect(hostRecord(patch, 'host-01').enabled).toBe(true);
});

test('Evacuate… shows where each VM goes and what cannot move before it starts, then moves them (in Chinese)', async () => {
  test.setTimeout(180_000);
  await setLanguage(stack, page, 'zh-CN');
  await clearTasks(page);
  const host = nodeRow(page, patchId, 'host-02');
  await fromContextMenu(page, host, 'evacuate-host');
  const dialog = page.getByTestId('evacuate-dialog');
  const steps = dialog.getByTestId('evacuate-step');
  // the 5 VMs that came over, and vm-00010, paused on host-02 since the start: XAPI moves no paused VM
  await expect(steps).toHaveCount(6);
  const paused = steps.and(page.locator('[data-vm=vm-00010]'));
  await expect(paused.getByTestId('migration-reason')).toHaveAttribute('data-code', 'VM_BAD_POWER_STATE');
  await expect(dialog.getByTestId('evacuate-blocked')).toBeVisible();
  await expect(page.getByTestId('evacuate-ok')).toBeDisabled();
  await shot(page, 'evacuate-plan-zh');
  await page.keyboard.press('Escape');

  // unpaused, it can move too: the plan has a host for each of the 6
  await fromContextMenu(page, nodeRow(page, patchId, 'vm-00010'), 'unpause');
  await expectTaskSucceeds(page, 'unpause', 'vm-00010');
  await clearTasks(page);
  await fromContextMenu(page, host, 'evacuate-host');
  await expect(steps).toHaveCount(6);
  for (const step of await steps.all()) await expect(step).toHaveAttribute('data-host', 'host-01');
  await page.getByTestId('evacuate-ok').click();
  const children = await childRows(page, 'evacuate', 'host-02');
  await expect(children.and(page.locator('[data-status=success]')).first()).toBeVisible({ timeout: 60_000 });
  await expect(taskRow(page, 'evacuate')).toHaveAttribute('data-status', 'running');
  await shot(page, 'evacuation-in-progress-zh');
  await expectTaskSucceeds(page, 'evacuate', 'host-02');
  await expect(children).toHaveCount(6);
  expect(runningOn(patch, 'host-02')).toEqual([]);
  expect(runningOn(patch, 'host-01')).toEqual(['vm-00001', 'vm-00003', 'vm-00005', 'vm-00007', 'vm-00009', 'vm-00010']);
  // an evacuation leaves the host enabled
  expect(hostRecord(patch, 'host-02').enabled).toBe(true);
  await setLanguage(stack, page, 'en');
});

test('rebooting a host that runs VMs asks first and offers force; an empty host shuts down and powers on again', async () => {
  test.setTimeout(120_000);
  await clearTasks(page);
  // Lab pool host-02 runs vm-00003 (dragged there): not forced, the server keeps it running
  await fromContextMenu(page, nodeRow(page, labId, 'host-02'), 'host-reboot');
  const confirm = page.getByTestId('confirm-dialog');
  await expect(confirm).toContainText('host-02');
  await expect(page.getByTestId('confirm-option-force')).not.toBeChecked();
  await page.getByTestId('confirm-ok').click();
  const refused = taskRow(page, 'host_reboot');
  await expect(refused).toHaveAttribute('data-status', 'failure', { timeout: 30_000 });
  await expect(refused.getByTestId('task-error')).not.toBeEmpty();
  expect(residentOn(lab, 'vm-00003')).toBe('host-02');

  // Patch pool host-02 was evacuated: nothing to force
  const metricsLive = () => patch.db.get('host_metrics', String(hostRecord(patch, 'host-02').metrics))?.live;
  await clearTasks(page);
  await fromContextMenu(page, nodeRow(page, patchId, 'host-02'), 'host-shutdown');
  await expect(page.getByTestId('confirm-option-force')).toHaveCount(0);
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'host_shutdown', 'host-02');
  expect(metricsLive()).toBe(false);
  await fromContextMenu(page, nodeRow(page, patchId, 'host-02'), 'host-power-on');
  await expectTaskSucceeds(page, 'host_power_on', 'host-02');
  expect(metricsLive()).toBe(true);
});
