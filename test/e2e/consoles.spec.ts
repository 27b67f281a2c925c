// Consoles in the Console tab, in real web mode: a XenServer VM's screen and a Proxmox
// VM's screen (real Xvnc servers behind the simulators) drawn by noVNC, checked pixel by
// pixel; the console coming back after the VM's VNC server drops (a reboot); a halted
// VM's clear state; a Docker container's terminal (real dockerd) typed into with xterm.
// And the one-time console URLs: not reusable, not usable from another origin.
import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import type Dockerode from 'dockerode';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { startVncServer, type VncServer } from '../peers/vnc';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox';
import { startXapiSimulator, type XapiSimulator, type XapiSimulatorHooks } from '../sim/xapi/index';
import { installConsoleRelay, type ConsoleRelay } from '../sim/xapi/console-relay';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const dockerUnavailable = dockerdUnavailableReason();

const XAPI_COLOR = '#2060c0';
const PVE_COLOR = '#20a040';
const PVE_VNC_PASSWORD = 'pve-Tk3n';

let stack: Stack;
let page: Page;
let xapi: XapiSimulator & XapiSimulatorHooks;
let relay: ConsoleRelay;
let pve: ProxmoxSimulator;
let xvncA: VncServer;
let xvncB: VncServer;
let dockerd: DockerdPeer | undefined;
let docker: Dockerode | undefined;

test.beforeAll(async ({ browser }) => {
  [stack, xapi, pve, xvncA, xvncB, dockerd] = await Promise.all([
    startStack(),
    startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 0 }, poolName: 'Console pool' }),
    startProxmoxSimulator({ taskDurationMs: 100 }),
    startVncServer({ width: 800, height: 600, color: XAPI_COLOR }),
    startVncServer({ width: 640, height: 480, color: PVE_COLOR, password: PVE_VNC_PASSWORD }),
    dockerUnavailable ? Promise.resolve(undefined) : startDockerd(),
  ]);
  relay = installConsoleRelay(xapi, { rfb: { host: xvncA.host, port: xvncA.port } });
  pve.consoles.targets = { vnc: { host: xvncB.host, port: xvncB.port, password: PVE_VNC_PASSWORD }, shell: '/bin/sh' };
  if (dockerd) {
    docker = dockerd.docker;
    const image = await ensureBusyboxImage(docker);
    const c = await docker.createContainer({ name: 'console-box', Image: image, Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'none' } });
    await c.start();
  }
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xapi?.stop(), pve?.stop(), xvncA?.stop(), xvncB?.stop(), dockerd?.stop()]);
});

