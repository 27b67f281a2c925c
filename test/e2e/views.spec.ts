// The navigation views (issue 16) across a XenServer pool, a Proxmox VE cluster and a real
// Docker engine: Objects by type grouped across the servers; tags written from Edit tags…
// where each platform keeps them (XAPI `tags`, the Proxmox guest's `tags`) and Docker's
// labels shown but fixed (the command says why); Move to folder… on a XAPI VM lands in its
// other_config "folder" on the simulator, on a Proxmox guest in the profile; the Tags and
// Folders views; New folder… kept in the pool's EMPTY_FOLDERS; the search language with completion and its error; a saved search that
// finds the tagged objects on all three platforms. Screenshots of each view, en and zh-CN.
import Dockerode from 'dockerode';
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { addServer, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromContextMenu, treePaths } from './migration-driver';

test.describe.configure({ mode: 'serial' });

const unavailable = dockerdUnavailableReason();
test.skip(requirePeer(unavailable), `no real Docker engine here: ${unavailable}`);

const XEN = 'Lab pool';
const PVE = 'Lab cluster';
const ENGINE = 'Docker engine';
const CONTAINER = 'views-web';

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let pve: ProxmoxSimulator;
let dockerd: DockerdPeer;
let ids: Record<string, string>;

const row = (serverId: string, name: string) => page.locator(`[role=treeitem][aria-label="${name}"][data-key^="${serverId}:"]`).first();
const groupRow = (label: string) => page.locator(`[role=treeitem][data-kind=group][aria-label="${label}"]`);
const xapiVm = () => [...xen.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain)!;
const pveGuest = () => [...pve.state.guests.values()].find((g) => g.type === 'qemu' && !g.template)!;

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

async function view(name: 'infrastructure' | 'objects' | 'tags' | 'folders' | 'saved'): Promise<void> {
  await page.getByTestId('view-switcher').selectOption(name);
  await search(page, '');
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  [stack, xen, pve, dockerd] = await Promise.all([startStack(), startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0 }, poolName: XEN }), startProxmoxSimulator(), startDockerd()]);
  const docker: Dockerode = dockerd.docker;
  const image = await ensureBusyboxImage(docker);
  // a label without a value is a plain tag; Compose's own labels are not tags
  const container = await docker.createContainer({ name: CONTAINER, Image: image, Cmd: ['sleep', '3600'], Labels: { prod: '', 'com.docker.compose.project': 'shop' } });
  await container.start();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'root', password: 'password', fingerprint256: pve.fingerprint256 });
  await addServer(page, { type: 'docker', name: ENGINE, socketPath: dockerd.socketPath });
  ids = { xen: await serverIdOf(stack, XEN), pve: await serverIdOf(stack, PVE), docker: await serverIdOf(stack, ENGINE) };
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xen?.stop(), pve?.stop(), dockerd?.stop()]);
});

test('Objects view: every object grouped by type across the three servers, and remembered after a reload', async () => {
  await view('objects');
  const vmName = String(xapiVm()[1].name_label);
  // the groups, read over the whole (virtualized) tree: storage and networks push Hosts out of the window
  await expect.poll(async () => await treePaths(page), { timeout: 30_000 }).toEqual(expect.arrayContaining(['VMs', 'Hosts', 'Containers']));
  await expect.poll(async () => (await treePaths(page)).filter((p) => p.startsWith('VMs/')), { timeout: 30_000 }).toEqual(expect.arrayContaining([`VMs/${vmName}`, `VMs/${pveGuest().name}`]));
  expect((await treePaths(page)).filter((p) => p.startsWith('Containers/'))).toContain(`Containers/${CONTAINER}`);
  // the same node ids as the Infrastructure tree: selecting a VM shows its General tab
  await row(ids.xen, vmName).click();
  await expect(page.getByTestId('details-title')).toHaveText(vmName);
  await shot(page, 'views-objects');
  await page.reload();
  await page.getByTestId('app').and(page.locator('[data-loaded="true"]')).waitFor();
  await expect(page.getByTestId('view-switcher')).toHaveValue('objects');
  await looks('zh-CN', 'dark');
  await expect(groupRow('虚拟机')).toBeVisible();
  await shot(page, 'views-objects-zh-dark');
  await looks('en', 'light');
});

