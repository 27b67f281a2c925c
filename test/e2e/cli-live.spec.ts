// The CLI and the app side by side (issue 3): the app (core + web host + renderer) and
// the real `polyvisor` command, each with its own profile, manage the same XAPI
// simulator. A snapshot the CLI creates, and a revert the CLI runs, show up in the
// app's Snapshots tab live, without a reload.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { keyringUnavailableReason, startKeyringSession, type KeyringSession } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, openSnapshots, serverIdOf, snapshotOutline } from './app-driver';
import { openApp, sharedFixtures, shot, startStack, type Stack } from './fixtures';
import { runCli, type CliRun } from '../cli-process';

const keyringMissing = keyringUnavailableReason();

/** A halted VM of state4.xml with a unique name and no snapshots. */
const VM_NAME = 'Windows Server 2008 (1)';
const VM_UUID = '7802b28c-6ad5-b7d8-4a33-2b8eb5dfc8cc';

let stack: Stack;
let page: Page;
let sim: XapiSimulator;
let keyring: KeyringSession;
let cliHome: string;

test.beforeAll(async ({ browser }) => {
  test.skip(requirePeer(keyringMissing), `no private keychain for the CLI here: ${keyringMissing}`);
  [stack, sim, keyring] = await Promise.all([
    startStack(),
    startXapiSimulator({ db: path.join(sharedFixtures, 'xapi-db', 'state4.xml') }),
    startKeyringSession(),
  ]);
  cliHome = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-cli-live-'));
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([sim?.stop(), keyring?.stop()]);
  if (cliHome) rmSync(cliHome, { recursive: true, force: true });
});

/** Runs `polyvisor …` (bin/polyvisor.js) as its own process with its own profile. */
function polyvisor(args: string[], stdin = ''): Promise<CliRun> {
  return runCli(args, { stdin, env: { ...keyring.env, POLYVISOR_HOME: cliHome } });
}

async function expectCliOk(args: string[], stdin = ''): Promise<string> {
  const r = await polyvisor(args, stdin);
  expect(r.code, `polyvisor ${args.join(' ')} failed: ${r.stderr}`).toBe(0);
  return r.stdout;
}

function snapshotRecord(name: string) {
  return [...sim.db.records('VM').entries()].find(([, r]) => r.is_a_snapshot && r.name_label === name);
}

test('snapshots created and reverted from the CLI appear in the app’s live tree', async () => {
  test.setTimeout(120_000);
  await addServer(page, { type: 'xenserver', name: 'Shared pool', host: sim.host, port: sim.port, user: 'root', password: 'password', fingerprint256: sim.fingerprint256 });
  const serverId = await serverIdOf(stack, 'Shared pool');
  await openSnapshots(page, serverId, VM_NAME);
  await expect.poll(() => snapshotOutline(page)).toEqual(['@']);
  // a reload would drop this marker: everything below must arrive live
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

  await expectCliOk(
    ['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'cli-lab', '--password-stdin', '--accept-fingerprint', sim.fingerprint256],
    'password\n',
  );

  const created = (await expectCliOk(['snapshot', 'create', VM_UUID, '--name', 'cli-first'])).trim();
  const first = snapshotRecord('cli-first');
  expect(first, 'the simulator has the snapshot').toBeDefined();
  expect(created).toMatch(new RegExp(`:snapshot:${first![0]}$`));
  await expect.poll(() => snapshotOutline(page)).toEqual(['cli-first', '  @']);

  await expectCliOk(['snapshot', 'create', VM_UUID, '--name', 'cli-second']);
  await expect.poll(() => snapshotOutline(page)).toEqual(['cli-first', '  cli-second', '    @']);
  await shot(page, 'cli-live-created');

  // reverting to the first snapshot from the CLI moves "You are here" under it in the app
  await expectCliOk(['snapshot', 'revert', 'cli-first', '--vm', VM_UUID]);
  await expect.poll(() => snapshotOutline(page)).toEqual(['cli-first', '  cli-second', '  @']);
  await expect(page.locator('[data-testid=snapshot-row][aria-label="cli-first"] ~ [data-testid=snapshot-here]')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  await shot(page, 'cli-live-reverted');
});