/** The colour of the noVNC canvas at a point (fractions of its size), as [r, g, b]. */
async function canvasPixel(fx: number, fy: number): Promise<number[]> {
  return page.getByTestId('console-screen').locator('canvas').evaluate(
    (canvas: HTMLCanvasElement, [x, y]) => {
      const ctx = canvas.getContext('2d')!;
      const d = ctx.getImageData(Math.floor(canvas.width * x), Math.floor(canvas.height * y), 1, 1).data;
      return [d[0], d[1], d[2]];
    },
    [fx, fy],
  );
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

async function expectScreenColour(hex: string): Promise<void> {
  const want = rgb(hex);
  await expect
    .poll(async () => {
      const got = await canvasPixel(0.5, 0.5);
      return got.every((v, i) => Math.abs(v - want[i]) <= 6) ? 'match' : `rgb(${got.join(', ')})`;
    }, { timeout: 15_000 })
    .toBe('match');
  // the whole screen, not a stray pixel
  for (const [x, y] of [[0.1, 0.1], [0.9, 0.2], [0.2, 0.9], [0.8, 0.8]]) {
    const got = await canvasPixel(x, y);
    expect(got.every((v, i) => Math.abs(v - want[i]) <= 6), `pixel at ${x},${y} is rgb(${got.join(', ')})`).toBe(true);
  }
}

/** The xterm screen as trimmed lines. */
async function terminalLines(): Promise<string[]> {
  return page.getByTestId('console-terminal').locator('.xterm-rows > div').evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').trim()));
}

async function openConsoleOf(serverId: string, name: string): Promise<void> {
  await search(page, name);
  await nodeRow(page, serverId, name).click();
  await expect(page.getByTestId('details-title')).toHaveText(name);
  await page.getByTestId('tab-console').click();
}

test('a XenServer VM’s screen in the Console tab, and back after its console drops', async () => {
  await addServer(page, { type: 'xenserver', name: 'Console pool', host: xapi.host, port: xapi.port, user: 'root', password: 'password', fingerprint256: xapi.fingerprint256 });
  const serverId = await serverIdOf(stack, 'Console pool');
  const running = [...xapi.db.records('VM').values()].find((v) => v.power_state === 'Running' && !v.is_control_domain && !v.is_a_template)!;
  await openConsoleOf(serverId, String(running.name_label));
  const view = page.getByTestId('graphical-console');
  await expect(view).toHaveAttribute('data-phase', 'connected');
  await expectScreenColour(XAPI_COLOR);
  await shot(page, 'console-xenserver');

  // the VM reboots: its VNC server goes away; the tab reconnects with a new ticket on its own
  const before = relay.requests.length;
  relay.dropAll();
  await expect(view).toHaveAttribute('data-phase', /reconnecting|opening/);
  await expect(view).toHaveAttribute('data-phase', 'connected', { timeout: 15_000 });
  expect(relay.requests.length).toBeGreaterThan(before);
  await expectScreenColour(XAPI_COLOR);

  // leaving the tab parks the console, still connected (consoles-interaction.spec.ts: kept and closed)
  const connects = relay.requests.length;
  await page.getByTestId('tab-general').click();
  await expect(page.getByTestId('graphical-console')).toHaveCount(0);
  expect(relay.open).toBe(1);
  expect(relay.requests.length).toBe(connects);
});

test('a halted VM’s Console tab says it is not running', async () => {
  const serverId = await serverIdOf(stack, 'Console pool');
  const halted = [...xapi.db.records('VM').values()].find((v) => v.power_state === 'Halted' && !v.is_control_domain && !v.is_a_template && !v.is_a_snapshot)!;
  await openConsoleOf(serverId, String(halted.name_label));
  await expect(page.getByTestId('console-stopped')).toBeVisible();
  await expect(page.getByTestId('graphical-console')).toHaveAttribute('data-phase', 'stopped');
});

test('a Proxmox VM’s screen (VNC password handled by the app, never by the page)', async () => {
  await search(page, ''); // the tree shows every server again
  await addServer(page, { type: 'proxmox', name: 'PVE', host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
  const serverId = await serverIdOf(stack, 'PVE');
  await openConsoleOf(serverId, 'server1');
  await expect(page.getByTestId('graphical-console')).toHaveAttribute('data-phase', 'connected');
  await expectScreenColour(PVE_COLOR);
  await shot(page, 'console-proxmox');
  // the Text console of the same VM: a termproxy shell
  await page.getByTestId('console-kind-text').check();
  await expect(page.getByTestId('text-console')).toHaveAttribute('data-phase', 'connected');
  await page.getByTestId('console-terminal').click();
  // type only once the shell has prompted: typed too early, the echo and the prompt share a line
  await expect.poll(async () => (await terminalLines()).some((l) => /^\$\s*$/.test(l.trim())), { timeout: 20_000 }).toBe(true);
  await page.keyboard.type("echo pve''-$((6*7))\n");
  await expect.poll(terminalLines).toContain('pve-42');

  // a Chinese input method: composing shows pinyin, committing sends the characters (UTF-8) to the shell
  const cdp = await page.context().newCDPSession(page);
  await page.keyboard.type("echo ime-'");
  for (const typed of ['n', 'ni', 'nih', 'niha', 'nihao']) await cdp.send('Input.imeSetComposition', { text: typed, selectionStart: typed.length, selectionEnd: typed.length });
  // the terminal shows what is being composed, and sends nothing yet
  await expect(page.locator('.xterm .composition-view.active')).toHaveText('nihao');
  await cdp.send('Input.imeSetComposition', { text: '你好', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '你好' });
  await expect(page.locator('.xterm .composition-view.active')).toHaveCount(0);
  await page.keyboard.type("'\n");
  await expect.poll(terminalLines).toContain('ime-你好');
  await cdp.detach();
});

test('a Docker container’s terminal: type a command, see its output', async () => {
  test.skip(requirePeer(dockerUnavailable), `no real Docker engine here: ${dockerUnavailable}`);
  await search(page, ''); // the tree shows every server again
  await addServer(page, { type: 'docker', name: 'Engine', socketPath: dockerd!.socketPath });
  const serverId = await serverIdOf(stack, 'Engine');
  await openConsoleOf(serverId, 'console-box');
  const term = page.getByTestId('text-console');
  await expect(term).toHaveAttribute('data-phase', 'connected');
  await expect(page.getByTestId('console-shell')).toHaveValue('/bin/sh');
  await page.getByTestId('console-terminal').click();
  await expect.poll(async () => (await terminalLines()).some((l) => /[#$]\s*$/.test(l.trim())), { timeout: 20_000 }).toBe(true);
  await page.keyboard.type("echo he''llo\n");
  await expect.poll(terminalLines).toContain('hello');
  // the terminal follows the tab's size: the TTY has the xterm's rows and columns (more than the 80×24 it starts with)
  await page.keyboard.type('stty size\n');
  await expect.poll(async () => (await terminalLines()).find((l) => /^\d+ \d+$/.test(l)) ?? '').toMatch(/^\d+ \d+$/);
  const [rowsSeen, colsSeen] = (await terminalLines()).find((l) => /^\d+ \d+$/.test(l))!.split(' ').map(Number);
  expect(colsSeen).toBeGreaterThan(80);
  expect(rowsSeen).toBeGreaterThan(5);
  await shot(page, 'console-docker-terminal');
});

test('a console URL works once, and only from the app’s own page', async () => {
  const serverId = await serverIdOf(stack, 'Console pool');
  const vm = (await stack.core.invoke('inventory:get')).find((n) => n.serverId === serverId && n.kind === 'vm' && n.state === 'running' && !n.controlDomain)!;
  const origin = new URL(stack.url).origin;
  const attempt = (url: string, from: string) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(url, { origin: from });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.once('error', () => resolve('error'));
    });
  const ticket = await stack.core.invoke('console:open', vm.id, 'rfb');
  expect(await attempt(ticket.url, 'http://evil.example')).toBe('403');
  expect(await attempt(ticket.url, origin)).toBe('open');
  expect(await attempt(ticket.url, origin)).toBe('403');
});
