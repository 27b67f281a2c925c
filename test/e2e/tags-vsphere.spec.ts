// vSphere tags (issue 16) on vCenter (vcsim VPX): Edit tags… on a VM says where they live
// (the polyvisor.tags custom attribute), writes them there — read back through an independent
// SOAP session — and the General tab shows them; a datastore's go there too. On a standalone
// ESXi host (vcsim ESX: no customFieldsManager) the dialog says they stay in the Polyvisor
// profile. Screenshots en, and zh-CN in the dark theme.
import { expect, test, type Page } from '@playwright/test';
import { buildVcsim, startVcsim, vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { requirePeer } from '../peers/require-peer';
import { RawSoap, text } from '../integration/vsphere/raw-soap';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromContextMenu } from './migration-driver';

test.describe.configure({ mode: 'serial' });

const vcsimMissing = vcsimUnavailableReason();
test.skip(requirePeer(vcsimMissing), `vcsim cannot be built here: ${vcsimMissing}`);

const VC = 'vCenter tags';
const ESX = 'ESXi tags';
type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

let stack: Stack;
let page: Page;
let vc: Vcsim;
let raw: RawSoap;
let vcId: string;
let esx: Vcsim;
let esxId: string;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000); // a cold vcsim build on a busy 2-core machine (cached afterwards)
  await buildVcsim();
  [stack, vc, esx] = await Promise.all([
    startStack(),
    startVcsim({ model: 'vpx', clusters: 1, hosts: 1, vms: 1, username: 'administrator', password: 'vc-secret' }),
    startVcsim({ model: 'esx', vms: 1, username: 'root', password: 'esx-secret' }),
  ]);
  raw = new RawSoap(vc);
  await raw.login();
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'vsphere', name: VC, host: vc.host, port: vc.port, user: 'administrator', password: 'vc-secret', fingerprint256: vc.fingerprint256 });
  vcId = await serverIdOf(stack, VC);
  await addServer(page, { type: 'vsphere', name: ESX, host: esx.host, port: esx.port, user: 'root', password: 'esx-secret', fingerprint256: esx.fingerprint256 });
  esxId = await serverIdOf(stack, ESX);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await raw?.logout().catch(() => undefined);
  await Promise.all([vc?.stop(), esx?.stop()]);
});

/** Finds the object by search, selects it and opens Edit tags… from its context menu. */
async function openEditTags(serverId: string, name: string) {
  await search(page, name);
  const row = nodeRow(page, serverId, name);
  await row.click();
  await fromContextMenu(page, row, 'edit-tags');
  return row;
}

test('Edit tags… on a vCenter VM writes the polyvisor.tags custom attribute', async () => {
  const [vm] = await raw.objects('VirtualMachine', ['name']);
  const row = await openEditTags(vcId, text(vm.props.name));
  await page.getByTestId('edit-tags-add').fill('prod, web');
  await expect(page.getByTestId('edit-tags-where')).toContainText('polyvisor.tags');
  await shot(page, 'vsphere-edit-tags');
  await page.getByTestId('edit-tags-save').click();
  await expect(page.getByTestId('edit-tags-dialog')).toBeHidden();
  await expect
    .poll(async () => {
      const found = (await raw.objects('VirtualMachine', ['customValue'])).find((o) => o.ref.value === vm.ref.value);
      return list((found?.props.customValue as Node | undefined)?.CustomFieldValue as Node | Node[] | undefined).map((v) => text(v.value)).at(-1);
    }, { timeout: 15_000 })
    .toBe('prod,web');
  await expect(page.getByTestId('general-props').locator('[data-prop=tags]')).toHaveText('prod, web');
  await stack.core.invoke('settings:set', { language: 'zh-CN', theme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await fromContextMenu(page, row, 'edit-tags');
  await expect(page.getByTestId('edit-tags-where')).toContainText('自定义属性');
  await shot(page, 'vsphere-edit-tags-zh-dark');
  await page.keyboard.press('Escape');
  await stack.core.invoke('settings:set', { language: 'en', theme: 'light' });
});

/** The last polyvisor.tags value on an object, read through the independent SOAP session. */
async function attributeOf(type: string, ref: string): Promise<string | undefined> {
  const found = (await raw.objects(type, ['customValue'])).find((o) => o.ref.value === ref);
  return list((found?.props.customValue as Node | undefined)?.CustomFieldValue as Node | Node[] | undefined).map((v) => text(v.value)).at(-1);
}

test('Edit tags… on a vCenter datastore writes the same custom attribute', async () => {
  const [store] = await raw.objects('Datastore', ['name']);
  await openEditTags(vcId, text(store.props.name));
  await expect(page.getByTestId('edit-tags-where')).toContainText('polyvisor.tags');
  await page.getByTestId('edit-tags-add').fill('gold');
  await page.getByTestId('edit-tags-save').click();
  await expect(page.getByTestId('edit-tags-dialog')).toBeHidden();
  await expect.poll(() => attributeOf('Datastore', store.ref.value), { timeout: 15_000 }).toBe('gold');
});

test('on a standalone ESXi host the dialog says the tags stay in the Polyvisor profile', async () => {
  const esxRaw = new RawSoap(esx);
  const content = (await esxRaw.call('RetrieveServiceContent', { type: 'ServiceInstance', value: 'ServiceInstance' }, '')).returnval as Node;
  expect(content.customFieldsManager).toBeUndefined();
  await esxRaw.login('root', 'esx-secret');
  const [vm] = await esxRaw.objects('VirtualMachine', ['name']);
  await esxRaw.logout();
  const row = await openEditTags(esxId, text(vm.props.name));
  await expect(page.getByTestId('edit-tags-where')).toHaveText('Saved in your Polyvisor profile: a standalone ESXi host has no custom attributes (they need vCenter).');
  await shot(page, 'vsphere-esxi-edit-tags');
  await page.getByTestId('edit-tags-add').fill('lab');
  await page.getByTestId('edit-tags-save').click();
  await expect(page.getByTestId('edit-tags-dialog')).toBeHidden();
  await expect.poll(async () => (await stack.core.invoke('labels:own')).tags[`${esxId}:vm:${vm.ref.value}`], { timeout: 15_000 }).toEqual(['lab']);
  await stack.core.invoke('settings:set', { language: 'zh-CN', theme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await fromContextMenu(page, row, 'edit-tags');
  await expect(page.getByTestId('edit-tags-where')).toContainText('独立的 ESXi 主机没有自定义属性');
  await shot(page, 'vsphere-esxi-edit-tags-zh-dark');
  await page.keyboard.press('Escape');
  await stack.core.invoke('settings:set', { language: 'en', theme: 'light' });
});
