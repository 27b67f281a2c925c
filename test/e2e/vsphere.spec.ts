// An ESXi host (govmomi's vcsim, ESX model) beside a XenServer pool and a Proxmox VE
// cluster in one tree, all added through the UI. Three nested snapshots of a VM
// from the Snapshots tab, then a revert to the middle one: the "you are here"
// marker moves under it, in the UI and in vcsim's own answer (an independent
// SOAP client reads `snapshot.currentSnapshot`).
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildVcsim, startVcsim, vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { requirePeer } from '../peers/require-peer';
import { RawSoap, text } from '../integration/vsphere/raw-soap';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import {
  addServer,
  clearTasks,
  expectTaskSucceeds,
  nodeRow,
  openSnapshots,
  revertTo,
  search,
  serverIdOf,
  snapshotOutline,
  snapshotRow,
  takeSnapshot,
  taskRow,
} from './app-driver';
import { openApp, sharedFixtures, shot, startStack, type Stack } from './fixtures';
import { expectedPvePaths } from './pve-expected';
import { readTree, rowPaths } from './tree-reader';
import { expectedPaths } from './xapi-expected';

test.describe.configure({ mode: 'serial' });

const vcsimMissing = vcsimUnavailableReason();
test.skip(requirePeer(vcsimMissing), `vcsim cannot be built here: ${vcsimMissing}`);

const XEN = 'Xen pool';
const PVE = 'PVE cluster';
const ESX = 'ESXi host';

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let pve: ProxmoxSimulator;
let esx: Vcsim;
let raw: RawSoap;
let esxId: string;
let vmName: string;

interface RawSnapshot {
  name: string;
  parent: string;
  ref: string;
}

/** The VM's snapshot tree and current snapshot as vcsim itself reports them. */
async function vcsimSnapshots(name: string): Promise<{ tree: RawSnapshot[]; current: string | null }> {
  const vm = (await raw.objects('VirtualMachine', ['name', 'snapshot'])).find((v) => text(v.props.name) === name);
  if (!vm) throw new Error(`vcsim has no VM named ${name}`);
  const info = vm.props.snapshot as Record<string, unknown> | undefined;
  const tree: RawSnapshot[] = [];
  const walk = (list: unknown, parent: string) => {
    for (const item of list === undefined ? [] : Array.isArray(list) ? list : [list]) {
      const node = item as Record<string, unknown>;
      tree.push({ name: text(node.name), parent, ref: text(node.snapshot) });
      walk(node.childSnapshotList, text(node.name));
    }
  };
  walk(info?.rootSnapshotList, '');
  const currentRef = info ? text(info.currentSnapshot) : '';
  return { tree, current: tree.find((s) => s.ref === currentRef)?.name ?? null };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000); // a cold vcsim build on a busy 2-core machine (cached afterwards)
  await buildVcsim();
  [stack, xen, pve, esx] = await Promise.all([
    startStack(),
    startXapiSimulator({ db: path.join(sharedFixtures, 'xapi-db', 'state4.xml') }),
    startProxmoxSimulator(),
    startVcsim({ model: 'esx', username: 'administrator', password: 'esx-secret' }),
  ]);
  raw = new RawSoap(esx);
  await raw.login();
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await raw?.logout().catch(() => undefined);
  await Promise.allSettled([xen?.stop(), pve?.stop(), esx?.stop()]);
});

