// The New VM wizard (issue 14) end to end against Acme Lab, a provider defined in test
// code whose in-memory server makes VMs under its rules (test/fixtures/fake-guests-*.ts):
// every page checked before Next with the field named, a VM from a template with two
// disks and two networks created through the core and read back from the lab's own
// state, selected in the tree when its task succeeds; New VM from a template node; a
// platform that cannot make VMs says so on the greyed command. Screenshots in English,
// and in Chinese with the dark theme.
import { expect, test, type Page } from '@playwright/test';
import { acmeCloud, acmeProviderFactory } from '../fixtures/fake-provider';
import { acmeLab } from '../fixtures/fake-guests-lab';
import { expectTaskSucceeds, nodeRow, serverRow } from './app-driver';
import { shot, type Stack } from './fixtures';
import { fromMenu, LAB, nextTo, setTheme, startLab, wizard } from './guests-driver';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const GiB = 1024 ** 3;
let stack: Stack;
let page: Page;
let labId: string;

const labVm = (name: string) => [...acmeLab.state.vms.values()].find((vm) => vm.name === name);

test.beforeAll(async ({ browser }) => {
  ({ stack, page, labId } = await startLab(browser, [acmeProviderFactory]));
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
});

test('New VM…: each page checked before Next, then a VM with two disks and two networks, read back from the server', async () => {
  await serverRow(page, LAB).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(wizard(page)).toBeVisible();
  // opened on the selected server: its templates first; the server page has it chosen
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  await page.getByTestId('wizard-step-server').click();
  await expect(wizard(page).locator(`[data-testid=wizard-server][data-server="${LAB}"] input`)).toBeChecked();

  await nextTo(page, 'template');
  await expect(wizard(page).locator('[data-testid=wizard-template][data-template="Alpine container"]')).toContainText('makes a container');
  await expect(wizard(page).locator('[data-testid=wizard-template][data-template="Debian 12"]')).toContainText('installed from its ISO');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('wizard-page-template')).toContainText('Choose a template.');
  await wizard(page).locator('[data-testid=wizard-template][data-template="Debian 12"] input').check();

  await nextTo(page, 'name');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('problem-wizard-name')).toHaveText('“Name” is required.');
  await page.getByTestId('wizard-name').fill('app-01');
  await page.getByTestId('wizard-description').fill('made by the wizard');

  await nextTo(page, 'install');
  await page.getByTestId('wizard-iso').selectOption({ label: 'debian-12.7-amd64-netinst.iso · ISO library' });
  await nextTo(page, 'host');
  await wizard(page).locator('[data-testid=wizard-host][data-host="lab-h1"] input').check();

  await nextTo(page, 'resources');
  await expect(page.getByTestId('wizard-memory')).toHaveValue('4GiB');
  await expect(page.getByTestId('wizard-dynamic-min')).toHaveValue('2GiB');
  await page.getByTestId('wizard-vcpus').fill('40');
  await page.getByTestId('wizard-memory').fill('lots');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('problem-wizard-vcpus')).toHaveText('“vCPUs” must be at most 16.');
  await expect(page.getByTestId('problem-wizard-memory')).toContainText('“Static maximum”: “lots” is not a size');
  await page.getByTestId('wizard-vcpus').fill('4');
  await page.getByTestId('wizard-memory').fill('6 GiB');
  await page.getByTestId('wizard-dynamic-max').fill('6GiB');

  await nextTo(page, 'disks');
  await expect(page.getByTestId('wizard-disk')).toHaveCount(1);
  await page.getByTestId('wizard-disk-add').click();
  await page.getByTestId('wizard-disk-size-1').fill('200GiB');
  await page.getByTestId('wizard-disk-storage-1').selectOption({ label: 'Local storage' });
  await expect(page.getByTestId('disk-too-big-1')).toBeVisible();
  await page.getByTestId('wizard-disk-storage-1').selectOption({ label: 'NFS store' });
  await expect(page.getByTestId('disk-too-big-1')).toBeHidden();
  await page.getByTestId('wizard-disk-size-1').fill('20GiB');
  await expect(wizard(page).locator('[data-testid=storage-bar][data-storage="NFS store"]')).toContainText('shared');
  await shot(page, 'guests-wizard-disks');

  await nextTo(page, 'networks');
  await expect(page.getByTestId('wizard-nic-0')).toHaveValue('net0');
  await page.getByTestId('wizard-nic-add').click();
  await page.getByTestId('wizard-nic-1').selectOption({ label: 'Storage network' });

  await nextTo(page, 'finish');
  const summary = page.getByTestId('wizard-summary');
  await expect(summary.locator('[data-summary=disks]')).toContainText('16GiB @ Local storage, 20GiB @ NFS store');
  await expect(summary.locator('[data-summary=networks]')).toContainText('Pool-wide network, Storage network');
  await expect(summary.locator('[data-summary=host]')).toContainText('lab-h1');
  await shot(page, 'guests-wizard-finish');
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();

  await expectTaskSucceeds(page, 'create', 'app-01');
  // selected in the tree when the task succeeded
  await expect(page.getByTestId('details-title')).toHaveText('app-01');
  await expect(nodeRow(page, labId, 'app-01')).toHaveAttribute('aria-selected', 'true');
  // the server's own record
  const vm = labVm('app-01')!;
  expect(vm).toMatchObject({ description: 'made by the wizard', vcpus: 4, state: 'running', iso: 'iso-debian', networks: ['net0', 'net1'] });
  expect(vm.memory).toMatchObject({ dynamicMin: 2 * GiB, dynamicMax: 6 * GiB, staticMax: 6 * GiB });
  expect(vm.disks.map((d) => [d.sizeBytes / GiB, d.storageId])).toEqual([
    [16, 'sr-local'],
    [20, 'sr-nfs'],
  ]);
});

