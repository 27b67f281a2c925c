// Storage in the tree and its tab (issue 16) on a XenServer pool loaded from state1.xml
// and a Proxmox VE cluster: SRs where XenCenter puts them (local ones under their host,
// shared ones under the pool, the tools SR hidden), each with its free-space bar; an SR's
// tab with its facts and disks as the simulator's VDI records have them; Rescan runs
// SR.scan and the recount shows; a Proxmox storage's Rescan is greyed with the platform's
// reason. Screenshots in English and Chinese, dark theme too.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { XAPI_DB_DIR } from '../shared-dir';
import { addServer, clearTasks, expectTaskSucceeds, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { treePaths } from './migration-driver';

test.describe.configure({ mode: 'serial' });

const XEN = 'Lab pool';
const PVE = 'Lab cluster';

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

const storageRow = (serverId: string, name: string) => page.locator(`[role=treeitem][data-kind=storage][aria-label="${name}"][data-key^="${serverId}:"]`);
const srNamed = (name: string) => [...xen.db.records('SR')].find(([, r]) => r.name_label === name)!;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, xen, pve] = await Promise.all([startStack(), startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state1.xml'), taskDurationMs: 400 }), startProxmoxSimulator({ seed: 'migration' })]);
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

test('the tree shows the SRs where XenCenter does, with a free-space bar, and hides the tools SR', async () => {
  await expect
    .poll(async () => (await treePaths(page)).filter((p) => p.startsWith(`${XEN}/`) && /storage|DVD|ISO|Removable/.test(p)).sort(), { timeout: 30_000 })
    .toEqual(
      [
        `${XEN}/Hottub/Alex ISO Store`,
        `${XEN}/Hottub/NFS ISO library`,
        `${XEN}/Hottub/NetApp virtual disk storage`,
        `${XEN}/Hottub/iSCSI virtual disk storage`,
        `${XEN}/Hottub/incubus/DVD drives`,
        `${XEN}/Hottub/incubus/Local storage`,
        `${XEN}/Hottub/incubus/Removable storage`,
        `${XEN}/Hottub/inflames/DVD drives`,
        `${XEN}/Hottub/inflames/Local storage`,
        `${XEN}/Hottub/inflames/Removable storage`,
      ].sort(),
    );
  expect((await treePaths(page)).some((p) => p.endsWith('/XenServer Tools'))).toBe(false);
  const netapp = storageRow(xenId, 'NetApp virtual disk storage');
  const [, sr] = srNamed('NetApp virtual disk storage');
  await expect(netapp.getByRole('meter')).toHaveAttribute('aria-valuenow', String(sr.physical_utilisation));
  await expect(netapp.getByRole('meter')).toHaveAttribute('aria-valuemax', String(sr.physical_size));
  // nearly full (as the simulator's record says) warns; a DVD drive is full by nature and does not
  expect(Number(sr.physical_utilisation) / Number(sr.physical_size)).toBeGreaterThanOrEqual(0.9);
  await expect(netapp.getByRole('meter')).toHaveClass(/nearly-full/);
  const [dvdRef, dvd] = srNamed('DVD drives');
  expect(dvd.type).toBe('udev');
  const drive = page.locator(`[role=treeitem][data-kind=storage][aria-label="DVD drives"][data-key$=":storage:${dvdRef}"]`);
  await expect(drive.getByRole('meter')).not.toHaveClass(/nearly-full/);
});

test('an SR’s Storage tab lists its facts and its disks as the simulator has them', async () => {
  const [ref] = srNamed('Local storage');
  const host = String(xen.db.get('host', String([...xen.db.records('PBD').values()].find((p) => p.SR === ref)!.host))!.name_label);
  const row = page.locator(`[role=treeitem][data-kind=storage][aria-label="Local storage"][data-key$=":storage:${ref}"]`);
  await row.click();
  await page.getByTestId('tab-storage').click();
  const tab = page.getByTestId('storage-tab');
  await expect(tab.getByTestId('storage-type')).toHaveText('lvm');
  await expect(tab.getByTestId('storage-shared')).toHaveText('No');
  await expect(tab.getByTestId('storage-hosts')).toHaveText(host);
  const vdis = [...xen.db.records('VDI')].filter(([, v]) => v.SR === ref);
  expect(vdis.length).toBeGreaterThan(0);
  await expect(tab.getByTestId('storage-disk')).toHaveCount(vdis.length);
  for (const [vdiRef, vdi] of vdis) {
    const users = [...xen.db.records('VBD').values()]
      .filter((b) => b.VDI === vdiRef && !xen.db.get('VM', String(b.VM))!.is_control_domain)
      .map((b) => String(xen.db.get('VM', String(b.VM))!.name_label));
    const disk = tab.locator(`[data-testid=storage-disk][data-ref="${vdiRef}"]`);
    await expect(disk).toContainText(String(vdi.name_label));
    await expect(disk.getByTestId('storage-disk-users')).toHaveText([...new Set(users)].sort((a, b) => a.localeCompare(b)).join(', '));
  }
  await shot(page, 'storage-tab-xapi');
  await looks('zh-CN', 'dark');
  await expect(page.getByTestId('tab-storage')).toHaveText('存储');
  await expect(tab.getByTestId('storage-shared')).toHaveText('否');
  await shot(page, 'storage-tab-xapi-zh-dark');
  await looks('en', 'light');
  await search(page, '');
});

test('Rescan runs SR.scan: the simulator recounts the SR and the bar follows', async () => {
  await clearTasks(page);
  const [ref] = srNamed('Local storage');
  const row = page.locator(`[role=treeitem][data-kind=storage][aria-label="Local storage"][data-key$=":storage:${ref}"]`);
  xen.db.update('SR', ref, { physical_utilisation: 1 });
  await expect(row.getByRole('meter')).toHaveAttribute('aria-valuenow', '1');
  await row.click();
  await page.getByTestId('tab-storage').click();
  await page.getByTestId('storage-rescan').click();
  await expectTaskSucceeds(page, 'storage_rescan', 'Local storage');
  const counted = Number(xen.db.get('SR', ref)!.physical_utilisation);
  expect(counted).toBeGreaterThan(1);
  await expect(row.getByRole('meter')).toHaveAttribute('aria-valuenow', String(counted));
});

test('a Proxmox VE storage: local under its node, shared once under the cluster; Rescan greyed with the platform’s reason', async () => {
  const paths = await treePaths(page);
  expect(paths).toContain(`${PVE}/pve-migrate/ceph-pool`);
  expect(paths).toContain(`${PVE}/pve-migrate/pve2/fast-ssd`);
  // the tree draws only the rows in view: the search brings the storage up
  await search(page, 'ceph-pool');
  await storageRow(pveId, 'ceph-pool').click();
  await page.getByTestId('tab-storage').click();
  const tab = page.getByTestId('storage-tab');
  await expect(tab.getByTestId('storage-type')).toHaveText('rbd');
  await expect(tab.getByTestId('storage-hosts')).toHaveText('pve1, pve2, pve3');
  const rescan = page.getByTestId('storage-rescan');
  await expect(rescan).toBeDisabled();
  await expect(rescan).toHaveAttribute('data-disabled-reason', /no rescan/);
  await expect(tab.getByTestId('storage-rescan-note')).toContainText('no rescan');
  await expect(tab.getByTestId('storage-disk').first()).toBeVisible();
  await shot(page, 'storage-tab-proxmox');
  await looks('zh-CN', 'light');
  await expect(rescan).toHaveAttribute('data-disabled-reason', /没有重新扫描/);
  await shot(page, 'storage-tab-proxmox-zh');
  await looks('en', 'light');
  await search(page, '');
});

test('a VM’s Storage tab lists its disks with size and the storage each is on, linked to that storage', async () => {
  const [vmRef, vm] = [...xen.db.records('VM')].find(([, v]) => v.name_label === 'Iscsi Box')!;
  const vbds = [...xen.db.records('VBD').values()].filter((b) => b.VM === vmRef && b.type !== 'CD' && b.VDI !== 'OpaqueRef:NULL');
  expect(vbds.length).toBeGreaterThan(0);
  await search(page, 'Iscsi Box');
  await page.locator(`[role=treeitem][data-kind=vm][aria-label="Iscsi Box"][data-key^="${xenId}:"]`).click();
  await page.getByTestId('tab-storage').click();
  const tab = page.getByTestId('vm-storage-tab');
  await expect(tab.getByTestId('vm-disk')).toHaveCount(vbds.length);
  for (const vbd of vbds) {
    const vdi = xen.db.get('VDI', String(vbd.VDI))!;
    const sr = xen.db.get('SR', String(vdi.SR))!;
    const row = tab.locator(`[data-testid=vm-disk][data-id="${vbd.VDI}"]`);
    await expect(row).toContainText(String(vdi.name_label));
    await expect(row.getByTestId('vm-disk-storage')).toHaveText(String(sr.name_label));
  }
  await shot(page, 'vm-storage-tab-xapi');
  await looks('zh-CN', 'dark');
  await shot(page, 'vm-storage-tab-xapi-zh-dark');
  await looks('en', 'light');
  // the link opens the storage the disk is on: the SR of the VM's own host, not the other "Local storage"
  const firstSr = String(xen.db.get('VDI', String(vbds[0]!.VDI))!.SR);
  await tab.getByTestId('vm-disk-storage-link').first().click();
  await expect(page.getByTestId('details-title')).toHaveText(String(xen.db.get('SR', firstSr)!.name_label));
  await search(page, '');
  await page.getByTestId('tab-storage').click();
  const hostOfSr = String(xen.db.get('host', String([...xen.db.records('PBD').values()].find((p) => p.SR === firstSr)!.host))!.name_label);
  await expect(page.getByTestId('storage-tab').getByTestId('storage-hosts')).toHaveText(hostOfSr);
  // a local SR: the one of the host the VM runs on
  expect(String(xen.db.get('host', String(vm.resident_on))?.name_label ?? hostOfSr)).toBe(hostOfSr);
});

test('a Proxmox VE VM’s Storage tab: its volumes on their storages, as the guest’s configuration names them', async () => {
  const guest = [...pve.state.guests.values()].find((g) => g.name === 'web-01')!;
  await search(page, 'web-01');
  await page.locator(`[role=treeitem][aria-label*="web-01"][data-key^="${pveId}:"]`).first().click();
  await page.getByTestId('tab-storage').click();
  const tab = page.getByTestId('vm-storage-tab');
  const volumes = Object.entries(guest.config).filter(([k, v]) => /^(scsi|virtio|sata|ide)\d+$/.test(k) && !String(v).includes('media=cdrom'));
  await expect(tab.getByTestId('vm-disk')).toHaveCount(volumes.length);
  for (const [, v] of volumes) {
    const storage = String(v).split(':')[0]!;
    await expect(tab.getByTestId('vm-disk-storage').filter({ hasText: storage })).not.toHaveCount(0);
  }
  await shot(page, 'vm-storage-tab-proxmox');
  await search(page, '');
});

test('Move… moves a running VM’s disk live to another SR with progress; the simulator has it there', async () => {
  await clearTasks(page);
  const [target] = srNamed('NetApp virtual disk storage');
  // a running VM (named once) with a disk elsewhere than the NetApp SR: it moves live (VDI.pool_migrate)
  const names = [...xen.db.records('VM').values()].map((v) => v.name_label);
  const diskVbd = ([vm]: [string, Record<string, unknown>]) =>
    [...xen.db.records('VBD')].find(([, b]) => b.VM === vm && b.type === 'Disk' && xen.db.get('VDI', String(b.VDI)) && xen.db.get('VDI', String(b.VDI))!.SR !== target);
  const [vmRef, vm] = [...xen.db.records('VM')].find((e) => {
    const v = e[1];
    return v.power_state === 'Running' && !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain && names.filter((n) => n === v.name_label).length === 1 && diskVbd(e);
  })!;
  const name = String(vm.name_label);
  const vbd = diskVbd([vmRef, vm])!;
  const vdiRef = String(vbd[1].VDI);
  const from = String(xen.db.get('VDI', vdiRef)!.SR);
  expect(from).not.toBe(target);
  await search(page, name);
  await page.locator(`[role=treeitem][data-kind=vm][aria-label="${name}"][data-key^="${xenId}:"]`).click();
  await page.getByTestId('tab-storage').click();
  const row = page.locator(`[data-testid=vm-disk][data-id="${vdiRef}"]`);
  await row.getByTestId('vm-disk-move').click();
  await row.getByTestId('vm-disk-move-target').selectOption(`${xenId}:storage:${target}`);
  await shot(page, 'vm-disk-move');
  await row.getByTestId('vm-disk-move-go').click();
  await expectTaskSucceeds(page, 'disk_move', name);
  const moved = [...xen.db.records('VBD').values()].find((b) => b.VM === vmRef && b.userdevice === vbd[1].userdevice)!;
  expect(xen.db.get('VDI', String(moved.VDI))!.SR).toBe(target);
  expect(xen.db.get('VDI', vdiRef)).toBeUndefined();
  await expect(page.getByTestId('vm-disk').filter({ hasText: 'NetApp virtual disk storage' })).toHaveCount(1);
  await search(page, '');
});

test('Move… on a Proxmox VE VM’s disk runs move_disk: the guest’s configuration names the volume on the new storage', async () => {
  await clearTasks(page);
  const guest = [...pve.state.guests.values()].find((g) => g.name === 'web-02')!;
  expect(String(guest.config.scsi0)).toMatch(/^ceph-pool:/);
  await search(page, 'web-02');
  await page.locator(`[role=treeitem][aria-label*="web-02"][data-key^="${pveId}:"]`).first().click();
  await page.getByTestId('tab-storage').click();
  const row = page.getByTestId('vm-disk').filter({ hasText: 'scsi0' });
  await row.getByTestId('vm-disk-move').click();
  await row.getByTestId('vm-disk-move-target').selectOption(`${pveId}:storage:${guest.node}/local-lvm`);
  await row.getByTestId('vm-disk-move-go').click();
  await expectTaskSucceeds(page, 'disk_move', 'web-02');
  expect(String(guest.config.scsi0)).toMatch(/^local-lvm:vm-\d+-disk-\d+/);
  await expect(page.getByTestId('vm-disk').filter({ hasText: 'scsi0' }).getByTestId('vm-disk-storage')).toHaveText('local-lvm');
  await shot(page, 'vm-disk-moved-proxmox');
  await search(page, '');
});
