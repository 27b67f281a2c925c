// Issue 14 on a real Docker engine (dockerd on a private socket): the New VM wizard makes
// a container from an image with a named volume, a published port and a memory limit,
// started; the Properties dialog changes its memory and CPU limits while it runs; Delete
// of a stopped one keeping its volume, and of the running one forced, with its volume. Every change is read back with the engine's own CLI.
import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { cliInspect, cliLines, cliVolumes, dockerCliUnavailableReason } from '../peers/docker-cli';
import { BUSYBOX_IMAGE, dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf, serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { fromMenu, nextTo, openProperties, propertiesDialog, wizard } from './guests-driver';

test.describe.configure({ mode: 'serial' });

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();
test.skip(requirePeer(unavailable), `no real Docker engine here: ${unavailable}`);

const ENGINE = 'Docker engine';
const NAME = 'web-new-1';
const VOLUME = 'web-new-data';
/** made behind the app's back, deleted keeping its volume */
const OTHER = 'keeper-1';
const OTHER_VOLUME = 'keeper-data';
const MiB = 1024 ** 2;

let stack: Stack;
let page: Page;
let peer: DockerdPeer;
let engineId: string;
let hostPort: number;

interface Inspected {
  State: { Running: boolean; Status: string };
  Mounts: Array<{ Type: string; Name?: string; Destination: string }>;
  HostConfig: { Memory: number; NanoCpus: number; PortBindings: Record<string, Array<{ HostPort: string }>> | null };
}
const inspect = (name: string) => cliInspect<Inspected>(peer.socketPath, name, 'container');
const containers = () => cliLines(peer.socketPath, ['ps', '-a', '--format', '{{.Names}}']);
const volumes = () => cliVolumes(peer.socketPath);

/** Stops the container from its menu (a running one is not deleted) and waits until the engine has it stopped. */
async function stopFromMenu(name: string): Promise<void> {
  await fromMenu(page, nodeRow(page, engineId, name), 'shutdown');
  await page.getByTestId('confirm-ok').click();
  await expect.poll(async () => (await inspect(name)).State.Running, { timeout: 60_000 }).toBe(false);
  await expect(nodeRow(page, engineId, name)).not.toHaveAttribute('data-state', 'running', { timeout: 30_000 });
}

/** A TCP port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, peer, hostPort] = await Promise.all([startStack(), startDockerd(), freePort()]);
  await ensureBusyboxImage(peer.docker);
  await peer.docker.createVolume({ Name: OTHER_VOLUME });
  // it stops at once when asked (a plain sleep as PID 1 ignores SIGTERM)
  const polite = ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"];
  const other = await peer.docker.createContainer({ name: OTHER, Image: BUSYBOX_IMAGE, Cmd: polite, HostConfig: { Binds: [`${OTHER_VOLUME}:/data`] } });
  await other.start();
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'docker', name: ENGINE, socketPath: peer.socketPath });
  engineId = await serverIdOf(stack, ENGINE);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await peer?.stop();
});

test('the New VM wizard makes a container from an image with a named volume and a published port, started', async () => {
  expect(await volumes()).not.toContain(VOLUME);
  await clearTasks(page);
  await serverRow(page, ENGINE).click();
  await page.getByTestId('tb-new-vm').click();
  await expect(page.getByTestId('wizard-page-template')).toBeVisible();
  const image = wizard(page).locator(`[data-testid=wizard-template][data-template="${BUSYBOX_IMAGE}"]`);
  await expect(image).toContainText('makes a container');
  await image.locator('input').check();
  await nextTo(page, 'name');
  await page.getByTestId('wizard-name').fill(NAME);
  await nextTo(page, 'install');
  await page.getByTestId('wizard-ct-command').fill('sleep 100000');
  await page.getByTestId('wizard-ct-ports').fill(`${hostPort}:80/tcp`);
  await page.getByTestId('wizard-ct-volumes').fill(`${VOLUME}:/data`);
  await nextTo(page, 'host');
  await nextTo(page, 'resources');
  await page.getByTestId('wizard-memory').fill('256MiB');
  await nextTo(page, 'disks');
  await nextTo(page, 'networks');
  await nextTo(page, 'finish');
  await expect(page.getByTestId('wizard-start')).toBeChecked();
  await shot(page, 'guests-docker-wizard-finish');
  await page.getByTestId('wizard-finish').click();
  await expect(wizard(page)).toBeHidden();
  await expectTaskSucceeds(page, 'create', NAME);
  await expect(page.getByTestId('details-title')).toHaveText(NAME);
  await expect(nodeRow(page, engineId, NAME)).toHaveAttribute('data-state', 'running');

  const made = await inspect(NAME);
  expect(made.State.Running).toBe(true);
  expect(made.Mounts.filter((m) => m.Type === 'volume').map((m) => [m.Name, m.Destination])).toEqual([[VOLUME, '/data']]);
  expect(made.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: String(hostPort) }] });
  expect(made.HostConfig.Memory).toBe(256 * MiB);
  expect(await volumes()).toContain(VOLUME);
});

test('Properties: the memory and CPU limits change live, while the container runs', async () => {
  await openProperties(page, nodeRow(page, engineId, NAME));
  await page.getByTestId('props-section-memory').click();
  await expect(page.getByTestId('props-staticMax')).toBeEnabled();
  await page.getByTestId('props-staticMax').fill('512MiB');
  await page.getByTestId('props-section-cpu').click();
  await page.getByTestId('props-cpu-limit').fill('1.5');
  await shot(page, 'guests-docker-properties');
  await page.getByTestId('props-save').click();
  await expect(propertiesDialog(page)).toBeHidden({ timeout: 30_000 });
  await expect.poll(async () => (await inspect(NAME)).HostConfig.Memory, { timeout: 30_000 }).toBe(512 * MiB);
  const after = await inspect(NAME);
  expect(after.HostConfig.NanoCpus).toBe(1.5e9);
  expect(after.State.Running).toBe(true);
});

test('Delete keeping the volume: the container goes, its named volume stays in the engine', async () => {
  await stopFromMenu(OTHER);
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, engineId, OTHER), 'delete-guest');
  const dialog = page.getByTestId('delete-guests-dialog');
  const disk = dialog.getByTestId('delete-disk');
  await expect(disk).toHaveAttribute('data-disk', OTHER_VOLUME);
  // as `docker rm` does, a container's volumes stay unless asked
  await expect(page.getByTestId('delete-guests-disks')).not.toBeChecked();
  await expect(disk).toHaveAttribute('data-fate', 'kept');
  await page.getByTestId('delete-guests-ok').click();
  await expect(dialog).toBeHidden();
  await expectTaskSucceeds(page, 'destroy', OTHER);
  await expect(nodeRow(page, engineId, OTHER)).toHaveCount(0);
  expect(await containers()).not.toContain(OTHER);
  expect(await volumes()).toContain(OTHER_VOLUME);
});

test('Delete of the running container with Force and its volume: both are gone from the engine', async () => {
  // as for a running VM on XAPI and vSphere: offered while it runs, done only once forcing is confirmed
  expect((await inspect(NAME)).State.Running).toBe(true);
  await clearTasks(page);
  await fromMenu(page, nodeRow(page, engineId, NAME), 'delete-guest');
  const dialog = page.getByTestId('delete-guests-dialog');
  const disk = dialog.getByTestId('delete-disk');
  await expect(disk).toHaveAttribute('data-disk', VOLUME);
  await expect(disk).toHaveAttribute('data-fate', 'kept');
  await expect(page.getByTestId('delete-guests-running')).toContainText(NAME);
  await expect(page.getByTestId('delete-guests-ok')).toBeDisabled();
  await page.getByTestId('delete-guests-force').check();
  await page.getByTestId('delete-guests-disks').check();
  await expect(disk).toHaveAttribute('data-fate', 'deleted');
  await shot(page, 'guests-docker-delete');
  await page.getByTestId('delete-guests-ok').click();
  await expect(dialog).toBeHidden();
  await expectTaskSucceeds(page, 'destroy', NAME);
  await expect(nodeRow(page, engineId, NAME)).toHaveCount(0);
  expect(await containers()).toEqual([]);
  expect(await volumes()).not.toContain(VOLUME);
  expect(await volumes()).toContain(OTHER_VOLUME);
});
