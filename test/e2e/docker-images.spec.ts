// Issue 14 on a real Docker engine (dockerd on a private socket) with a real registry:
// images and volumes as nodes under the engine (a screenshot in English and Chinese),
// Pull image… with its progress in the tasks panel, Remove (refused with the reason
// while a container uses it), Remove unused volumes…, and a compose project's
// Stop/Start/Remove. Every effect is read back with the engine's own CLI.
import { expect, test, type Page } from '@playwright/test';
import { cliInspect, cliLines, cliVolumes, dockerCliUnavailableReason } from '../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { pushRandomImage, registryUnavailableReason, startRegistry, type RegistryPeer } from '../peers/registry';
import { requirePeer } from '../peers/require-peer';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf, taskRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromMenu } from './guests-driver';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason() ?? registryUnavailableReason();
test.skip(requirePeer(unavailable), `no real Docker engine or registry here: ${unavailable}`);

const ENGINE = 'Docker engine';
const BUSYBOX = 'local/busybox:latest';
const POLITE = ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"];

let stack: Stack;
let page: Page;
let peer: DockerdPeer;
let registry: RegistryPeer;
let engineId: string;
let remote: string;

const images = () => cliLines(peer.socketPath, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
const volumes = () => cliVolumes(peer.socketPath);
/** The project's own task row (its containers' child tasks name them, not the project). */
const projectTask = (action: string) => taskRow(page, action).filter({ has: page.getByTestId('task-target').getByText('shop', { exact: true }) });
const running = async (name: string) => (await cliInspect<{ State: { Running: boolean } }>(peer.socketPath, name, 'container')).State.Running;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, peer, registry] = await Promise.all([startStack(), startDockerd(), startRegistry()]);
  await ensureBusyboxImage(peer.docker);
  // an image only the registry has: 24 MiB of random bytes, so the pull takes a moment
  remote = await pushRandomImage(peer, registry, 'pv/payload', 24 << 20, BUSYBOX);
  await peer.docker.createVolume({ Name: 'shop-data' });
  await peer.docker.createVolume({ Name: 'leftover' });
  for (const service of ['web', 'db']) {
    const c = await peer.docker.createContainer({
      name: `shop-${service}-1`,
      Image: BUSYBOX,
      Cmd: POLITE,
      Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': service },
      HostConfig: { NetworkMode: 'none', ...(service === 'db' ? { Binds: ['shop-data:/data'] } : {}) },
    });
    await c.start();
  }
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'docker', name: ENGINE, socketPath: peer.socketPath });
  engineId = await serverIdOf(stack, ENGINE);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([peer?.stop(), registry?.stop()]);
});

test('images and volumes are nodes under the engine, after the project, with their properties', async () => {
  const image = nodeRow(page, engineId, BUSYBOX);
  await expect(image).toHaveAttribute('data-kind', 'image');
  await expect(nodeRow(page, engineId, 'leftover')).toHaveAttribute('data-kind', 'volume');
  const kinds = await page.locator(`[role=treeitem][data-key^="${engineId}:"][aria-level="3"]`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
  expect(kinds.indexOf('project')).toBeLessThan(kinds.indexOf('image'));
  expect(kinds.indexOf('image')).toBeLessThan(kinds.indexOf('volume'));
  await image.click();
  await page.getByTestId('tab-general').click();
  const props = page.getByTestId('general-props');
  await expect(props.locator('[data-prop=usedBy]')).toContainText('shop-web-1');
  await expect(props.locator('[data-prop=size]')).toContainText(/\d.* [KM]iB/);
  await shot(page, 'docker-images-tree');
  await setLanguage(stack, page, 'zh-CN');
  await expect(props).toContainText('使用者');
  await shot(page, 'docker-images-tree-zh');
  await setLanguage(stack, page, 'en');
});

test('Pull image… checks the reference, shows the progress, and the engine has the image after', async () => {
  await clearTasks(page);
  await fromMenu(page, page.locator(`[role=treeitem][data-key="${engineId}:host:engine"], [role=treeitem][data-kind=host][data-key^="${engineId}:"]`).first(), 'pull-image');
  const dialog = page.getByTestId('pull-image-dialog');
  await page.getByTestId('pull-image-reference').fill('Not a reference');
  await page.getByTestId('pull-image-ok').click();
  await expect(page.getByTestId('pull-image-invalid')).toBeVisible();
  await expect(dialog).toBeVisible();
  // every percentage the progress bar of the pull shows, as it changes
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { pullProgress: string[] }).pullProgress = seen;
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll('[data-testid=task-row][data-action=image_pull] [data-testid=task-progress]')) seen.push(bar.getAttribute('aria-valuenow') ?? '');
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  await page.getByTestId('pull-image-reference').fill(remote);
  await page.getByTestId('pull-image-ok').click();
  await expect(dialog).toBeHidden();
  await expectTaskSucceeds(page, 'image_pull', remote);
  const seen = await page.evaluate(() => (window as unknown as { pullProgress: string[] }).pullProgress.map(Number));
  expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
  expect(await images()).toContain(remote);
  await expect(nodeRow(page, engineId, remote)).toHaveAttribute('data-kind', 'image');
});

