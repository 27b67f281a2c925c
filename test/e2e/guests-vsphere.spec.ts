// Issue 14 on vCenter (vcsim, VPX model with two datastores): a VM made in the New VM
// wizard with two disks, each on a datastore chosen for it, and a network; vCPUs, memory
// and the memory reservation of the halted VM changed in the Properties dialog; a running
// VM's vCPUs and memory greyed without hot add and changed live with it; a VM from a
// template with its disk grown; one with guest customization (host name, IP, DNS read back
// as vcsim applies them at power on); Clone… (full copy; the dialog says why no fast clone);
// Convert to Template and back (Convert to VM); Delete keeping the disks and Delete with
// them. Every change is read back through an independent SOAP session (RawSoap) and the
// datastores' own HTTP file service (/folder/…), not only through the tree.
import { expect, test, type Page } from '@playwright/test';
import { buildVcsim, startVcsim, vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { requirePeer } from '../peers/require-peer';
import { RawSoap, text } from '../integration/vsphere/raw-soap';
import { datastoreHttp, serverVm } from '../integration/vsphere/vm-readback';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, search, serverIdOf, serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromMenu, nextTo, openProperties, propertiesDialog, wizard } from './guests-driver';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const vcsimMissing = vcsimUnavailableReason();
test.skip(requirePeer(vcsimMissing), `vcsim cannot be built here: ${vcsimMissing}`);

const VC = 'vCenter guests';
const KiB_PER_GiB = 1024 * 1024;

let stack: Stack;
let page: Page;
let vc: Vcsim;
let raw: RawSoap;
let vcId: string;

/** The file of a disk ("[LocalDS_1] pv-e2e/pv-e2e_1.vmdk") as the datastore's file service answers for it: 200 or 404. */
async function fileStatus(file: string): Promise<number> {
  const match = /^\[([^\]]+)\] (.+)$/.exec(file);
  if (!match) throw new Error(`not a datastore path: ${file}`);
  return (await datastoreHttp(vc, 'GET', match[2], undefined, match[1])).status;
}

/** Finds a guest row by the tree's search and selects it. */
async function selectGuest(name: string) {
  await search(page, name);
  const row = nodeRow(page, vcId, name);
  await row.click();
  await expect(page.getByTestId('details-title')).toHaveText(name);
  return row;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000); // a cold vcsim build on a busy 2-core machine (cached afterwards)
  await buildVcsim();
  [stack, vc] = await Promise.all([
    startStack(),
    startVcsim({ model: 'vpx', datacenters: 1, clusters: 1, hosts: 2, standaloneHosts: 0, vms: 1, datastores: 2, username: 'administrator', password: 'vc-secret' }),
  ]);
  raw = new RawSoap(vc);
  await raw.login();
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'vsphere', name: VC, host: vc.host, port: vc.port, user: 'administrator', password: 'vc-secret', fingerprint256: vc.fingerprint256 });
  vcId = await serverIdOf(stack, VC);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await raw?.logout().catch(() => undefined);
  await vc?.stop();
});

test('the New VM wizard: two disks on the datastores chosen, a network; vcsim holds the VM so', async () => {
  await clearTasks(page);
  await serverRow(page, VC).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  await wizard(page).getByRole('radio', { name: 'New virtual machine: Other (64-bit)' }).check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('pv-e2e');
  await nextTo(page, 'install');
  await nextTo(page, 'host');
  await nextTo(page, 'resources');
  await page.getByTestId('wizard-vcpus').fill('2');
  await page.getByTestId('wizard-memory').fill('1GiB');
  await nextTo(page, 'disks');
  await expect(page.getByTestId('wizard-disk')).toHaveCount(1);
  await page.getByTestId('wizard-disk-size-0').fill('1GiB');
  await page.getByTestId('wizard-disk-storage-0').selectOption({ label: 'LocalDS_0' });
  await page.getByTestId('wizard-disk-add').click();
  await page.getByTestId('wizard-disk-size-1').fill('2GiB');
  await page.getByTestId('wizard-disk-storage-1').selectOption({ label: 'LocalDS_1' });
  await nextTo(page, 'networks');
  if ((await page.getByTestId('wizard-nic').count()) === 0) await page.getByTestId('wizard-nic-add').click();
  await expect(page.getByTestId('wizard-nic')).toHaveCount(1);
  await page.getByTestId('wizard-nic-0').selectOption({ label: 'VM Network' });
  await nextTo(page, 'finish');
  await page.getByTestId('wizard-start').uncheck();
  await shot(page, 'guests-vsphere-wizard-finish');
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();
  await expectTaskSucceeds(page, 'create', 'pv-e2e');
  await expect(page.getByTestId('details-title')).toHaveText('pv-e2e');
  await expect(nodeRow(page, vcId, 'pv-e2e')).toHaveAttribute('data-kind', 'vm');

  const vm = (await serverVm(raw, 'pv-e2e'))!;
  expect(vm).toMatchObject({ numCPU: 2, memoryMB: 1024, template: false, power: 'poweredOff' });
  expect(vm.disks.map((d) => d.kb)).toEqual([KiB_PER_GiB, 2 * KiB_PER_GiB]);
  expect(vm.disks[0].file).toMatch(/^\[LocalDS_0\] /);
  expect(vm.disks[1].file).toMatch(/^\[LocalDS_1\] /);
  expect(vm.nics).toEqual([expect.objectContaining({ network: 'VM Network' })]);
  for (const d of vm.disks) expect(await fileStatus(d.file)).toBe(200);
});