test('an ESXi host, a XenServer pool and a Proxmox VE cluster in one tree', async () => {
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
  await addServer(page, { type: 'vsphere', name: ESX, host: esx.host, port: esx.port, user: 'administrator', password: 'esx-secret', fingerprint256: esx.fingerprint256 });
  esxId = await serverIdOf(stack, ESX);

  // every VM vcsim has appears under the ESXi server, the other two servers are complete
  const vms = (await raw.objects('VirtualMachine', ['name', 'runtime.powerState'])).map((v) => ({
    name: text(v.props.name),
    power: text(v.props['runtime.powerState']),
  }));
  expect(vms.length).toBe(esx.counts.vm);
  await expect
    .poll(async () => {
      const paths = rowPaths(await readTree(page));
      return {
        others: paths.filter((p) => !p.startsWith(`${ESX}`)).sort(),
        esxVms: paths.filter((p) => p.startsWith(`${ESX}/`) && vms.some((v) => p.endsWith(`/${v.name}`))).map((p) => p.split('/').pop()).sort(),
      };
    })
    .toEqual({ others: [...expectedPaths(XEN, xen), ...expectedPvePaths(PVE, pve)].sort(), esxVms: vms.map((v) => v.name).sort() });
  const running = vms.find((v) => v.power === 'poweredOn');
  expect(running).toBeDefined();
  vmName = running!.name;
  await shot(page, 'vsphere-tree');
  // the tree is virtualized and three servers' rows (storage too) are taller than the pane: find the VM by name
  await search(page, vmName);
  await expect(nodeRow(page, esxId, vmName)).toHaveAttribute('data-kind', 'vm');
  await expect(nodeRow(page, esxId, vmName)).toHaveAttribute('data-state', 'running');
  const host = page.locator(`[role=treeitem][data-kind=host][data-key^="${esxId}:"]`);
  await expect(host).toHaveCount(esx.counts.host);

  await nodeRow(page, esxId, vmName).click();
  await page.getByTestId('tab-general').click();
  await expect(page.getByTestId('general-props').locator('[data-prop=state]')).toHaveText('Running');
  await shot(page, 'vsphere-general');
});

test('three nested snapshots, then a revert to the middle one moves "you are here"', async () => {
  await openSnapshots(page, esxId, vmName);
  await expect(page.getByTestId('snap-empty')).toBeVisible();

  await clearTasks(page);
  await takeSnapshot(page, { name: 'level 1', description: 'with memory', memory: true });
  await expectTaskSucceeds(page, 'snapshot_create', vmName);
  await expect.poll(() => snapshotOutline(page)).toEqual(['level 1', '  @']);
  await expect(snapshotRow(page, 'level 1')).toContainText('Disk and memory');

  await clearTasks(page);
  await takeSnapshot(page, { name: 'level 2' });
  await expectTaskSucceeds(page, 'snapshot_create', vmName);
  await expect.poll(() => snapshotOutline(page)).toEqual(['level 1', '  level 2', '    @']);
  // (no "Disk only" check: vcsim 0.24 records the VM's power state in every snapshot, memory or not)

  await clearTasks(page);
  await takeSnapshot(page, { name: 'level 3' });
  await expectTaskSucceeds(page, 'snapshot_create', vmName);
  await expect.poll(() => snapshotOutline(page)).toEqual(['level 1', '  level 2', '    level 3', '      @']);
  await shot(page, 'vsphere-snapshots');

  const taken = await vcsimSnapshots(vmName);
  expect(taken.tree.map((s) => `${s.name}<${s.parent}`)).toEqual(['level 1<', 'level 2<level 1', 'level 3<level 2']);
  expect(taken.current).toBe('level 3');

  await clearTasks(page);
  const message = await revertTo(page, 'level 2');
  expect(message).toContain(vmName);
  await expect(taskRow(page, 'snapshot_revert')).toHaveCount(1);
  await expectTaskSucceeds(page, 'snapshot_revert', 'level 2');
  // "you are here" is now a child of level 2, beside level 3
  await expect.poll(() => snapshotOutline(page)).toEqual(['level 1', '  level 2', '    level 3', '    @']);
  await expect(page.locator('[data-testid=snapshot-row][aria-label="level 3"] + [data-testid=snapshot-here]')).toBeVisible();
  expect((await vcsimSnapshots(vmName)).current).toBe('level 2');
  expect((await vcsimSnapshots(vmName)).tree).toHaveLength(3);
  await shot(page, 'vsphere-reverted');

  // vSphere removes a whole snapshot tree in one task (RemoveAllSnapshots)
  await clearTasks(page);
  await page.getByTestId('snap-delete-all').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('3');
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'snapshot_delete', vmName);
  await expect(page.getByTestId('snap-empty')).toBeVisible();
  await expect(page.getByTestId('snap-delete-all')).toHaveCount(0);
  expect((await vcsimSnapshots(vmName)).tree).toHaveLength(0);
});
