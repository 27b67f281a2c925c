// A vCenter VM's disks from its Storage tab (issue 16) against vcsim (VPX model): Detach…
// keeps the disk file; Attach disk… lists it (path, datastore, size — vcsim reports no
// capacity for its own disk files, so that size reads "not reported") beside a disk file
// uploaded through the datastore's file service, and attaches it again on a free SCSI unit;
// the datastore's Storage tab lists the kept file, used by no VM.
// Each step read back from the VM's devices through an independent SOAP session.
// Screenshots in English and Chinese (dark).
import { expect, test, type Page } from '@playwright/test';
import { vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { requirePeer } from '../peers/require-peer';
import { RawSoap, text } from '../integration/vsphere/raw-soap';
import { datastoreHttp, list, type Node } from '../integration/vsphere/vm-readback';
import { clearTasks, expectTaskSucceeds, nodeRow, search } from './app-driver';
import { shot, type Stack } from './fixtures';
import { closeVcenterApp, openVcenterApp } from './vcenter-app';

test.describe.configure({ mode: 'serial' });

const vcsimMissing = vcsimUnavailableReason();
test.skip(requirePeer(vcsimMissing), `vcsim cannot be built here: ${vcsimMissing}`);

const VC = 'vCenter disks';
const VM = 'DC0_H0_VM1';

let stack: Stack;
let page: Page;
let vc: Vcsim;
let raw: RawSoap;
let vcId: string;

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** The VM's disks as vcsim holds them: device key and backing file. */
async function serverDisks(): Promise<Array<{ key: string; file: string; unit: string }>> {
  const vm = (await raw.objects('VirtualMachine', ['name', 'config.hardware.device'])).find((v) => text(v.props.name) === VM)!;
  return list((vm.props['config.hardware.device'] as Node).VirtualDevice)
    .filter((d) => d['@_type'] === 'VirtualDisk')
    .map((d) => ({ key: text(d.key), file: text((d.backing as Node).fileName), unit: text(d.unitNumber) }));
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  ({ stack, vc, raw, page, vcId } = await openVcenterApp(browser, VC));
});

test.afterAll(async () => {
  await closeVcenterApp({ page, stack, raw, vc });
});

test('Detach… keeps the disk file; Attach disk… lists it with its datastore and attaches it again', async () => {
  // another disk file, uploaded as a user would through the datastore's file service: vcsim reports its size
  expect((await datastoreHttp(vc, 'PUT', 'spare/extra.vmdk', Buffer.alloc(64 * 1024, 1))).status).toBeLessThan(300);
  const [disk] = await serverDisks();
  await search(page, VM);
  await nodeRow(page, vcId, VM).click();
  await page.getByTestId('tab-storage').click();
  await expect(page.getByTestId('vm-storage-tab')).toBeVisible();
  const row = page.locator(`[data-testid=vm-disk][data-id="${disk!.key}"]`);
  await expect(row).toHaveCount(1);
  // vcsim moves no disk file on RelocateVM_Task: Move… is greyed with the facet's reason
  await expect(row.getByTestId('vm-disk-move')).toBeDisabled();
  await expect(row.getByTestId('vm-disk-move')).toHaveAttribute('data-disabled-reason', /does not move vSphere disks yet/);

  await clearTasks(page);
  await row.getByTestId('vm-disk-detach').click();
  await page.getByTestId('disk-detach-dialog').getByTestId('disk-dialog-ok').click();
  await expectTaskSucceeds(page, 'disk_detach', VM);
  expect((await serverDisks()).map((d) => d.file)).not.toContain(disk!.file);
  await expect(row).toHaveCount(0);

  // the datastore's Storage tab lists the kept file, used by no VM
  await search(page, 'LocalDS_0');
  await nodeRow(page, vcId, 'LocalDS_0').click();
  await page.getByTestId('tab-storage').click();
  const fileRow = page.locator(`[data-testid=storage-disk][data-ref="${disk!.file}"]`);
  await expect(fileRow).toHaveCount(1, { timeout: 30_000 });
  await expect(fileRow.getByTestId('storage-disk-users')).toHaveText('');
  await shot(page, 'vsphere-datastore-free-disk');
  await search(page, VM);
  await nodeRow(page, vcId, VM).click();
  await page.getByTestId('tab-storage').click();

  await clearTasks(page);
  await page.getByTestId('vm-disk-attach').click();
  const dialog = page.getByTestId('disk-attach-dialog');
  await expect(dialog.getByTestId('disk-dialog-note')).toContainText('no VM or snapshot uses');
  const detached = dialog.locator(`[data-testid=disk-attach-choice][data-id="${disk!.file}"]`);
  await expect(detached).toHaveText(`${disk!.file.replace(/^\[[^\]]*\] /, '')} — size not reported by the server (LocalDS_0)`);
  await expect(dialog.locator('[data-testid=disk-attach-choice][data-id="[LocalDS_0] spare/extra.vmdk"]')).toHaveText('spare/extra.vmdk — 64 KiB (LocalDS_0)');
  // every other VM's disk file is in use: only these two are offered
  await expect(dialog.getByTestId('disk-attach-choice')).toHaveCount(2);
  await detached.locator('input').check();
  await shot(page, 'vm-disk-attach-vsphere');
  await looks('zh-CN', 'dark');
  await expect(detached).toContainText('服务器未报告大小');
  await expect(dialog.getByTestId('disk-dialog-ok')).toHaveText('挂载');
  await shot(page, 'vm-disk-attach-vsphere-zh-dark');
  await looks('en', 'light');

  await dialog.getByTestId('disk-dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  await expectTaskSucceeds(page, 'disk_attach', VM);
  const attached = (await serverDisks()).find((d) => d.file === disk!.file);
  expect(attached).toBeDefined();
  await expect(page.locator(`[data-testid=vm-disk][data-id="${attached!.key}"]`)).toHaveCount(1);
  await shot(page, 'vm-disk-attached-vsphere');
  await search(page, '');
});