test('Edit tags… writes XAPI tags and Proxmox tags on the servers; Docker labels are fixed and the command says so', async () => {
  await view('infrastructure');
  const [vmRef, vm] = xapiVm();
  await search(page, String(vm.name_label));
  await fromContextMenu(page, row(ids.xen, String(vm.name_label)), 'edit-tags');
  await page.getByTestId('edit-tags-add').fill('prod, web');
  await expect(page.getByTestId('edit-tags-where')).toContainText('XenServer tags');
  await page.getByTestId('edit-tags-save').click();
  await expect(page.getByTestId('edit-tags-dialog')).toBeHidden();
  await expect.poll(() => xen.db.get('VM', vmRef)!.tags, { timeout: 15_000 }).toEqual(['prod', 'web']);
  await expect(page.getByTestId('general-props').locator('[data-prop=tags]')).toHaveText('prod, web');

  const guest = pveGuest();
  await search(page, guest.name);
  await fromContextMenu(page, row(ids.pve, guest.name), 'edit-tags');
  await page.getByTestId('edit-tags-add').fill('prod');
  await page.getByTestId('edit-tags-save').click();
  await expect(page.getByTestId('edit-tags-dialog')).toBeHidden();
  await expect.poll(() => pve.state.guests.get(guest.vmid)!.tags, { timeout: 15_000 }).toBe('prod');

  await search(page, CONTAINER);
  await row(ids.docker, CONTAINER).click({ button: 'right' });
  const item = page.getByTestId('menu-edit-tags');
  await expect(item).toBeDisabled();
  await expect(item).toHaveAttribute('title', /labels are its tags.*fixes them/);
  await page.keyboard.press('Escape');
});

test('Tags view: each tag with its objects from all three platforms', async () => {
  await view('tags');
  const vmName = String(xapiVm()[1].name_label);
  await expect
    .poll(async () => (await treePaths(page)).filter((p) => p.startsWith('prod/')).sort(), { timeout: 30_000 })
    .toEqual([`prod/${vmName}`, `prod/${pveGuest().name}`, `prod/${CONTAINER}`].sort());
  await expect(groupRow('web')).toBeVisible();
  // Compose's bookkeeping labels are not tags
  await expect(page.locator('[role=treeitem][data-kind=group][aria-label^="com.docker"]')).toHaveCount(0);
  await shot(page, 'views-tags');
});

test('Move to folder…: a XAPI VM’s folder is its other_config "folder" on the simulator; a Proxmox guest’s is the profile’s', async () => {
  await view('infrastructure');
  const [vmRef, vm] = xapiVm();
  await search(page, String(vm.name_label));
  await fromContextMenu(page, row(ids.xen, String(vm.name_label)), 'move-to-folder');
  await page.getByTestId('move-folder-path').fill('Production/Web');
  await page.getByTestId('move-folder-save').click();
  await expect(page.getByTestId('move-folder-dialog')).toBeHidden();
  await expect.poll(() => (xen.db.get('VM', vmRef)!.other_config as Record<string, string>).folder, { timeout: 15_000 }).toBe('/Production/Web');

  const guest = pveGuest();
  await search(page, guest.name);
  await fromContextMenu(page, row(ids.pve, guest.name), 'move-to-folder');
  await page.getByTestId('move-folder-path').fill('/Production');
  await page.getByTestId('move-folder-save').click();
  await expect(page.getByTestId('move-folder-dialog')).toBeHidden();
  await expect.poll(async () => (await stack.core.invoke('labels:own')).folders).toMatchObject({ [`${ids.pve}:vm:qemu/${guest.vmid}`]: '/Production' });

  await view('folders');
  await expect
    .poll(async () => (await treePaths(page)).sort(), { timeout: 30_000 })
    .toEqual(['Production', `Production/${guest.name}`, 'Production/Web', `Production/Web/${vm.name_label}`].sort());
  await shot(page, 'views-folders');
  await looks('zh-CN', 'light');
  await shot(page, 'views-folders-zh');
  await looks('en', 'light');
});

