// The Electron shell: one window, the menu, the security policy and the IPC
// wiring to the core. Everything else lives in electron/core (plain Node).
// With preload.ts, the only file that imports 'electron'.

import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import { EVENTS, isChannel, type Channel, type Reply, type Settings } from '../shared/contract';
import { PolyvisorError, toErrorInfo } from '../shared/errors';
import { createCore } from './core/core';
import { resolveHome } from './core/profile';
import { KeyringSecretStore } from './core/secrets/keyring-secret-store';
import { BridgeConsoleBroker } from './core/console/broker';
import { CONTENT_SECURITY_POLICY } from './web/csp';
import { contentTypeFor, resolveStaticFile } from './web/static';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc';

const APP_SCHEME = 'app';
const APP_HOST = 'polyvisor';
const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '..', 'dist-renderer');
/** from our package.json: app.getVersion() names Electron's own version when started as `electron main.js` */
const version = readVersion();

app.setName('Polyvisor');
app.setPath('userData', resolveHome());

// The renderer is served from app://polyvisor/ rather than file://: a real
// origin for 'self' in the CSP and for checking who sends IPC, and no file-system reach.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  main().catch((e: unknown) => {
    dialog.showErrorBox('Polyvisor could not start', toErrorInfo(e).message);
    app.exit(1);
  });
}

type Core = Awaited<ReturnType<typeof createCore>>;

async function main(): Promise<void> {
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  await app.whenReady();

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  protocol.handle(APP_SCHEME, serveRenderer);

  const consoles = new BridgeConsoleBroker();
  consoles.allowOrigin(`${APP_SCHEME}://${APP_HOST}`);
  const core = await createCore({ home: app.getPath('userData'), secrets: new KeyringSecretStore(), mode: 'electron', version, console: consoles });
  registerIpc(core);
  let window = createWindow();
  // reconnecting saved servers can take a while: the window does not wait for it
  void core.start();
  const settings = (await core.invoke('app:info')).settings;
  Menu.setApplicationMenu(buildMenu(core, () => window, settings));
  core.on('settings:changed', (s) => Menu.setApplicationMenu(buildMenu(core, () => window, s)));

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    void core.stop().finally(() => app.quit());
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    title: 'Polyvisor',
    show: false,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // defence in depth: middle-click cannot open windows (Electronegativity AUXCLICK_JS_CHECK)
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}

/** Applied to every web contents the app ever creates. */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

async function serveRenderer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
  const file = await resolveStaticFile(rendererDir, url.pathname);
  if (file === null || file === 'forbidden') return new Response('Not found', { status: 404 });
  return new Response(await readFile(file), {
    headers: { 'content-type': contentTypeFor(file), 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
  });
}

function registerIpc(core: Core): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, channel: unknown, args: unknown): Promise<Reply<unknown>> => {
    try {
      if (!isAppUrl(event.senderFrame?.url)) {
        throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'IPC from a page that is not Polyvisor was refused' });
      }
      if (!isChannel(channel)) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Unknown channel ${String(channel)}` });
      if (!Array.isArray(args)) throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'args must be an array' });
      const invoke = core.invoke as (channel: Channel, ...args: unknown[]) => Promise<unknown>;
      return { ok: true, value: await invoke.call(core, channel, ...args) };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  });
  for (const name of EVENTS) {
    core.on(name, (payload) => {
      for (const window of BrowserWindow.getAllWindows()) {
        if (!window.isDestroyed() && isAppUrl(window.webContents.getURL())) window.webContents.send(EVENT_CHANNEL, name, payload);
      }
    });
  }
}

function buildMenu(core: Core, window: () => BrowserWindow, settings: Settings): Menu {
  const setSettings = (changes: Partial<Settings>) => void core.invoke('settings:set', changes).catch((e) => showError(window(), e));
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'Add Server…',
          accelerator: 'CmdOrCtrl+N',
          click: () => window().webContents.send(EVENT_CHANNEL, 'menu:command', { command: 'add-server' }),
        },
        { type: 'separator' },
        { label: 'Import Server List…', click: () => void importServers(core, window()) },
        { label: 'Export Server List…', click: () => void exportServers(core, window()) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', label: 'E&xit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { label: 'Show Templates', type: 'checkbox', checked: settings.showTemplates, click: (item) => setSettings({ showTemplates: item.checked }) },
        {
          label: 'Theme',
          submenu: (['system', 'light', 'dark'] as const).map((theme) => ({
            label: theme === 'system' ? 'Follow System' : theme === 'light' ? 'Light' : 'Dark',
            type: 'radio' as const,
            checked: settings.theme === theme,
            click: () => setSettings({ theme }),
          })),
        },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    {
      label: '&Help',
      submenu: [
        {
          label: 'About Polyvisor',
          click: () =>
            void dialog.showMessageBox(window(), {
              type: 'info',
              title: 'About Polyvisor',
              message: `Polyvisor ${version}`,
              detail: `One desktop client for XenServer/XCP-ng, Proxmox VE, VMware vSphere and Docker.\nElectron ${process.versions.electron}, Node ${process.versions.node}\nProfile: ${app.getPath('userData')}`,
            }),
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}

async function importServers(core: Core, window: BrowserWindow): Promise<void> {
  const result = await dialog.showOpenDialog(window, {
    title: 'Import Server List',
    filters: [{ name: 'Server lists', extensions: ['json', 'config', 'xml'] }, { name: 'All files', extensions: ['*'] }],
    properties: ['openFile'],
  });
  if (result.canceled || result.filePaths.length === 0) return;
  try {
    const { added, skipped } = await core.invoke('servers:import', await readFile(result.filePaths[0], 'utf8'));
    await dialog.showMessageBox(window, { type: 'info', message: `Imported ${added} server(s)`, detail: skipped ? `${skipped} already saved or unreadable: skipped.` : undefined });
  } catch (e) {
    showError(window, e);
  }
}

async function exportServers(core: Core, window: BrowserWindow): Promise<void> {
  const result = await dialog.showSaveDialog(window, {
    title: 'Export Server List (without passwords)',
    defaultPath: 'polyvisor-servers.json',
    filters: [{ name: 'Server lists', extensions: ['json'] }],
  });
  if (result.canceled || !result.filePath) return;
  try {
    await writeFile(result.filePath, await core.invoke('servers:export'), 'utf8');
  } catch (e) {
    showError(window, e);
  }
}

function showError(window: BrowserWindow, e: unknown): void {
  const info = toErrorInfo(e);
  void dialog.showMessageBox(window, { type: 'error', message: info.message, detail: info.serverCode ? `${info.code} ${info.serverCode}` : info.code });
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(here, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return app.getVersion();
  }
}
