// A Docker container's Logs tab (real dockerd): the lines it printed, a search that
// filters them, and — while following — a line written later appearing live.
import { test, expect, type Page } from '@playwright/test';
import type Dockerode from 'dockerode';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

const unavailable = dockerdUnavailableReason();

/** Prints known lines (the stderr one a second later: the two pipes race), then waits for SIGTERM. */
const PRINTER = ['sh', '-c', "for i in 1 2 3; do echo alpha-$i; echo beta-$i; done; sleep 1; echo gamma-warning >&2; trap 'exit 0' TERM; sleep 100000 & wait"];

let stack: Stack;
let page: Page;
let dockerd: DockerdPeer | undefined;
let docker: Dockerode;
let printer: string;

test.beforeAll(async ({ browser }) => {
  test.skip(requirePeer(unavailable), `no real Docker engine here: ${unavailable}`);
  dockerd = await startDockerd();
  docker = dockerd.docker;
  const image = await ensureBusyboxImage(docker);
  const c = await docker.createContainer({ name: 'log-box', Image: image, Cmd: PRINTER, HostConfig: { NetworkMode: 'none' } });
  await c.start();
  printer = c.id;
  stack = await startStack();
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await dockerd?.stop();
});

/** The text of the log lines on screen. */
async function shownLines(): Promise<string[]> {
  return page.getByTestId('logs-text').allTextContents();
}

async function writeToLog(line: string): Promise<void> {
  const exec = await docker.getContainer(printer).exec({ Cmd: ['sh', '-c', `echo ${line} > /proc/1/fd/1`], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.resume();
  });
}

test('the Logs tab shows the log, filters it, and follows new lines', async () => {
  await addServer(page, { type: 'docker', name: 'Engine', socketPath: dockerd!.socketPath });
  const serverId = await serverIdOf(stack, 'Engine');
  await search(page, 'log-box');
  await nodeRow(page, serverId, 'log-box').click();
  await expect(page.getByTestId('details-title')).toHaveText('log-box');
  await page.getByTestId('tab-logs').click();

  const tab = page.getByTestId('logs-tab');
  await expect(tab).toHaveAttribute('data-phase', 'following');
  await expect(page.getByTestId('logs-follow')).toBeChecked();
  await expect.poll(shownLines).toEqual(['alpha-1', 'beta-1', 'alpha-2', 'beta-2', 'alpha-3', 'beta-3', 'gamma-warning']);

  // the search keeps only matching lines and highlights the match
  await page.getByTestId('logs-search').fill('ALPHA');
  await expect.poll(shownLines).toEqual(['alpha-1', 'alpha-2', 'alpha-3']);
  await expect(page.getByTestId('logs-match-count')).toHaveText('3 of 7 lines');
  await expect(page.getByTestId('logs-line').first().locator('mark')).toHaveText('alpha');

  // following: a matching line written now shows up without reloading
  await writeToLog('alpha-live');
  await expect.poll(shownLines).toEqual(['alpha-1', 'alpha-2', 'alpha-3', 'alpha-live']);
  await writeToLog('beta-live');
  await expect(page.getByTestId('logs-match-count')).toHaveText('4 of 9 lines');
  await shot(page, 'docker-logs-search-follow');

  await page.getByTestId('logs-search').fill('');
  await expect.poll(shownLines).toEqual(['alpha-1', 'beta-1', 'alpha-2', 'beta-2', 'alpha-3', 'beta-3', 'gamma-warning', 'alpha-live', 'beta-live']);

  // Clear empties the view; new lines still arrive
  await page.getByTestId('logs-clear').click();
  await expect(page.getByTestId('logs-empty')).toBeVisible();
  await writeToLog('after-clear');
  await expect.poll(shownLines).toEqual(['after-clear']);

  // without follow the log is read once to its end
  await page.getByTestId('logs-follow').uncheck();
  await expect(tab).toHaveAttribute('data-phase', 'complete');
  expect(await shownLines()).toContain('gamma-warning');
  expect((await shownLines()).length).toBe(10);
  await shot(page, 'docker-logs');
});