test('New folder…: an empty folder kept in the XAPI pool’s other_config EMPTY_FOLDERS as XenCenter keeps it, and one XenCenter made', async () => {
  await view('folders');
  await page.getByTestId('new-folder').click();
  await expect(page.getByTestId('new-folder-dialog')).toBeVisible();
  await page.getByTestId('new-folder-path').fill('/Spare/Racks');
  await expect(page.getByTestId('new-folder-where')).toHaveValue(ids.xen!);
  await shot(page, 'views-new-folder');
  await page.getByTestId('new-folder-save').click();
  await expect(page.getByTestId('new-folder-dialog')).toBeHidden();
  const [poolRef] = [...xen.db.records('pool')][0]!;
  const emptyFolders = () => (xen.db.get('pool', poolRef)!.other_config as Record<string, string>).EMPTY_FOLDERS;
  await expect.poll(emptyFolders, { timeout: 15_000 }).toBe('/Spare/Racks');
  await expect.poll(async () => (await treePaths(page)).filter((p) => p.startsWith('Spare')), { timeout: 30_000 }).toEqual(['Spare', 'Spare/Racks']);
  // XenCenter's own CreateFolderAction writes the list: Polyvisor's tree follows the pool's event
  xen.db.update('pool', poolRef, { other_config: { ...(xen.db.get('pool', poolRef)!.other_config as Record<string, string>), EMPTY_FOLDERS: '/Spare/Racks;/From XenCenter' } });
  await expect.poll(async () => (await treePaths(page)).filter((p) => p.startsWith('Spare') || p.startsWith('From')), { timeout: 30_000 }).toEqual(['From XenCenter', 'Spare', 'Spare/Racks']);
  await shot(page, 'views-folders-empty');
  await looks('zh-CN', 'dark');
  await shot(page, 'views-folders-empty-zh-dark');
  await looks('en', 'light');
});

test('the search language: completion of fields and values, the position of a mistake, and a saved search across the three platforms', async () => {
  await view('infrastructure');
  const input = page.getByTestId('tree-search');
  await input.fill('ta');
  await expect(page.getByTestId('search-completions')).toContainText('tag:');
  await input.press('Tab');
  await expect(input).toHaveValue('tag:');
  await input.pressSequentially('pr');
  await expect(page.getByTestId('search-completions')).toContainText('prod');
  await input.fill('tag:prod (name:');
  await expect(page.getByTestId('search-error')).toHaveText('“name” needs a value right after it (at 16).');
  await shot(page, 'views-search-error');

  await input.fill('tag:prod');
  await page.getByTestId('save-search').click();
  await page.getByTestId('save-search-name').fill('Prod everywhere');
  await page.getByTestId('save-search-save').click();
  await expect(page.getByTestId('save-search-dialog')).toBeHidden();
  await view('saved');
  const vmName = String(xapiVm()[1].name_label);
  await expect
    .poll(async () => (await treePaths(page)).sort(), { timeout: 30_000 })
    .toEqual(['Prod everywhere', `Prod everywhere/${vmName}`, `Prod everywhere/${pveGuest().name}`, `Prod everywhere/${CONTAINER}`].sort());
  await shot(page, 'views-saved');
  await looks('zh-CN', 'dark');
  await shot(page, 'views-saved-zh-dark');
  await looks('en', 'light');
  expect((await stack.core.invoke('searches:list')).map((s) => [s.name, s.query])).toEqual([['Prod everywhere', 'tag:prod']]);
});
