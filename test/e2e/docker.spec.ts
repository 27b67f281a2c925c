// A real Docker engine (dockerd on a private unix socket) beside a XenServer pool
// in one tree. A compose-labelled container with a named volume holding known data:
// snapshot it with its volumes from the UI, change the data behind the app's back,
// restore from the UI (the container is recreated with a new id) and check that the
// old data is back and the container runs.
import path from 'node:path';
import type { Readable } from 'node:stream';
import { expect, test, type Page } from '@playwright/test';
import type Dockerode from 'dockerode';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
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
import { readTree, rowPaths } from './tree-reader';
import { expectedPaths } from './xapi-expected';

test.describe.configure({ mode: 'serial' });

const unavailable = dockerdUnavailableReason();
test.skip(requirePeer(unavailable), `no real Docker engine here: ${unavailable}`);

const XEN = 'Xen pool';
const ENGINE = 'Docker engine';
const PROJECT = 'shop';
const NAME = 'shop-web-1';
const VOLUME = 'shop-data';

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let dockerd: DockerdPeer;
let docker: Dockerode;
let engineId: string;
let originalId: string;

/** Runs a command in the container and returns what it printed. */
async function execIn(containerId: string, cmd: string): Promise<string> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: ['sh', '-c', cmd], AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = (await exec.start({ hijack: true, stdin: false, Tty: true })) as Readable;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r/g, '');
}

async function containerByName(): Promise<Dockerode.ContainerInfo | undefined> {
  return (await docker.listContainers({ all: true, filters: { name: [`^/${NAME}$`] } }))[0];
}

test.beforeAll(async ({ browser }) => {
  [stack, xen, dockerd] = await Promise.all([
    startStack(),
    startXapiSimulator({ db: path.join(sharedFixtures, 'xapi-db', 'state4.xml') }),
    startDockerd(),
  ]);
  docker = dockerd.docker;
  const image = await ensureBusyboxImage(docker);
  await docker.createVolume({ Name: VOLUME });
  const container = await docker.createContainer({
    name: NAME,
    Image: image,
    Cmd: ['sleep', '3600'],
    Labels: { 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': 'web' },
    HostConfig: { Mounts: [{ Type: 'volume', Source: VOLUME, Target: '/data' }] },
  });
  await container.start();
  originalId = container.id;
  // the known data, written inside the running container
  await execIn(originalId, 'echo "original data" > /data/greeting.txt && mkdir -p /data/sub && echo 42 > /data/sub/answer');
  expect(await execIn(originalId, 'cat /data/greeting.txt')).toBe('original data\n');
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xen?.stop(), dockerd?.stop()]);
});

test('a Docker engine and a XenServer pool side by side in one tree', async () => {
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  await addServer(page, { type: 'docker', name: ENGINE, socketPath: dockerd.socketPath });
  engineId = await serverIdOf(stack, ENGINE);
  const saved = (await stack.core.invoke('servers:list')).find((s) => s.id === engineId)!;
  expect(saved.options.socketPath).toBe(dockerd.socketPath);
  expect(saved.capabilities?.snapshotKinds).toContain('volumes');

  const info = await docker.info();
  const enginePath = `${ENGINE}/${info.Name}`;
  // the engine's own images and named volumes, read from the engine: nodes under it (issue 14)
  const imageNames = (await docker.listImages()).map((i) => i.RepoTags?.find((t) => t !== '<none>:<none>') ?? i.Id.replace('sha256:', '').slice(0, 12));
  const volumeNames = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name);
  // and its networks (issue 16)
  const networkNames = (await docker.listNetworks()).map((n) => n.Name);
  const engineItems = [...imageNames, ...volumeNames, ...networkNames].map((n) => `${enginePath}/${n}`);
  const expected = [...expectedPaths(XEN, xen), ENGINE, enginePath, `${enginePath}/${PROJECT}`, `${enginePath}/${PROJECT}/${NAME}`, ...engineItems].sort();
  await expect.poll(async () => rowPaths(await readTree(page)).sort()).toEqual(expected);
  const row = nodeRow(page, engineId, NAME);
  await expect(row).toHaveAttribute('data-kind', 'container');
  await expect(row).toHaveAttribute('data-state', 'running');
  await expect(row).toHaveAttribute('data-key', `${engineId}:container:${originalId}`);

  await row.click();
  await page.getByTestId('tab-general').click();
  const props = page.getByTestId('general-props');
  await expect(props.locator('[data-prop=state]')).toHaveText('Running');
  await expect(props.locator('[data-prop=image]')).toHaveText('local/busybox:latest');
  await expect(props.locator('[data-prop=mounts]')).toContainText(`volume ${VOLUME} → /data`);
  await expect(props.getByText('Restart policy')).toBeVisible();
  await shot(page, 'docker-tree');
  await page.locator(`[role=treeitem][data-kind=server][aria-label="${ENGINE}"]`).click();
  await expect(page.getByTestId('server-details').locator('[data-prop=address]')).toHaveText(dockerd.socketPath);
});