test('New VM from this template: the template preselected, cloud-init fields with a write-only password', async () => {
  await stack.core.invoke('settings:set', { showTemplates: true });
  await fromMenu(page, nodeRow(page, labId, 'Ubuntu cloud image'), 'new-vm-from-template');
  await expect(page.getByTestId('wizard-page-name')).toBeVisible();
  await page.getByTestId('wizard-name').fill('cloud-01');
  await nextTo(page, 'install');
  await expect(page.getByTestId('wizard-iso')).toHaveCount(0);
  await expect(page.getByTestId('wizard-ci-password')).toHaveAttribute('type', 'password');
  await page.getByTestId('wizard-ci-user').fill('ops');
  await page.getByTestId('wizard-ci-password').fill('not-kept');
  await page.getByTestId('wizard-ci-hostname').fill('cloud-01');
  await page.getByTestId('wizard-ci-ip').fill('192.0.2.10');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('problem-wizard-ci-ip')).toContainText('must be dhcp or ip=');
  await page.getByTestId('wizard-ci-ip').fill('ip=192.0.2.10/24,gw=192.0.2.1');
  await nextTo(page, 'host');
  await page.getByTestId('wizard-step-finish').click();
  await page.getByTestId('wizard-start').uncheck();
  await page.getByTestId('wizard-finish').click();
  await expectTaskSucceeds(page, 'create', 'cloud-01');
  expect(labVm('cloud-01')).toMatchObject({ state: 'halted', cloudInit: { user: 'ops', hostname: 'cloud-01', ipConfig: 'ip=192.0.2.10/24,gw=192.0.2.1', passwordGiven: true } });
  await stack.core.invoke('settings:set', { showTemplates: false });
});

test('a platform that makes no VMs: New VM is greyed with the reason', async () => {
  await page.getByTestId('tb-add-server').click();
  await page.getByTestId('add-server-type').selectOption('acme');
  await page.getByTestId('add-server-name').fill('Acme cloud');
  await page.getByTestId('add-server-host').fill('acme.example.test');
  await page.getByTestId('add-server-username').fill('ops');
  await page.getByTestId('add-server-projectId').fill('prj-0042');
  await page.getByTestId('add-server-password').fill(acmeCloud.password);
  await page.getByTestId('add-server-submit').click();
  await expect(serverRow(page, 'Acme cloud')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await serverRow(page, 'Acme cloud').click({ button: 'right' });
  const item = page.getByTestId('menu-new-vm');
  await expect(item).toBeDisabled();
  await expect(item).toHaveAttribute('data-disabled-reason', 'Acme Cloud cannot make VMs from Polyvisor.');
  await page.keyboard.press('Escape');
});

test('the wizard in Chinese, dark theme', async () => {
  await setLanguage(stack, page, 'zh-CN');
  await setTheme(page, 'dark');
  await serverRow(page, LAB).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  await wizard(page).locator('[data-testid=wizard-template][data-template="Debian 12"] input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill('app-02');
  await page.getByTestId('wizard-step-resources').click();
  await page.getByTestId('wizard-dynamic-min').fill('5GiB');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('problem-wizard-dynamic-min')).toHaveText('动态最小值大于动态最大值。');
  await shot(page, 'guests-wizard-zh-dark');
  await page.getByTestId('wizard-back').click();
  await wizard(page).locator('.dialog-footer button').first().click();
  await expect(wizard(page)).toBeHidden();
  await setTheme(page, 'system');
  await setLanguage(stack, page, 'en');
});
