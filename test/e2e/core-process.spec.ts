// Issue 17, as a user meets it: the core runs in a process of its own (its password in a
// private OS keychain there). When that process dies, the connection it was making fails
// in the task list with an error that says so, and a new process reconnects the saved
// pool: the tree comes back and follows a change made on the simulator. Screenshots in
// English and in Chinese (dark).
import { expect, test, type Page } from '@playwright/test';
import net from 'node:net';
import type { RemoteCore } from '../../electron/core/host/remote-core';
import { keyringUnavailableReason, startKeyringSession, type KeyringSession } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { nodeRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

const POOL = 'Split pool';

let stack: Stack;
let page: Page;
let sim: XapiSimulator;
let keyring: KeyringSession;
const held: net.Socket[] = [];
const silent = net.createServer((socket) => void held.push(socket));

test.describe.configure({ mode: 'serial' });
test.skip(requirePeer(keyringUnavailableReason()), 'a private OS keychain (gnome-keyring) is needed');

test.beforeAll(async ({ browser }) => {
  [keyring, sim] = await Promise.all([startKeyringSession(), startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, poolName: POOL })]);
  const env: NodeJS.ProcessEnv = { ...process.env, ...keyring.env };
  delete env.POLYVISOR_HOME;
  stack = await startStack({ coreProcess: { env } });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  for (const socket of held) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await Promise.allSettled([sim?.stop(), keyring?.stop()]);
});

const firstVm = () => [...sim.db.records('VM').entries()].find(([, r]) => !r.is_a_template && !r.is_control_domain && !r.is_a_snapshot)!;

test('a core process that dies: the call it was making fails, saying so; a new one brings the pool back live', async () => {
  const core = stack.core as RemoteCore;
  const server = await core.invoke('servers:add', { type: 'xenserver', name: POOL, host: sim.host, port: sim.port, username: 'root', password: 'password', rememberPassword: true, autoConnect: true });
  await core.invoke('servers:connect', server.id);
  // the page asks about the simulator's certificate (its fingerprint, checked on the peer's side)
  await expect(page.getByText(sim.fingerprint256)).toBeVisible();
  await page.getByRole('button', { name: 'Trust and connect' }).click();
  await expect.poll(async () => (await core.invoke('servers:list')).find((s) => s.id === server.id)?.state, { timeout: 30_000 }).toBe('connected');
  const [, vm] = firstVm();
  await expect(nodeRow(page, server.id, vm.name_label as string)).toBeVisible();

  // a server that never answers: its connection stays in progress in the core process
  const quiet = await core.invoke('servers:add', { type: 'xenserver', name: 'Silent host', host: '127.0.0.1', port: (silent.address() as net.AddressInfo).port, username: 'root', password: 'x', rememberPassword: false, autoConnect: false });
  void core.invoke('servers:connect', quiet.id, 'x').catch(() => undefined);
  const quietTask = page.getByTestId('task-row').filter({ has: page.getByTestId('task-target').getByText('Silent host', { exact: true }) });
  await expect(quietTask).toHaveAttribute('data-status', 'running');

  const oldPid = core.pid;
  core.killProcess();
  await expect(quietTask).toHaveAttribute('data-status', 'failure');
  await expect(quietTask.getByTestId('task-error')).toHaveAttribute('title', /core process stopped unexpectedly/);
  await shot(page, 'core-process-restart');

  // the new process reconnects the pool with the password from the keychain: a rename on the simulator reaches the tree
  await expect.poll(() => core.restarts, { timeout: 60_000 }).toBe(1);
  expect(core.pid).not.toBe(oldPid);
  await expect.poll(async () => (await core.invoke('servers:list')).find((s) => s.id === server.id)?.state, { timeout: 60_000 }).toBe('connected');
  sim.db.update('VM', firstVm()[0], { name_label: 'renamed after the restart' });
  await expect(nodeRow(page, server.id, 'renamed after the restart')).toBeVisible({ timeout: 30_000 });

  await core.invoke('settings:set', { language: 'zh-CN', theme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await shot(page, 'core-process-restart-zh-dark');
  await core.invoke('settings:set', { language: 'en', theme: 'light' });
});
