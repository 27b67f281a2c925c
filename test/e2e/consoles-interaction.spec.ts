// Working in a graphical console (issue 18), against a real Xvnc behind the XAPI simulator,
// each effect read back inside the guest's own X session (test/peers/x-session.ts):
// the clipboard both ways (xclip), keys the local OS keeps and a German key sent as a
// scancode (xev on the guest's root window), full screen, and a console that stays
// connected while another VM is shown (CONNECTs counted at the simulator).
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { requirePeer } from '../peers/require-peer';
import { startVncServer, type VncServer } from '../peers/vnc';
import { guestClipboard, setGuestClipboard, setGuestKeyboardLayout, startKeyLogger, xSessionUnavailableReason, type KeyLogger } from '../peers/x-session';
import { startXapiSimulator, type XapiSimulator, type XapiSimulatorHooks } from '../sim/xapi/index';
import { installConsoleRelay, type ConsoleRelay } from '../sim/xapi/console-relay';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const xUnavailable = xSessionUnavailableReason();

let stack: Stack;
let context: BrowserContext;
let page: Page;
let xapi: XapiSimulator & XapiSimulatorHooks;
let relay: ConsoleRelay;
let xvnc: VncServer;
let keys: KeyLogger | undefined;
let serverId: string;
let running: string[];

test.beforeAll(async ({ browser }) => {
  test.skip(requirePeer(xUnavailable), `the guest's X tools are missing: ${xUnavailable}`);
  [stack, xapi, xvnc] = await Promise.all([
    startStack(),
    startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 0, allRunning: true }, poolName: 'Console pool' }),
    startVncServer({ width: 800, height: 600, color: '#2060c0', scancodes: true }),
  ]);
  relay = installConsoleRelay(xapi, { rfb: { host: xvnc.host, port: xvnc.port } });
  running = [...xapi.db.records('VM').values()]
    .filter((v) => v.power_state === 'Running' && !v.is_control_domain && !v.is_a_template && !v.is_a_snapshot)
    .map((v) => String(v.name_label))
    .sort();
  context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: 'Console pool', host: xapi.host, port: xapi.port, user: 'root', password: 'password', fingerprint256: xapi.fingerprint256 });
  serverId = await serverIdOf(stack, 'Console pool');
});

test.afterAll(async () => {
  await keys?.stop();
  await context?.close();
  await stack?.close();
  await Promise.allSettled([xapi?.stop(), xvnc?.stop()]);
});

async function openConsoleOf(name: string): Promise<void> {
  await search(page, name);
  await nodeRow(page, serverId, name).click();
  await expect(page.getByTestId('details-title')).toHaveText(name);
  await page.getByTestId('tab-console').click();
  await expect(page.getByTestId('graphical-console')).toHaveAttribute('data-phase', 'connected');
}

const connects = () => relay.requests.filter((r) => r.status === 200).length;

test('the clipboard both ways: copied in the guest → the page; the page’s → the guest', async () => {
  expect(running.length).toBeGreaterThanOrEqual(2);
  await openConsoleOf(running[0]);
  await expect(page.getByTestId('console-clipboard')).toBeChecked(); // on by default, as in XenCenter

  // copied on this computer → the guest's clipboard as the console is clicked into
  // (first: a guest's copy announced after the page's text was sent would rightly replace it)
  await page.evaluate(() => navigator.clipboard.writeText('from the page 七'));
  await page.getByTestId('console-screen').locator('canvas').click();
  await expect.poll(() => guestClipboard(xvnc.display), { timeout: 30_000 }).toBe('from the page 七');

  // copied inside the guest (its X session's CLIPBOARD selection) → the OS clipboard
  setGuestClipboard(xvnc.display, 'from the guest 42');
  await expect(page.getByTestId('console-clipboard-guest')).toContainText('from the guest 42');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('from the guest 42');

  // the switch: off hides what came from the guest (and stops sharing); on again for the next tests
  await page.getByTestId('console-clipboard').uncheck();
  await expect(page.getByTestId('console-clipboard-guest')).toBeHidden();
  await page.getByTestId('console-clipboard').check();
});