test('snapshot with volumes, data changed behind the app, restore brings the data back', async () => {
  await openSnapshots(page, engineId, NAME);
  await expect(page.getByTestId('snap-empty')).toBeVisible();
  // no memory snapshots for a container; its named volumes are included by default
  await expect(page.getByTestId('snap-take-memory')).toBeDisabled();
  await clearTasks(page);
  await page.getByTestId('snap-take').click();
  await expect(page.getByTestId('snapshot-volumes')).toBeChecked();
  await page.getByTestId('snapshot-name').fill('before the change');
  await page.getByTestId('snapshot-description').fill('greeting is "original data"');
  await shot(page, 'docker-snapshot-dialog');
  await page.getByTestId('snapshot-create-ok').click();
  await expectTaskSucceeds(page, 'snapshot_create', NAME);
  await expect(snapshotRow(page, 'before the change')).toContainText('Container and volume data');
  await expect.poll(() => snapshotOutline(page)).toEqual(['before the change', '  @']);

  // the engine holds the snapshot: a labelled image plus the volume data image
  const images = await docker.listImages({ filters: { label: ['dev.polyvisor.snapshot.name=before the change', 'dev.polyvisor.snapshot.role=image'] } });
  expect(images).toHaveLength(1);
  const volumesLabel = JSON.parse(images[0].Labels['dev.polyvisor.snapshot.volumes']) as Array<{ volume: string }>;
  expect(volumesLabel.map((v) => v.volume)).toEqual([VOLUME]);
  expect(await docker.listImages({ filters: { label: [`dev.polyvisor.snapshot.data-of=${images[0].Id}`] } })).toHaveLength(1);

  // behind the app's back
  await execIn(originalId, 'echo "changed data" > /data/greeting.txt && rm -r /data/sub && echo junk > /data/new-file');
  expect(await execIn(originalId, 'cat /data/greeting.txt; ls -1 /data')).toBe('changed data\ngreeting.txt\nnew-file\n');

  await clearTasks(page);
  const confirmation = await revertTo(page, 'before the change');
  expect(confirmation).toContain(NAME);
  expect(confirmation).toContain('container id changes');
  const restore = taskRow(page, 'snapshot_revert').filter({ hasText: 'before the change' });
  await expect(restore).toHaveCount(1);
  await shot(page, 'docker-restore-task');
  await expectTaskSucceeds(page, 'snapshot_revert', 'before the change');

  // a new container of the same name, running, with the old data
  const after = await containerByName();
  expect(after).toBeDefined();
  expect(after!.Id).not.toBe(originalId);
  expect(after!.State).toBe('running');
  expect(await execIn(after!.Id, 'cat /data/greeting.txt; cat /data/sub/answer; ls -1 /data')).toBe('original data\n42\ngreeting.txt\nsub\n');
  expect(after!.Labels['com.docker.compose.project']).toBe(PROJECT);

  // the tree follows: the same name under the same project, the new id, running, "you are here" after the snapshot
  await search(page, NAME);
  const row = nodeRow(page, engineId, NAME);
  await expect(row).toHaveAttribute('data-key', `${engineId}:container:${after!.Id}`);
  await expect(row).toHaveAttribute('data-state', 'running');
  expect(rowPaths(await readTree(page)).filter((p) => p.endsWith(`/${NAME}`))).toEqual([`${ENGINE}/${(await docker.info()).Name}/${PROJECT}/${NAME}`]);
  await openSnapshots(page, engineId, NAME);
  await expect.poll(() => snapshotOutline(page)).toEqual(['before the change', '  @']);
  await shot(page, 'docker-restored');
});
