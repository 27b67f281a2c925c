// Issue 15, the Performance tab of a Docker container (real dockerd): only the live view,
// with the note that Docker keeps no history; the memory limit shown is the one the
// engine enforces (docker inspect), and the CPU of a loop held to half a CPU reads as
// `docker stats` (the engine's own CLI) reads it. Screenshot in English.
import { test, expect, type Page } from '@playwright/test';
import { cliInspect, cliLines, dockerCliUnavailableReason } from '../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();
const LIMIT = 64 * 1024 * 1024;

let stack: Stack;
let page: Page;
let dockerd: DockerdPeer | undefined;
let box: string;

test.beforeAll(async ({ browser }) => {
  test.skip(requirePeer(unavailable), `no real Docker engine here: ${unavailable}`);
  dockerd = await startDockerd();
  const image = await ensureBusyboxImage(dockerd.docker);
  const c = await dockerd.docker.createContainer({
    name: 'perf-box',
    Image: image,
    Cmd: ['sh', '-c', 'while :; do :; done'],
    HostConfig: { NetworkMode: 'none', Memory: LIMIT, NanoCpus: 500_000_000 },
  });
  await c.start();
  box = c.id;
  stack = await startStack();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await dockerd?.stop();
});

test("a container's live stats, as the engine reports them", async () => {
  await addServer(page, { type: 'docker', name: 'Engine', socketPath: dockerd!.socketPath });
  const serverId = await serverIdOf(stack, 'Engine');
  await search(page, 'perf-box');
  await nodeRow(page, serverId, 'perf-box').click();
  await page.getByTestId('tab-performance').click();
  await expect(page.getByTestId('performance-note')).toContainText('Docker keeps no history');
  await expect(page.getByTestId('timeframe-10m')).toBeVisible();
  await expect(page.getByTestId('timeframe-1h')).toHaveCount(0);

  const inspected = await cliInspect<{ HostConfig: { Memory: number } }>(dockerd!.socketPath, box);
  await expect(page.getByTestId('metric-value-memory_limit')).toHaveAttribute('data-value', String(inspected.HostConfig.Memory));
  await expect(page.getByTestId('metric-value-memory_limit')).toHaveText('64 MiB');
  // a few readings in, the CPU (the tab polls every 5 s): held to half a CPU, like docker stats says
  await expect.poll(async () => Number(await page.getByTestId('metric-value-cpu').getAttribute('data-value')), { timeout: 30_000 }).toBeGreaterThan(5);
  const shown = Number(await page.getByTestId('metric-value-cpu').getAttribute('data-value'));
  const [cli] = await cliLines(dockerd!.socketPath, ['stats', '--no-stream', '--format', '{{.CPUPerc}}', box]);
  const cliCpu = Number(cli!.replace('%', ''));
  expect(shown).toBeLessThan(60);
  expect(Math.abs(shown - cliCpu), `shown ${shown} %, docker stats ${cliCpu} %`).toBeLessThan(30);
  await expect(page.getByTestId('metric-chart-disk')).toBeVisible();
  // the ring fills while the tab is open: a later poll shows a later reading
  const first = Number(await page.getByTestId('metric-time-cpu').getAttribute('data-t'));
  await expect.poll(async () => Number(await page.getByTestId('metric-time-cpu').getAttribute('data-t')), { timeout: 30_000 }).toBeGreaterThan(first + 4);
  await shot(page, 'performance-docker-en');
});
