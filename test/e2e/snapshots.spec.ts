// The Snapshots tab completed (issues 12 and 19): a context menu on each snapshot, its
// details, edit (name and description on XAPI; only the description on Proxmox VE,
// saying why), a new VM and a template from a snapshot, revert with "take a snapshot
// of the current state first" and what the VM is afterwards, distinct icons for memory
// and disk-only snapshots, and one snapshot of several VMs at once — each change read
// back from the simulator's own records.
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, openSnapshots, search, serverIdOf, snapshotRow, takeSnapshot } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const XEN = 'Lab pool';
const PVE = 'PVE cluster';

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let pve: ProxmoxSimulator;
let xenId: string;

test.beforeAll(async ({ browser }) => {
  [stack, xen, pve] = await Promise.all([
    startStack(),
    startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 3 }, poolName: XEN }),
    startProxmoxSimulator({ user: 'admin@pve', password: 'pve-secret' }),
  ]);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  xenId = await serverIdOf(stack, XEN);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xen?.stop(), pve?.stop()]);
});

type Rec = Record<string, unknown>;
const vmRecords = () => [...xen.db.records('VM')] as Array<[string, Rec]>;
const vmRef = (name: string) => vmRecords().find(([, r]) => r.name_label === name && !r.is_a_snapshot && !r.is_a_template)![0];
const snapshotsOf = (name: string) => vmRecords().filter(([, r]) => r.is_a_snapshot && r.snapshot_of === vmRef(name)).map(([, r]) => r);

/** Right-clicks the snapshot's row and picks the command from its menu. */
async function fromMenu(name: string, command: string): Promise<void> {
  await snapshotRow(page, name).click({ button: 'right' });
  await page.getByTestId('context-menu').getByTestId(`menu-${command}`).click();
}

test('the context menu and details of a snapshot; edit renames it and changes its description on the pool', async () => {
  await openSnapshots(page, xenId, 'vm-00001');
  await snapshotRow(page, 'snapshot 1').click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  const items = await menu.locator('[role=menuitem], [role=separator]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? '|'));
  expect(items).toEqual([
    'menu-revert-snapshot',
    '|',
    'menu-edit-snapshot',
    'menu-new-vm-from-snapshot',
    'menu-template-from-snapshot',
    '|',
    'menu-delete-snapshot',
    '|',
    'menu-snapshot-properties',
  ]);
  await shot(page, 'snapshot-context-menu');
  await menu.getByTestId('menu-edit-snapshot').click();

  const dialog = page.getByTestId('snapshot-edit-dialog');
  await expect(page.getByTestId('snapshot-edit-name')).toBeEnabled();
  await page.getByTestId('snapshot-edit-name').fill('before upgrade');
  await page.getByTestId('snapshot-edit-description').fill('kept for the upgrade');
  await page.getByTestId('snapshot-edit-ok').click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => snapshotsOf('vm-00001').map((r) => [r.name_label, r.name_description])).toEqual([['before upgrade', 'kept for the upgrade']]);
  await expect(snapshotRow(page, 'before upgrade')).toBeVisible();
  const details = page.getByTestId('snapshot-details');
  await expect(details.locator('[data-prop=description]')).toHaveText('kept for the upgrade');
  await expect(details.locator('[data-prop=policy]')).toHaveText('a user');

  // the keyboard: F2 edits the selected snapshot, Escape leaves it as it was
  await page.getByTestId('snapshot-tree').focus();
  await page.keyboard.press('F2');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('snapshot-edit-name')).toHaveValue('before upgrade');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a new VM and a template from a snapshot, each made by the pool', async () => {
  await clearTasks(page);
  await fromMenu('before upgrade', 'new-vm-from-snapshot');
  await expect(page.getByTestId('snapshot-copy-name')).toHaveValue('vm-00001-copy');
  await page.getByTestId('snapshot-copy-name').fill('web-clone');
  await page.getByTestId('snapshot-copy-ok').click();
  await expect(page.getByTestId('snapshot-copy-dialog')).toBeHidden();
  await expectTaskSucceeds(page, 'snapshot_clone', 'before upgrade');
  await expect.poll(() => vmRecords().filter(([, r]) => r.name_label === 'web-clone').map(([, r]) => [r.is_a_snapshot, r.is_a_template])).toEqual([[false, false]]);

  await fromMenu('before upgrade', 'template-from-snapshot');
  await page.getByTestId('snapshot-copy-name').fill('web-template');
  await page.getByTestId('snapshot-copy-ok').click();
  await expectTaskSucceeds(page, 'snapshot_template', 'before upgrade');
  await expect.poll(() => vmRecords().filter(([, r]) => r.name_label === 'web-template').map(([, r]) => [r.is_a_snapshot, r.is_a_template])).toEqual([[false, true]]);
  await search(page, 'web-clone');
  await expect(nodeRow(page, xenId, 'web-clone')).toBeVisible();
});