test('Ctrl+Alt+Del, Ctrl+Alt+F2 from the key menu, and a German key as its scancode reach the guest', async () => {
  await openConsoleOf(running[0]);
  // the guest's own layout is German; its X server does not switch VTs on Ctrl+Alt+Fn, so xev sees them
  setGuestKeyboardLayout(xvnc.display, 'de', ['srvrkeys:none']);
  keys = await startKeyLogger(xvnc.display);
  const pressed = () => keys!.events.filter((e) => e.type === 'KeyPress').map((e) => e.keysym);

  await page.getByTestId('console-cad').click();
  await expect.poll(pressed).toEqual(['Control_L', 'Alt_L', 'Delete']);

  keys.events.length = 0;
  await page.getByTestId('console-keys').click();
  await shot(page, 'console-key-menu');
  await page.getByTestId('console-key-ctrl-alt-f2').click();
  // by key (evdev keycodes Control_L 37, Alt_L 64, F2 68): with Ctrl+Alt held the guest's layout names F2 XF86Switch_VT_2
  const codes = (type: string) => keys!.events.filter((e) => e.type === type).map((e) => e.keycode);
  await expect.poll(() => codes('KeyPress')).toEqual([37, 64, 68]);
  await expect.poll(() => codes('KeyRelease')).toEqual([68, 64, 37]);

  // the key right of L on a US keyboard: ';' by its keysym, 'ö' on the guest's German layout by its place
  keys.events.length = 0;
  await page.getByTestId('console-screen').locator('canvas').click();
  await page.keyboard.press('Semicolon');
  await expect.poll(pressed).toEqual(['odiaeresis']);
  // and 'z' is where a German keyboard has 'y'
  keys.events.length = 0;
  await page.keyboard.press('KeyZ');
  await expect.poll(pressed).toEqual(['y']);
  await keys.stop();
  keys = undefined;
  setGuestKeyboardLayout(xvnc.display, 'us');
});

test('full screen puts the console’s frame in full screen', async () => {
  await openConsoleOf(running[0]);
  await page.getByTestId('console-fullscreen').click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.className ?? null)).toContain('console-frame');
  expect(await page.evaluate(() => !!document.fullscreenElement?.querySelector('canvas'))).toBe(true);
  await page.evaluate(() => document.exitFullscreen());
  await expect.poll(() => page.evaluate(() => document.fullscreenElement)).toBeNull();
});

/** The colour in the middle of a page's console screen, '#rrggbb'. */
async function screenColour(on: Page): Promise<string> {
  return on.getByTestId('console-screen').locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const d = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data;
    return '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0')).join('');
  });
}

test('a console detached into a window of its own shows the guest over a connection of its own', async () => {
  for (const variant of [{ tag: 'en', settings: {} }, { tag: 'zh-dark', settings: { language: 'zh-CN', theme: 'dark' } }] as const) {
    if (variant.tag !== 'en') await stack.core.invoke('settings:set', variant.settings);
    await openConsoleOf(running[0]);
    const before = connects();
    const openBefore = relay.open;
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('console-detach').click()]);
    await expect(popup.getByTestId('detached-console-title')).toHaveText(running[0]);
    await expect(popup.getByTestId('graphical-console')).toHaveAttribute('data-phase', 'connected');
    await expect.poll(() => screenColour(popup)).toBe(xvnc.color);
    // its own console at the server, besides the tab's; the one-time ticket is gone from its address
    expect(connects()).toBe(before + 1);
    expect(relay.open).toBe(openBefore + 1);
    expect(popup.url()).not.toContain('detached-console');
    await expect(popup.getByTestId('console-detach')).toHaveCount(0);
    if (variant.tag !== 'en') await expect(popup.getByTestId('console-fullscreen')).toHaveText('全屏');
    await shot(popup, `console-detached-${variant.tag}`);
    await popup.close();
    await expect.poll(() => relay.open).toBe(openBefore);
  }
  await stack.core.invoke('settings:set', { language: 'en', theme: 'light' });
});

test('a console stays connected while another VM is shown, and is back without reconnecting', async () => {
  await openConsoleOf(running[0]);
  const before = connects();
  await openConsoleOf(running[1]);
  expect(connects()).toBe(before + 1);
  expect(relay.open).toBe(2); // the first one parked, still connected
  await openConsoleOf(running[0]);
  await expect(page.getByTestId('graphical-console')).toHaveAttribute('data-connections', '1');
  expect(connects()).toBe(before + 1);
  expect(relay.open).toBe(2);

  // Settings: keep none → a console closes as soon as its tab does
  await page.getByTestId('tb-settings').click();
  await page.getByTestId('settings-consoles-kept').fill('0');
  await page.getByTestId('settings-close').click();
  await expect.poll(() => relay.open).toBe(1);
  await page.getByTestId('tab-general').click();
  await expect.poll(() => relay.open).toBe(0);
  expect((await stack.core.invoke('app:info')).settings.consolesKept).toBe(0);
});

