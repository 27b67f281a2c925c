// Issue 13 on vCenter (vcsim, VPX model: one cluster of three hosts): a running VM
// dragged onto another host of the cluster moves there (RelocateVM_Task — vcsim 0.24
// has no MigrateVM_Task), a host another user put in Maintenance Mode refuses the drop
// with the reason, and Maintenance Mode on a host running 5 VMs moves them all (one
// child task each) before the host enters it; exit brings it back. Every move is read
// back through an independent SOAP client (runtime.host, runtime.inMaintenanceMode).
import { expect, test, type Page } from '@playwright/test';
import { buildVcsim, startVcsim, vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { requirePeer } from '../peers/require-peer';
import { RawSoap } from '../integration/vsphere/raw-soap';
import { rawHosts, rawRelocate, rawVms, setMaintenance, type RawHost } from '../integration/vsphere/placement';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf, taskRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { childRows, dragOver, expectUnder, maintenance, release } from './migration-driver';

test.describe.configure({ mode: 'serial' });

const vcsimMissing = vcsimUnavailableReason();
test.skip(requirePeer(vcsimMissing), `vcsim cannot be built here: ${vcsimMissing}`);

const VC = 'vCenter';

let stack: Stack;
let page: Page;
let vc: Vcsim;
let raw: RawSoap;
let vcId: string;
let cluster: RawHost[];

const runningOn = async (host: RawHost) => (await rawVms(raw)).filter((v) => v.host === host.ref && v.powerState === 'poweredOn');
const hostRow = (host: RawHost) => nodeRow(page, vcId, host.name);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000); // a cold vcsim build on a busy 2-core machine (cached afterwards)
  await buildVcsim();
  [stack, vc] = await Promise.all([
    startStack(),
    startVcsim({ model: 'vpx', datacenters: 1, clusters: 1, hosts: 3, standaloneHosts: 0, vms: 5, username: 'administrator', password: 'vc-secret' }),
  ]);
  raw = new RawSoap(vc);
  await raw.login();
  cluster = (await rawHosts(raw)).filter((h) => h.parent.type === 'ClusterComputeResource');
  expect(cluster).toHaveLength(3);
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

test('a running VM dragged onto another host of the cluster moves there', async () => {
  const vm = (await rawVms(raw)).find((v) => v.powerState === 'poweredOn')!;
  const from = cluster.find((h) => h.ref === vm.host)!;
  const to = cluster.find((h) => h !== from)!;
  await clearTasks(page);
  const hint = await dragOver(page, nodeRow(page, vcId, vm.name), hostRow(to));
  await expect(hint).toHaveAttribute('data-testid', 'drop-ok');
  await release(page);
  await expectTaskSucceeds(page, 'migrate', vm.name);
  await expectUnder(page, to.name, vm.name);
  expect((await rawVms(raw)).find((v) => v.ref === vm.ref)!.host).toBe(to.ref);
});

test('a host in Maintenance Mode shows why while hovering and refuses the drop', async () => {
  const vm = (await rawVms(raw)).find((v) => v.powerState === 'poweredOn')!;
  const busy = cluster.find((h) => h.ref !== vm.host)!;
  await setMaintenance(raw, busy.ref, true);
  await expect(hostRow(busy)).toHaveAttribute('data-maintenance', 'true');
  await clearTasks(page);
  const hint = await dragOver(page, nodeRow(page, vcId, vm.name), hostRow(busy));
  await expect(hint).toHaveAttribute('data-testid', 'drop-reason');
  await expect(hint).toContainText(/Maintenance Mode/i);
  await release(page);
  // the refused drop started nothing: the next, accepted one is the only move, and vcsim has the VM there
  const free = cluster.find((h) => h.ref !== vm.host && h !== busy)!;
  await dragOver(page, nodeRow(page, vcId, vm.name), hostRow(free));
  await release(page);
  await expectTaskSucceeds(page, 'migrate', vm.name);
  await expect(taskRow(page, 'migrate')).toHaveCount(1);
  expect((await rawVms(raw)).find((v) => v.ref === vm.ref)!.host).toBe(free.ref);
  await setMaintenance(raw, busy.ref, false);
  await expect(hostRow(busy)).not.toHaveAttribute('data-maintenance', 'true');
});

test('Maintenance Mode on a host running 5 VMs moves them all (child tasks), marks the host; exit brings it back', async () => {
  test.setTimeout(180_000);
  const [host] = cluster;
  // every running VM of the cluster onto one host, as another user would
  for (const vm of (await rawVms(raw)).filter((v) => v.host !== host.ref && v.powerState === 'poweredOn')) await rawRelocate(raw, vm.ref, host.ref);
  const vms = await runningOn(host);
  expect(vms).toHaveLength(5);
  for (const vm of vms) await expectUnder(page, host.name, vm.name);

  await clearTasks(page);
  await maintenance(page, hostRow(host), 'enter');
  const children = await childRows(page, 'maintenance_enter', host.name);
  await expect(children).toHaveCount(5, { timeout: 60_000 });
  await expectTaskSucceeds(page, 'maintenance_enter', host.name);
  await expect(children.and(page.locator('[data-status=success]'))).toHaveCount(5);
  await expect(hostRow(host)).toHaveAttribute('data-maintenance', 'true');
  await expect(hostRow(host).getByTestId('tree-maintenance')).toBeVisible();
  // vcsim: the host is in Maintenance Mode and runs none of them
  expect((await rawHosts(raw)).find((h) => h.ref === host.ref)!.inMaintenance).toBe(true);
  expect(await runningOn(host)).toEqual([]);
  const now = await rawVms(raw);
  for (const vm of vms) expect(now.find((v) => v.ref === vm.ref)!.host).not.toBe(host.ref);

  await hostRow(host).click();
  await expect(page.getByTestId('general-props').locator('[data-prop=maintenance]')).toContainText('In maintenance');
  await clearTasks(page);
  await maintenance(page, hostRow(host), 'exit');
  await expectTaskSucceeds(page, 'maintenance_exit', host.name);
  await expect(hostRow(host)).not.toHaveAttribute('data-maintenance', 'true');
  expect((await rawHosts(raw)).find((h) => h.ref === host.ref)!.inMaintenance).toBe(false);
});

test('two VMs spread over the cluster go where the dialog said, as vcsim reads back', async () => {
  const running = (await rawVms(raw)).filter((v) => v.powerState === 'poweredOn').slice(0, 2);
  await clearTasks(page);
  await nodeRow(page, vcId, running[0].name).click();
  await nodeRow(page, vcId, running[1].name).click({ modifiers: ['Control'] });
  await page.getByTestId('tb-migrate').click();
  await page.getByTestId('migrate-mode-spread').check();
  const placements = page.getByTestId('migrate-placement');
  await expect(placements).toHaveCount(2);
  const planned = new Map<string, string>();
  for (const row of await placements.all()) planned.set((await row.getAttribute('data-vm'))!, (await row.getAttribute('data-host'))!);
  for (const vm of running) expect(planned.get(vm.name), vm.name).not.toBe(cluster.find((h) => h.ref === vm.host)!.name);
  await shot(page, 'migrate-spread');
  await page.getByTestId('migrate-ok').click();
  for (const vm of running) await expectTaskSucceeds(page, 'migrate', vm.name);
  const now = await rawVms(raw);
  for (const vm of running) expect(cluster.find((h) => h.ref === now.find((v) => v.ref === vm.ref)!.host)!.name).toBe(planned.get(vm.name));
});
