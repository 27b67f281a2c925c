// Issue 13's container move between two real dockerd engines through the UI: a running
// container with a named volume is moved with Migrate… (the dialog lists the other
// engine under its server, says the move is offline); afterwards engine B runs it with
// the same configuration and the file written in its volume before the move, engine A
// no longer has it — all read back with dockerode, not through Polyvisor.
import { expect, test, type Page } from '@playwright/test';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { execText, POLITE_CMD } from '../integration/docker/harness';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const dockerMissing = dockerdUnavailableReason();
test.skip(requirePeer(dockerMissing), `no dockerd here: ${dockerMissing}`);

const A = 'Engine A';
const B = 'Engine B';
const BOX = 'mover';
const VOLUME = 'mover-data';

let stack: Stack;
let page: Page;
let a: DockerdPeer;
let b: DockerdPeer;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, a, b] = await Promise.all([startStack(), startDockerd(), startDockerd()]);
  const image = await ensureBusyboxImage(a.docker);
  await a.docker.createVolume({ Name: VOLUME });
  const box = await a.docker.createContainer({
    name: BOX,
    Image: image,
    Cmd: POLITE_CMD,
    Env: ['GREETING=hello'],
    Labels: { app: BOX },
    HostConfig: { Binds: [`${VOLUME}:/data`], RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } },
  });
  await box.start();
  await execText(a.docker, box.id, ['sh', '-c', 'echo written-before-the-move > /data/note.txt']);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'docker', name: A, socketPath: a.socketPath });
  await addServer(page, { type: 'docker', name: B, socketPath: b.socketPath });
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([a?.stop(), b?.stop()]);
});

test('a running container with a named volume moves to the other engine with its data and configuration', async () => {
  test.setTimeout(180_000);
  const [aId, bId] = await Promise.all([serverIdOf(stack, A), serverIdOf(stack, B)]);
  await clearTasks(page);
  await nodeRow(page, aId, BOX).click();
  await page.getByTestId('tb-migrate').click();
  const dialog = page.getByTestId('migrate-dialog');
  const target = dialog.locator(`[data-testid=migrate-group][data-server="${bId}"] [data-testid=migrate-target]`);
  await expect(target).toHaveAttribute('data-ok', 'true');
  await expect(target.getByTestId('migrate-offline')).toBeVisible();
  await target.locator('input[type=radio]').check();
  await shot(page, 'migrate-container-dialog');
  await page.getByTestId('migrate-ok').click();
  await expectTaskSucceeds(page, 'migrate', BOX);
  await expect(nodeRow(page, bId, BOX)).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await expect(nodeRow(page, aId, BOX)).toHaveCount(0);

  // engine B's own view: running, same configuration, the volume's file as it was written
  const moved = (await b.docker.listContainers({ all: true })).find((c) => c.Names.includes(`/${BOX}`));
  expect(moved?.State).toBe('running');
  const inspect = await b.docker.getContainer(moved!.Id).inspect();
  expect(inspect.Config.Env).toContain('GREETING=hello');
  expect(inspect.Config.Labels).toMatchObject({ app: BOX });
  expect(inspect.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
  expect(inspect.Mounts.find((m) => m.Destination === '/data')).toMatchObject({ Type: 'volume', Name: VOLUME });
  expect((await execText(b.docker, moved!.Id, ['cat', '/data/note.txt'])).trim()).toBe('written-before-the-move');
  // engine A: the container is gone (its volume is kept, as the move promises)
  expect((await a.docker.listContainers({ all: true })).some((c) => c.Names.includes(`/${BOX}`))).toBe(false);
});
