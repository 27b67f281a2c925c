// The demo lab's consoles (issue 19 item 1), with the demo's own pieces: its XenServer
// pool member (Tampa pool database, Xvnc and a shell on a pty behind the simulator's
// console relay) and its Proxmox VE member (Xvnc with VNC authentication, termproxy
// shell), saved and trusted as `npm run demo` does. The graphical consoles are drawn
// by noVNC and checked pixel by pixel against the colour of each member's own Xvnc;
// the text consoles run typed commands. A console that cannot be reached says so in
// a sentence of the user's language, never with a raw HTTP status line.
import { expect, test, type Page } from '@playwright/test';
import type { LabMember, RunningPeer } from '../demo/demo';
import { prepareLabConsoles, type LabConsoles } from '../demo/lab-consoles';
import { proxmoxCluster, xapiPool } from '../demo/lab-members';
import { saveLabServer, trustLabServer } from '../demo/lab-profile';
import { requirePeer } from '../peers/require-peer';
import { unavailableReason } from '../peers/programs';
import { nodeRow, search, serverIdOf } from './app-driver';
import { openApp, sharedFixtures, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const consolePeersMissing = unavailableReason(['/usr/bin/Xvnc', 'xsetroot', 'vncpasswd', '/usr/bin/python3']);
const LOGIN = { username: 'root', password: 'demo-e2e-pw' };
/** running PV guests of the Tampa pool database: a graphical and a text (vt100) console each */
const XAPI_VM = '16local';
/** a running VM of the recorded Proxmox VE cluster */
const PVE_VM = 'server1';

let stack: Stack;
let page: Page;
let labConsoles: LabConsoles;
const notes: string[] = [];
let xapi: RunningPeer;
let pve: RunningPeer;

/** Saves and trusts a lab member as the demo does. */
async function saveAsDemo(member: LabMember, peer: RunningPeer): Promise<void> {
  const view = await trustLabServer(stack.core, peer, await saveLabServer(stack.core, member, peer));
  expect(view.state).toBe('connected');
}

test.beforeAll(async ({ browser }) => {
  test.skip(requirePeer(consolePeersMissing), `no VNC server or pty here: ${consolePeersMissing}`);
  labConsoles = prepareLabConsoles((line) => notes.push(line));
  const xapiMember = xapiPool('Demo XenServer pool', LOGIN, { fixturesDir: sharedFixtures, fixture: 'tampa-poolof16and23-xapi-db.xml' });
  const pveMember = proxmoxCluster('Demo Proxmox VE', LOGIN);
  [stack, xapi, pve] = await Promise.all([startStack(), xapiMember.start(0, { consoles: labConsoles }), pveMember.start(0, { consoles: labConsoles })]);
  expect(notes).toEqual([]);
  await saveAsDemo(xapiMember, xapi);
  await saveAsDemo(pveMember, pve);
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xapi?.stop(), pve?.stop()]);
  await labConsoles?.stop();
});

async function canvasPixel(fx: number, fy: number): Promise<number[]> {
  return page.getByTestId('console-screen').locator('canvas').evaluate(
    (canvas: HTMLCanvasElement, [x, y]) => {
      const d = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width * x), Math.floor(canvas.height * y), 1, 1).data;
      return [d[0], d[1], d[2]];
    },
    [fx, fy],
  );
}

/** The whole screen is the member's Xvnc colour (not a stray pixel, not another member's). */
async function expectScreen(hex: string): Promise<void> {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const near = (got: number[]) => got.every((v, i) => Math.abs(v - want[i]) <= 6);
  await expect.poll(async () => (near(await canvasPixel(0.5, 0.5)) ? 'match' : 'other'), { timeout: 20_000 }).toBe('match');
  for (const [x, y] of [[0.1, 0.1], [0.9, 0.2], [0.2, 0.9], [0.8, 0.8]]) expect(near(await canvasPixel(x, y)), `pixel at ${x},${y}`).toBe(true);
}

async function terminalLines(): Promise<string[]> {
  return page.getByTestId('console-terminal').locator('.xterm-rows > div').evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').trim()));
}

async function openConsoleOf(serverName: string, vm: string): Promise<void> {
  const serverId = await serverIdOf(stack, serverName);
  await search(page, vm);
  await nodeRow(page, serverId, vm).click();
  await expect(page.getByTestId('details-title')).toHaveText(vm);
  await page.getByTestId('tab-console').click();
}

async function typeAndSee(command: string, expected: string): Promise<void> {
  await expect(page.getByTestId('text-console')).toHaveAttribute('data-phase', 'connected');
  // the lab's shell is ready once its prompt shows
  await expect.poll(async () => (await terminalLines()).some((l) => l.startsWith('demo$')), { timeout: 20_000 }).toBe(true);
  await page.getByTestId('console-terminal').click();
  await page.keyboard.type(command);
  await expect.poll(terminalLines, { timeout: 20_000 }).toContain(expected);
}

test('XenServer: the pool’s own screen in the graphical console, and a shell in the text console', async () => {
  expect(xapi.screen).toBeDefined();
  await openConsoleOf('Demo XenServer pool', XAPI_VM);
  await expect(page.getByTestId('graphical-console')).toHaveAttribute('data-phase', 'connected');
  await expectScreen(xapi.screen!.color);
  await shot(page, 'demo-console-xenserver');
  await page.getByTestId('console-kind-text').check();
  await typeAndSee("echo xen''-$((6*7))\n", 'xen-42');
  await shot(page, 'demo-console-xenserver-text');
});

test('Proxmox VE: the cluster’s own screen (VNC password handled by the app), and a termproxy shell', async () => {
  expect(pve.screen).toBeDefined();
  expect(pve.screen!.color).not.toBe(xapi.screen!.color);
  await search(page, '');
  await openConsoleOf('Demo Proxmox VE', PVE_VM);
  await page.getByTestId('console-kind-rfb').check();
  await expect(page.getByTestId('graphical-console')).toHaveAttribute('data-phase', 'connected');
  await expectScreen(pve.screen!.color);
  await shot(page, 'demo-console-proxmox');
  await page.getByTestId('console-kind-text').check();
  await typeAndSee("echo pve''-$((6*7))\n", 'pve-42');
  // the shell's environment is its own, not the demo's
  await page.keyboard.type('echo "[${POLYVISOR_HOME:-clean}]"\n');
  await expect.poll(terminalLines).toContain('[clean]');
});

test('a console that cannot be reached says why in the user’s language, without an HTTP status line', async () => {
  await search(page, '');
  await xapi.screen!.stop(); // the pool's VNC server goes away: the host cannot reach the VM's console
  await openConsoleOf('Demo XenServer pool', XAPI_VM);
  await page.getByTestId('console-kind-rfb').check();
  const lead = page.getByTestId('console-error-lead');
  await expect(lead).toHaveText('The server did not open the console.', { timeout: 20_000 });
  const message = page.getByTestId('graphical-console').locator('.console-message');
  await expect(message).toContainText('The host could not reach the VM');
  await expect(message).not.toContainText(/HTTP\/1\.[01]/);
  await shot(page, 'demo-console-error-en');
  await stack.core.invoke('settings:set', { language: 'zh-CN' });
  await expect(lead).toHaveText('服务器未打开控制台。');
  await shot(page, 'demo-console-error-zh');
  await stack.core.invoke('settings:set', { language: 'system' });
});
