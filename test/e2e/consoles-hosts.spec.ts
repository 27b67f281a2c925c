// Issue 18 in the browser: a Proxmox VE node's Console tab is its Shell (termproxy and
// vncwebsocket on /nodes/{node}; a real shell on a pty behind the simulator): a typed
// command answers on the terminal and leaves its file behind.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ptyShellUnavailableReason } from '../peers/pty-shell';
import { requirePeer } from '../peers/require-peer';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { addServer, nodeRow, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const ptyMissing = ptyShellUnavailableReason();
test.skip(requirePeer(ptyMissing), `no pty shell here: ${ptyMissing}`);

let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;
let scratch: string;

async function terminalLines(): Promise<string[]> {
  return page.getByTestId('console-terminal').locator('.xterm-rows > div').evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').trim()));
}

test.beforeAll(async ({ browser }) => {
  [stack, pve] = await Promise.all([startStack(), startProxmoxSimulator({ taskDurationMs: 100 })]);
  pve.consoles.targets = { shell: '/bin/sh' };
  scratch = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-e2e-node-shell-'));
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('a Proxmox VE node’s Console tab is its shell: a typed command answers', async () => {
  await addServer(page, { type: 'proxmox', name: 'PVE', host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
  const serverId = await serverIdOf(stack, 'PVE');
  // the host's context menu has Host console (the command registry), which opens the tab
  await nodeRow(page, serverId, 'node1').click();
  await expect(page.getByTestId('details-title')).toHaveText('node1');
  await nodeRow(page, serverId, 'node1').click({ button: 'right' });
  await expect(page.getByTestId('menu-host-console')).toBeEnabled();
  await page.getByTestId('menu-host-console').click();
  await expect(page.getByTestId('tab-console')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('text-console')).toHaveAttribute('data-phase', 'connected');
  // a node has one console, its shell: no graphical/text switch, no outside viewers
  await expect(page.getByTestId('console-kind-rfb')).toHaveCount(0);
  await expect(page.getByTestId('console-viewers')).toHaveCount(0);
  await page.getByTestId('console-terminal').click();
  await expect.poll(async () => (await terminalLines()).some((l) => /^\$\s*$/.test(l.trim())), { timeout: 20_000 }).toBe(true);
  const file = path.join(scratch, 'node1.txt');
  await page.keyboard.type(`echo node1''-$((6*7)) | tee ${file}\n`);
  await expect.poll(terminalLines, { timeout: 20_000 }).toContain('node1-42');
  await expect.poll(() => existsSync(file) && readFileSync(file, 'utf8')).toBe('node1-42\n');
  expect(pve.consoles.outcomes).toContain('101 node shell');
  await shot(page, 'console-proxmox-node-shell');
});