test('revert can take a snapshot of the current state first, and says the VM is shut down after a disk-only revert', async () => {
  await openSnapshots(page, xenId, 'vm-00001');
  const before = snapshotsOf('vm-00001').length;
  await clearTasks(page);
  await snapshotRow(page, 'before upgrade').click();
  await page.getByTestId('snap-revert').click();
  const confirm = page.getByTestId('confirm-dialog');
  await expect(confirm.getByTestId('confirm-note')).toHaveText(['The snapshot holds no memory: the virtual machine is shut down after the revert.']);
  await confirm.getByTestId('confirm-option-snapshotFirst').check();
  await shot(page, 'snapshot-revert-first');
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'snapshot_revert', 'before upgrade');
  // one more snapshot: the state before the revert, kept as the user's own
  await expect.poll(() => snapshotsOf('vm-00001').length).toBe(before + 1);
  await expect(page.getByTestId('snapshot-row')).toHaveCount(before + 1);
});

test('memory and disk-only snapshots have their own icons; a memory revert says the VM runs on', async () => {
  const running = vmRecords().find(([, r]) => r.power_state === 'Running' && !r.is_control_domain && !r.is_a_snapshot && !r.is_a_template)![1];
  const name = String(running.name_label);
  await openSnapshots(page, xenId, name);
  await takeSnapshot(page, { name: 'with ram', memory: true });
  await expect(snapshotRow(page, 'with ram')).toHaveAttribute('data-memory', 'true', { timeout: 30_000 });
  await expect(snapshotRow(page, 'with ram').locator('svg[data-memory=true]')).toBeVisible();
  await expect(page.locator('[data-testid=snapshot-row][data-memory=false] svg[data-memory=false]').first()).toBeVisible();
  await expect.poll(() => snapshotsOf(name).filter((r) => r.name_label === 'with ram').map((r) => r.power_state)).toEqual(['Suspended']);
  await snapshotRow(page, 'with ram').click();
  await expect(page.getByTestId('snapshot-details').locator('[data-prop=kind]')).toHaveText('Disk and memory');
  await page.getByTestId('snap-revert').click();
  await expect(page.getByTestId('confirm-note')).toHaveText(['The snapshot holds memory: the virtual machine runs on from where it was when the snapshot was taken.']);
  await page.getByTestId('confirm-cancel').click();
});

test('one snapshot of two VMs at once from the toolbar: one name, one task each', async () => {
  await clearTasks(page);
  await search(page, 'vm-0000');
  await nodeRow(page, xenId, 'vm-00002').click();
  await nodeRow(page, xenId, 'vm-00003').click({ modifiers: ['Control'] });
  await page.getByTestId('tb-take-snapshot').click();
  const dialog = page.getByTestId('snapshot-create-dialog');
  await expect(dialog.locator('.dialog-title')).toHaveText('Take a snapshot of 2 items');
  await expect(dialog.getByTestId('confirm-targets').locator('li')).toHaveText(['vm-00002', 'vm-00003']);
  await page.getByTestId('snapshot-name').fill('nightly');
  await page.getByTestId('snapshot-create-ok').click();
  await expectTaskSucceeds(page, 'snapshot_create', 'vm-00002');
  await expectTaskSucceeds(page, 'snapshot_create', 'vm-00003');
  for (const vm of ['vm-00002', 'vm-00003']) await expect.poll(() => snapshotsOf(vm).filter((r) => r.name_label === 'nightly')).toHaveLength(1);
});

test('Proxmox VE: only the description of a snapshot can change, and the dialog says why', async () => {
  await search(page, '');
  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'admin', realm: 'pve', password: 'pve-secret', fingerprint256: pve.fingerprint256 });
  await openSnapshots(page, await serverIdOf(stack, PVE), 'server1');
  await snapshotRow(page, 'snap1').click();
  await expect(page.getByTestId('snap-edit')).toHaveText('Edit description');
  await page.getByTestId('snap-edit').click();
  await expect(page.getByTestId('snapshot-edit-name')).toBeDisabled();
  await expect(page.getByTestId('snapshot-edit-name-fixed')).toHaveText('Proxmox VE cannot rename a snapshot: its name is its key. Only the description can be changed.');
  await page.getByTestId('snapshot-edit-description').fill('Before the big upgrade');
  await shot(page, 'snapshot-edit-proxmox');
  await page.getByTestId('snapshot-edit-ok').click();
  await expect(page.getByTestId('snapshot-edit-dialog')).toBeHidden();
  await expect.poll(() => pve.state.guest(100)!.snapshots.get('snap1')!.description).toBe('Before the big upgrade');
  await expect(page.getByTestId('snapshot-details').locator('[data-prop=description]')).toHaveText('Before the big upgrade');
});