test('Properties of the halted VM: vCPUs, memory and the reservation, as vcsim reads back', async () => {
  await openProperties(page, await selectGuest('pv-e2e'));
  await page.getByTestId('props-section-cpu').click();
  await page.getByTestId('props-vcpus').fill('3');
  await page.getByTestId('props-section-memory').click();
  await page.getByTestId('props-staticMax').fill('2GiB');
  await page.getByTestId('props-reservation').fill('512MiB');
  await shot(page, 'guests-vsphere-properties-memory');
  await page.getByTestId('props-save').click();
  await expect(propertiesDialog(page)).toBeHidden({ timeout: 30_000 });
  await expect.poll(async () => (await serverVm(raw, 'pv-e2e'))!.numCPU).toBe(3);
  expect(await serverVm(raw, 'pv-e2e')).toMatchObject({ numCPU: 3, memoryMB: 2048, reservationMB: 512, power: 'poweredOff' });
});

test('a running VM: vCPUs and memory only with hot add, said so; live where CPU / Memory Hot Add is enabled, memory only upwards', async () => {
  const ref = (await serverVm(raw, 'pv-e2e'))!.ref;
  const row = await selectGuest('pv-e2e');
  await raw.runTask('PowerOnVM_Task', ref);
  await expect(row).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await openProperties(page, row);
  await page.getByTestId('props-section-cpu').click();
  await expect(page.getByTestId('props-vcpus')).toBeDisabled();
  await expect(page.getByTestId('disabled-props-vcpus')).toHaveText('Only while powered off: CPU Hot Add is not enabled on this VM.');
  await page.getByTestId('props-section-memory').click();
  await expect(page.getByTestId('props-staticMax')).toBeDisabled();
  await expect(page.getByTestId('disabled-props-staticMax')).toHaveText('Only while powered off: Memory Hot Add is not enabled on this VM.');
  // the same in Chinese, dark
  await setLanguage(stack, page, 'zh-CN');
  await stack.core.invoke('settings:set', { theme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('disabled-props-staticMax')).toHaveText('仅在关机时可更改：此虚拟机未启用内存热插拔。');
  await shot(page, 'guests-vsphere-properties-no-hot-add-zh-dark');
  await stack.core.invoke('settings:set', { theme: 'system' });
  await setLanguage(stack, page, 'en');
  await page.getByTestId('props-cancel').click();
  await expect(propertiesDialog(page)).toBeHidden();

  // hot add is set while powered off, as vSphere requires
  await raw.runTask('PowerOffVM_Task', ref);
  await raw.runTask('ReconfigVM_Task', ref, '<spec><cpuHotAddEnabled>true</cpuHotAddEnabled><memoryHotAddEnabled>true</memoryHotAddEnabled></spec>');
  await raw.runTask('PowerOnVM_Task', ref);
  await expect(row).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await openProperties(page, row);
  await page.getByTestId('props-section-cpu').click();
  await expect(page.getByTestId('disabled-props-vcpus')).toHaveCount(0);
  await page.getByTestId('props-vcpus').fill('4');
  await page.getByTestId('props-section-memory').click();
  await page.getByTestId('props-staticMax').fill('1GiB');
  await expect(page.getByTestId('problem-props-memory')).toHaveText('“Memory” can only grow while the VM runs; power it off to reduce it.');
  await expect(page.getByTestId('props-save')).toBeDisabled();
  await page.getByTestId('props-staticMax').fill('3GiB');
  await expect(page.getByTestId('problem-props-memory')).toHaveCount(0);
  await shot(page, 'guests-vsphere-properties-hot-add');
  await page.getByTestId('props-save').click();
  await expect(propertiesDialog(page)).toBeHidden({ timeout: 30_000 });
  await expect.poll(async () => (await serverVm(raw, 'pv-e2e'))!.numCPU).toBe(4);
  expect(await serverVm(raw, 'pv-e2e')).toMatchObject({ numCPU: 4, memoryMB: 3072, power: 'poweredOn' });
  await raw.runTask('PowerOffVM_Task', ref);
  await expect(row).not.toHaveAttribute('data-state', 'running', { timeout: 30_000 });
});

test('New VM from a template: its disk grown, one more disk, vCPUs and memory changed; the template stays as it was', async () => {
  const options = await stack.core.invoke('guests:createOptions', vcId);
  const network = options.networks.find((n) => n.name === 'VM Network')!;
  const storage = options.storages.find((st) => st.name === 'LocalDS_0')!;
  await clearTasks(page);
  await stack.core.invoke('guests:create', vcId, { templateId: 'new:otherGuest64', name: 'pv-tpl', vcpus: 1, memory: { sizeBytes: 512 * 1024 ** 2 }, disks: [{ sizeBytes: 1024 ** 3, storageId: storage.id }], networks: [{ networkId: network.id }] });
  await expectTaskSucceeds(page, 'create', 'pv-tpl');
  // through Polyvisor: vcsim 0.24 reports no change of config.template, so only our own change is seen
  await clearTasks(page);
  await fromMenu(page, await selectGuest('pv-tpl'), 'to-template');
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'to_template', 'pv-tpl');
  expect((await serverVm(raw, 'pv-tpl'))!.template).toBe(true);

  await clearTasks(page);
  await search(page, '');
  await serverRow(page, VC).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  await wizard(page).locator('[data-testid=wizard-template][data-template="pv-tpl"] input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('pv-from-tpl');
  await nextTo(page, 'install');
  await nextTo(page, 'host');
  await nextTo(page, 'resources');
  await expect(page.getByTestId('wizard-vcpus')).toHaveValue('1');
  await expect(page.getByTestId('wizard-memory')).toHaveValue('512MiB');
  await page.getByTestId('wizard-vcpus').fill('2');
  await page.getByTestId('wizard-memory').fill('1GiB');
  await nextTo(page, 'disks');
  // the template's disk comes first
  await expect(page.getByTestId('wizard-disk')).toHaveCount(1);
  await expect(page.getByTestId('wizard-disk-size-0')).toHaveValue('1GiB');
  await page.getByTestId('wizard-disk-size-0').fill('2GiB');
  await page.getByTestId('wizard-disk-add').click();
  await page.getByTestId('wizard-disk-size-1').fill('1GiB');
  await nextTo(page, 'networks');
  await nextTo(page, 'finish');
  await page.getByTestId('wizard-start').uncheck();
  await shot(page, 'guests-vsphere-wizard-template');
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();
  await expectTaskSucceeds(page, 'create', 'pv-from-tpl');
  await expect(page.getByTestId('details-title')).toHaveText('pv-from-tpl');

  const vm = (await serverVm(raw, 'pv-from-tpl'))!;
  expect(vm).toMatchObject({ numCPU: 2, memoryMB: 1024, template: false });
  expect(vm.disks.map((d) => d.kb)).toEqual([2 * KiB_PER_GiB, KiB_PER_GiB]);
  expect(vm.nics).toEqual([expect.objectContaining({ network: 'VM Network' })]);
  expect(await serverVm(raw, 'pv-tpl')).toMatchObject({ numCPU: 1, memoryMB: 512, template: true, disks: [{ kb: KiB_PER_GiB }] });
});

test('New VM from a template with guest customization (zh-CN): host name, domain, fixed IP and DNS as vcsim applies them at power on', async () => {
  await setLanguage(stack, page, 'zh-CN');
  await clearTasks(page);
  await search(page, '');
  await serverRow(page, VC).click();
  await page.getByTestId('tb-new-vm').click();
  await wizard(page).locator('[data-testid=wizard-template][data-template="pv-tpl"] input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('pv-custom');
  await nextTo(page, 'install');
  // vSphere's Linux customization: its word, its fields; none of cloud-init's user, password or keys
  await expect(page.getByTestId('wizard-customization')).toContainText('客户机自定义 (Linux)');
  await expect(page.getByTestId('wizard-ci-user')).toHaveCount(0);
  await expect(page.getByTestId('wizard-ci-ssh')).toHaveCount(0);
  await page.getByTestId('wizard-ci-hostname').fill('web01');
  await page.getByTestId('wizard-ci-ip').fill('ip=10.0.0.5/24,gw=10.0.0.1');
  await page.getByTestId('wizard-ci-dns').fill('10.0.0.2');
  // once a field is filled the domain is required: Next stays on the page and names it
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('problem-wizard-ci-domain')).toContainText('域');
  await expect(page.getByTestId('wizard-page-install')).toBeVisible();
  await page.getByTestId('wizard-ci-domain').fill('example.test');
  await page.getByTestId('wizard-ci-time-zone').fill('Asia/Shanghai');
  await expect(page.getByTestId('field-wizard-ci-hostname')).toContainText('主机名');
  await stack.core.invoke('settings:set', { theme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'guests-vsphere-wizard-customization-zh-dark');
  await stack.core.invoke('settings:set', { theme: 'system' });
  await nextTo(page, 'host');
  await nextTo(page, 'resources');
  await nextTo(page, 'disks');
  await nextTo(page, 'networks');
  await nextTo(page, 'finish');
  await expect(page.locator('[data-testid=wizard-summary] [data-summary=install]')).toContainText('客户机自定义 (Linux)');
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();
  await expectTaskSucceeds(page, 'create', 'pv-custom');

  const paths = ['name', 'config.tools.pendingCustomization', 'guest.hostName', 'guest.ipAddress', 'guest.net'];
  const vm = (await raw.objects('VirtualMachine', paths)).find((v) => text(v.props.name) === 'pv-custom')!;
  expect(text(vm.props['config.tools.pendingCustomization'])).toBe('');
  expect(text(vm.props['guest.hostName'])).toBe('web01');
  expect(text(vm.props['guest.ipAddress'])).toBe('10.0.0.5');
  const dns = ((vm.props['guest.net'] as Record<string, Record<string, unknown>>).GuestNicInfo.dnsConfig ?? {}) as Record<string, unknown>;
  expect([text(dns.domainName), text(dns.ipAddress)]).toEqual(['example.test', '10.0.0.2']);
  await setLanguage(stack, page, 'en');
});

test('the customization page in English: a bad address and DNS server are named before anything is sent', async () => {
  await clearTasks(page);
  await serverRow(page, VC).click();
  await page.getByTestId('tb-new-vm').click();
  await wizard(page).locator('[data-testid=wizard-template][data-template="pv-tpl"] input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('pv-custom-bad');
  await nextTo(page, 'install');
  await expect(page.getByTestId('wizard-customization')).toContainText('Guest customization (Linux)');
  await expect(page.getByTestId('field-wizard-ci-hostname')).toContainText('Host name');
  await page.getByTestId('wizard-ci-domain').fill('example.test');
  await page.getByTestId('wizard-ci-ip').fill('ip=10.0.0.300/24');
  await page.getByTestId('wizard-ci-dns').fill('dns.example');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('problem-wizard-ci-ip')).toBeVisible();
  await expect(page.getByTestId('problem-wizard-ci-dns')).toContainText('DNS servers');
  await shot(page, 'guests-vsphere-wizard-customization');
  await page.keyboard.press('Escape');
  await expect(wizard(page)).toBeHidden();
  expect(await serverVm(raw, 'pv-custom-bad')).toBeUndefined();
});

test('Clone… makes a full copy with disks of its own', async () => {
  // the copy is of vcsim's own VM: vcsim 0.24's CloneVM_Task rewrites the source's disk backings
  // to the copy's files in its answers, so the wizard's VM is left out of it for the deletes below
  const source = (await raw.objects('VirtualMachine', ['name'])).map((v) => text(v.props.name)).find((n) => n !== 'pv-e2e')!;
  const before = (await serverVm(raw, source))!;
  expect(before.disks.length).toBeGreaterThan(0);
  await clearTasks(page);
  await fromMenu(page, await selectGuest(source), 'clone-guest');
  const dialog = page.getByTestId('clone-guest-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('clone-guest-name')).toHaveValue(`Copy of ${source}`);
  // no fast (linked) clone on vSphere, and the dialog says why
  await expect(page.getByTestId('clone-guest-mode')).toHaveCount(0);
  await expect(page.getByTestId('clone-guest-note')).toContainText('copies every disk in full');
  await page.getByTestId('clone-guest-name').fill('pv-e2e-copy');
  await page.getByTestId('clone-guest-ok').click();
  await expect(dialog).toBeHidden();
  await expectTaskSucceeds(page, 'clone', source);
  await search(page, 'pv-e2e-copy');
  await expect(nodeRow(page, vcId, 'pv-e2e-copy')).toHaveAttribute('data-kind', 'vm');
  const copy = (await serverVm(raw, 'pv-e2e-copy'))!;
  expect(copy).toMatchObject({ numCPU: before.numCPU, memoryMB: before.memoryMB, template: false });
  expect(copy.ref.value).not.toBe(before.ref.value);
  expect(copy.disks.map((d) => d.kb)).toEqual(before.disks.map((d) => d.kb));
  for (const d of copy.disks) {
    expect(before.disks.map((s) => s.file)).not.toContain(d.file);
    expect(await fileStatus(d.file)).toBe(200);
  }
  for (const d of before.disks) expect(await fileStatus(d.file)).toBe(200);
});

test('Convert to Template asks first and vcsim holds a template; Convert to VM turns it back', async () => {
  await stack.core.invoke('settings:set', { showTemplates: true });
  await clearTasks(page);
  await fromMenu(page, await selectGuest('pv-e2e-copy'), 'to-template');
  await expect(page.getByTestId('confirm-dialog')).toContainText('pv-e2e-copy');
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'to_template', 'pv-e2e-copy');
  await expect(nodeRow(page, vcId, 'pv-e2e-copy')).toHaveAttribute('data-kind', 'template');
  expect((await serverVm(raw, 'pv-e2e-copy'))!.template).toBe(true);

  await clearTasks(page);
  await fromMenu(page, nodeRow(page, vcId, 'pv-e2e-copy'), 'to-vm');
  await expectTaskSucceeds(page, 'to_vm', 'pv-e2e-copy');
  await expect(nodeRow(page, vcId, 'pv-e2e-copy')).toHaveAttribute('data-kind', 'vm');
  expect((await serverVm(raw, 'pv-e2e-copy'))!.template).toBe(false);
  await stack.core.invoke('settings:set', { showTemplates: false });
});

test('Delete keeping the disks: the VM goes, its disk files stay on the datastores', async () => {
  const files = (await serverVm(raw, 'pv-e2e-copy'))!.disks.map((d) => d.file);
  expect(files.length).toBeGreaterThan(0);
  await clearTasks(page);
  await fromMenu(page, await selectGuest('pv-e2e-copy'), 'delete-guest');
  const dialog = page.getByTestId('delete-guests-dialog');
  const disks = dialog.getByTestId('delete-disk');
  await expect(disks).toHaveCount(files.length);
  await page.getByTestId('delete-guests-disks').uncheck();
  await expect(disks.and(page.locator('[data-fate=kept]'))).toHaveCount(files.length);
  await page.getByTestId('delete-guests-ok').click();
  await expectTaskSucceeds(page, 'destroy', 'pv-e2e-copy');
  await expect(nodeRow(page, vcId, 'pv-e2e-copy')).toHaveCount(0);
  expect(await serverVm(raw, 'pv-e2e-copy')).toBeUndefined();
  for (const f of files) expect(await fileStatus(f)).toBe(200);
});

test('Delete with the disks: the VM and its disk files on both datastores are gone', async () => {
  const files = (await serverVm(raw, 'pv-e2e'))!.disks.map((d) => d.file);
  await clearTasks(page);
  await fromMenu(page, await selectGuest('pv-e2e'), 'delete-guest');
  const dialog = page.getByTestId('delete-guests-dialog');
  await expect(dialog.getByTestId('delete-item')).toHaveAttribute('data-name', 'pv-e2e');
  await expect(page.getByTestId('delete-guests-disks')).toBeChecked();
  const disks = dialog.getByTestId('delete-disk');
  await expect(disks).toHaveCount(2);
  await expect(disks.and(page.locator('[data-fate=deleted]'))).toHaveCount(2);
  await expect(dialog).toContainText('LocalDS_1');
  await shot(page, 'guests-vsphere-delete');
  await page.getByTestId('delete-guests-ok').click();
  await expectTaskSucceeds(page, 'destroy', 'pv-e2e');
  await expect(nodeRow(page, vcId, 'pv-e2e')).toHaveCount(0);
  expect(await serverVm(raw, 'pv-e2e')).toBeUndefined();
  for (const f of files) expect(await fileStatus(f)).toBe(404);
});
