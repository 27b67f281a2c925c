// Issue 15's done-when: a threshold rule fires on a Docker container running a CPU loop
// (real dockerd). The rule is made in the Notifications view's Thresholds tab for the
// engine's containers; the loop's container raises a Polyvisor alert (with the badge)
// whose reading is the CPU `docker stats` (the engine's own CLI) sees for it, the idle
// container beside it none; stopping the loop (read back with docker inspect) clears
// the alert. Screenshots in English, and in Chinese with the dark theme.
import { test, expect, type Page } from '@playwright/test';
import { cliInspect, cliLines, dockerCli, dockerCliUnavailableReason } from '../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { addServer } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();

let stack: Stack;
let page: Page;
let dockerd: DockerdPeer | undefined;
let loop: string;

test.beforeAll(async ({ browser }) => {
  test.skip(requirePeer(unavailable), `no real Docker engine here: ${unavailable}`);
  dockerd = await startDockerd();
  const image = await ensureBusyboxImage(dockerd.docker);
  const busy = await dockerd.docker.createContainer({ name: 'cpu-loop', Image: image, Cmd: ['sh', '-c', 'while :; do :; done'], HostConfig: { NetworkMode: 'none' } });
  const idle = await dockerd.docker.createContainer({ name: 'idle-box', Image: image, Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'none' } });
  await Promise.all([busy.start(), idle.start()]);
  loop = busy.id;
  stack = await startStack();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await dockerd?.stop();
});

const alertRows = () => page.getByTestId('alert-row').and(page.locator('[data-name="POLYVISOR_THRESHOLD"]'));

test('a threshold rule fires on a container running a CPU loop, and clears when it stops', async () => {
  test.setTimeout(240_000);
  await addServer(page, { type: 'docker', name: 'Engine', socketPath: dockerd!.socketPath });

  await page.getByTestId('notifications-nav').click();
  await page.getByTestId('notifications-tab-thresholds').click();
  await page.getByTestId('threshold-add').click();
  await page.getByTestId('threshold-name').fill('Busy container');
  await page.getByTestId('threshold-metric').selectOption('cpu');
  await page.getByTestId('threshold-comparison').selectOption('above');
  await page.getByTestId('threshold-value').fill('10');
  await page.getByTestId('threshold-duration').fill('10');
  await page.getByTestId('threshold-duration-unit').selectOption('s');
  await page.getByTestId('threshold-scope').selectOption('server');
  await page.getByTestId('threshold-scope-server').selectOption({ label: 'Engine' });
  await page.getByTestId('threshold-kind-container').check();
  await page.getByTestId('threshold-severity').selectOption('major');
  await shot(page, 'thresholds-editor-en');
  await page.getByTestId('threshold-save').click();
  const row = page.getByTestId('threshold-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('threshold-condition')).toHaveText('CPU above 10 % for 10 s');
  const [rule] = await stack.core.invoke('thresholds:list');
  expect(rule).toMatchObject({ name: 'Busy container', value: 10, durationSeconds: 10, kinds: ['container'], severity: 'major', scope: { kind: 'server' } });
  await shot(page, 'thresholds-rules-en');

  // closed view: the alert arrives as a new one, with the badge
  await page.getByTestId('notifications-close').click();
  await expect(page.getByTestId('notifications-badge')).toHaveText('1', { timeout: 120_000 });
  await page.getByTestId('notifications-nav').click();
  const alert = alertRows();
  await expect(alert).toHaveCount(1);
  await expect(alert).toHaveAttribute('data-severity', 'major');
  await expect(alert).toContainText('cpu-loop');
  await expect(alert).toContainText('Polyvisor');
  await expect(alert).toContainText('Busy container');
  await expect(alert).toContainText('CPU above 10 % for 10 s');

  // the reading the alert carries is the loop's CPU as the engine's own CLI sees it
  const [raised] = (await stack.core.invoke('alerts:list')).filter((a) => a.name === 'POLYVISOR_THRESHOLD');
  expect(raised!.objectName).toBe('cpu-loop');
  expect(raised!.threshold!.observed).toBeGreaterThan(10);
  const [cli] = await cliLines(dockerd!.socketPath, ['stats', '--no-stream', '--format', '{{.CPUPerc}}', loop]);
  expect(Number(cli!.replace('%', '')), `docker stats ${cli}, alert ${raised!.threshold!.observed} %`).toBeGreaterThan(10);
  // the idle container under the same rule raised nothing
  const [idleCpu] = await cliLines(dockerd!.socketPath, ['stats', '--no-stream', '--format', '{{.CPUPerc}}', 'idle-box']);
  expect(Number(idleCpu!.replace('%', ''))).toBeLessThan(10);
  expect((await stack.core.invoke('alerts:list')).some((a) => a.objectName === 'idle-box')).toBe(false);
  await shot(page, 'thresholds-alert-en');

  await stack.core.invoke('settings:set', { language: 'zh-CN', theme: 'dark' });
  await expect(alert).toContainText('CPU高于 10%，持续 10 秒');
  await shot(page, 'thresholds-alert-zh-CN-dark');
  await page.getByTestId('notifications-tab-thresholds').click();
  await expect(row.getByTestId('threshold-condition')).toHaveText('CPU高于 10%，持续 10 秒');
  await shot(page, 'thresholds-rules-zh-CN-dark');
  await stack.core.invoke('settings:set', { language: 'en', theme: 'system' });

  // the loop stops (the engine says so): the alert clears by itself
  await dockerCli(dockerd!.socketPath, ['stop', '--time', '0', loop]);
  expect((await cliInspect<{ State: { Running: boolean } }>(dockerd!.socketPath, loop)).State.Running).toBe(false);
  await page.getByTestId('notifications-tab-alerts').click();
  await expect(alertRows()).toHaveCount(0, { timeout: 60_000 });
});