test('Remove is refused with the reason while a container uses the image; an unused image goes', async () => {
  await nodeRow(page, engineId, BUSYBOX).click({ button: 'right' });
  const item = page.getByTestId('menu-remove-image');
  await expect(item).toBeDisabled();
  await expect(item).toHaveAttribute('title', /is used by shop-db-1, shop-web-1/);
  await page.keyboard.press('Escape');

  await clearTasks(page);
  await fromMenu(page, nodeRow(page, engineId, remote), 'remove-image');
  await expect(page.getByTestId('confirm-targets')).toContainText(remote);
  await page.getByTestId('confirm-ok').click();
  await expectTaskSucceeds(page, 'destroy', remote);
  await expect(nodeRow(page, engineId, remote)).toHaveCount(0);
  expect(await images()).not.toContain(remote);
  expect(await images()).toContain(BUSYBOX);
});

test('Remove unused volumes… asks, then only the volume no container uses is gone', async () => {
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, engineId, 'leftover'), 'prune-volumes');
  await expect(page.getByTestId('confirm-dialog')).toContainText(ENGINE);
  await page.getByTestId('confirm-ok').click();
  await expect(taskRow(page, 'volume_prune')).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
  await expect(nodeRow(page, engineId, 'leftover')).toHaveCount(0);
  expect(await volumes()).not.toContain('leftover');
  expect(await volumes()).toContain('shop-data');
});

test('a compose project stops and starts in the engine’s words, then Remove takes its containers', async () => {
  const project = nodeRow(page, engineId, 'shop');
  await clearTasks(page);
  await project.click({ button: 'right' });
  await expect(page.getByTestId('menu-shutdown')).toHaveText(/Stop/);
  await page.getByTestId('menu-shutdown').click();
  await page.getByTestId('confirm-ok').click();
  await expect(projectTask('shutdown')).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
  await expect.poll(async () => [await running('shop-web-1'), await running('shop-db-1')], { timeout: 30_000 }).toEqual([false, false]);

  await fromMenu(page, project, 'start');
  await expect(projectTask('start')).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
  await expect.poll(async () => [await running('shop-web-1'), await running('shop-db-1')], { timeout: 30_000 }).toEqual([true, true]);

  // a running project is stopped before it is removed
  await project.click({ button: 'right' });
  await expect(page.getByTestId('menu-remove-project')).toBeDisabled();
  await expect(page.getByTestId('menu-remove-project')).toHaveAttribute('title', 'Stop shop first.');
  await page.getByTestId('menu-shutdown').click();
  await page.getByTestId('confirm-ok').click();
  await expect.poll(async () => [await running('shop-web-1'), await running('shop-db-1')], { timeout: 30_000 }).toEqual([false, false]);

  await fromMenu(page, project, 'remove-project');
  await expect(page.getByTestId('confirm-targets')).toContainText('shop — shop-db-1, shop-web-1');
  await page.getByTestId('confirm-ok').click();
  await expect(project).toHaveCount(0, { timeout: 30_000 });
  expect(await cliLines(peer.socketPath, ['ps', '-a', '--format', '{{.Names}}'])).toEqual([]);
  expect(await volumes()).toContain('shop-data');
});