test('the console follows its VM to another host: the simulator sees the next CONNECT while it runs there', async () => {
  // a VM whose disks are all on shared storage can move within the pool
  const movable = [...xapi.db.records('VM')].find(([ref, v]) =>
    running.includes(String(v.name_label)) &&
    [...xapi.db.records('VBD').values()].filter((b) => b.VM === ref && b.type === 'Disk').every((b) => xapi.db.get('SR', String(xapi.db.get('VDI', String(b.VDI))?.SR))?.shared === true),
  )!;
  const [vmRef, vmRecord] = movable;
  const from = String(vmRecord.resident_on);
  const to = [...xapi.db.records('host').keys()].find((h) => h !== from)!;
  await openConsoleOf(String(vmRecord.name_label));
  const view = page.getByTestId('graphical-console');
  const connections = Number(await view.getAttribute('data-connections'));
  const before = connects();
  expect(relay.requests.filter((r) => r.status === 200).at(-1)).toMatchObject({ vm: vmRef, host: from });

  const vm = (await stack.core.invoke('inventory:get')).find((n) => n.serverId === serverId && n.nativeRef === vmRef)!;
  const [task] = await stack.core.invoke('actions:run', { nodeIds: [vm.id], action: 'migrate', params: { targetId: `${serverId}:host:${to}` } });
  expect((await stack.core.waitForTask(task.id)).status).toBe('success');
  expect(xapi.db.get('VM', vmRef)!.resident_on).toBe(to);

  // the old domain's console ended; the tab connected again, to the VM where it runs now — once
  await expect(view).toHaveAttribute('data-connections', String(connections + 1), { timeout: 20_000 });
  await expect(view).toHaveAttribute('data-phase', 'connected');
  expect(relay.requests.filter((r) => r.status === 200).at(-1)).toMatchObject({ vm: vmRef, host: to });
  expect(connects()).toBe(before + 1);
  expect(relay.open).toBe(1);
  await shot(page, 'console-after-migration');
});

test('console thumbnails of a host: one live, view-only screen per running VM, closed out of sight; a click opens that console', async () => {
  // the simulator's own view: the host that runs the most VMs now (the move above changed the count), and its VMs
  const runningOn = (hostRef: string) => [...xapi.db.records('VM').values()].filter((v) => v.resident_on === hostRef && v.power_state === 'Running' && !v.is_control_domain);
  const [, host] = [...xapi.db.records('host')].sort(([a], [b]) => runningOn(b).length - runningOn(a).length)[0];
  const onHost = runningOn([...xapi.db.records('host')].find(([, h]) => h === host)![0]);
  expect(onHost.length).toBeGreaterThanOrEqual(3);
  await search(page, '');
  // a low window with the Tasks panel folded: the details pane shows the thumbnails' first row only
  await page.getByTestId('tasks-panel').locator('.panel-toggle').click();
  await page.setViewportSize({ width: 900, height: 370 });
  await nodeRow(page, serverId, String(host.name_label)).click();
  await page.getByTestId('tab-consoles').click();
  const thumbs = page.getByTestId('console-thumb');
  await expect(thumbs).toHaveCount(onHost.length);
  await expect(thumbs.locator('.console-thumb-name')).toHaveText(onHost.map((v) => String(v.name_label)).sort());
  const phases = () => thumbs.evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-phase')));
  // the low window shows the first row only (two a row): the others stay closed, and the simulator has one console per shown thumbnail
  await expect.poll(async () => (await phases()).filter((p) => p === 'connected').length).toBeGreaterThan(0);
  const firstSight = await phases();
  expect(firstSight.filter((p) => p === 'paused').length, firstSight.join(' ')).toBeGreaterThan(0);
  await expect.poll(async () => relay.open).toBe((await phases()).filter((p) => p === 'connected').length);
  await thumbs.last().scrollIntoViewIfNeeded();
  await expect(thumbs.last()).toHaveAttribute('data-phase', 'connected');
  await expect.poll(async () => relay.open).toBe((await phases()).filter((p) => p === 'connected').length);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('tasks-panel').locator('.panel-toggle').click();
  await expect.poll(async () => (await phases()).every((p) => p === 'connected')).toBe(true);
  expect(relay.open).toBe(onHost.length);
  // the guest's screen in a thumbnail, once its first picture has arrived
  const thumbColour = () =>
    thumbs.first().locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const d = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data;
      return '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0')).join('');
    });
  await expect.poll(thumbColour).toBe(xvnc.color);
  await shot(page, 'console-thumbnails-en');
  await stack.core.invoke('settings:set', { language: 'zh-CN', theme: 'dark' });
  await expect(page.getByTestId('tab-consoles')).toHaveText('控制台缩略图');
  await shot(page, 'console-thumbnails-zh-dark');
  await stack.core.invoke('settings:set', { language: 'en', theme: 'light' });

  // a click opens that VM's console; the thumbnails' consoles close with their tab
  const name = await thumbs.nth(1).locator('.console-thumb-name').textContent();
  await thumbs.nth(1).click();
  await expect(page.getByTestId('details-title')).toHaveText(name!);
  await expect(page.getByTestId('graphical-console')).toHaveAttribute('data-phase', 'connected');
  await expect.poll(() => relay.open).toBe(1);
});
