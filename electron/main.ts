// The Electron shell: one window, the menu, the security policy and the IPC
// wiring to the core. Everything else lives in electron/core (plain Node).
// With preload.ts, the only file that imports 'electron'.

import { readFile } from 'node:fs/promises';
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
import { EVENTS, type MenuItemModel, type MenuModel, type Reply } from '../shared/contract';
import { PolyvisorError, toErrorInfo } from '../shared/errors';
import { parseDetachedConsoleHash } from '../shared/detached-console';
import type { PolyvisorCore } from './core/app-core';
import { RemoteCore } from './core/host/remote-core';
import { resolveHome } from './core/profile';
import { readAppVersion } from './core/util/app-version';
import { utilityCoreProcess } from './main-core-process';
import { desktopLinkOpener } from './main-viewers';
import { showAlertsOnDesktop } from './main-notifications';
import { CONTENT_SECURITY_POLICY } from './web/csp';
import { contentTypeFor, resolveStaticFile } from './web/static';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc';

const APP_SCHEME = 'app';
const APP_HOST = 'polyvisor';
const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
/** the only permissions a page gets: graphical consoles share the clipboard with the guest */
const CLIPBOARD_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-read', 'clipboard-sanitized-write']);

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '..', 'dist-renderer');
/** from our package.json: app.getVersion() names Electron's own version when started as `electron main.js` */
const version = readAppVersion(app.getVersion());

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

type Core = PolyvisorCore;

async function main(): Promise<void> {
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  await app.whenReady();

  // the clipboard only, for the app's own pages (graphical consoles share it with the guest)
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => callback(CLIPBOARD_PERMISSIONS.has(permission) && isAppUrl(details.requestingUrl)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => CLIPBOARD_PERMISSIONS.has(permission) && isAppUrl(origin));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  protocol.handle(APP_SCHEME, serveRenderer);

  // the core (providers, their I/O and parsing, the keychain, the console bridge) runs in a utility process
  const core = await RemoteCore.start({
    launch: utilityCoreProcess(here),
    init: { mode: 'electron', home: app.getPath('userData'), version, consoleOrigins: [`${APP_SCHEME}://${APP_HOST}`] },
    links: desktopLinkOpener(),
    hostHandlers: { 'menu:update': (model) => Menu.setApplicationMenu(buildMenu(model)) },
    log: (level, message) => console[level === 'info' ? 'log' : level](message),
  });
  registerIpc(core);
  showAlertsOnDesktop(core, (message) => console.warn(message));
  Menu.setApplicationMenu(buildMenu(STARTUP_MENU));
  let window = createWindow();
  // reconnecting saved servers can take a while: the window does not wait for it
  void core.start();

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
    webPreferences: hardenedWebPreferences(),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}

/** Every window of the app: the main one and detached consoles. */
function hardenedWebPreferences(): Electron.WebPreferences {
  return {
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
  };
}

/** Applied to every web contents the app ever creates. */
function lockDown(contents: WebContents): void {
  // the one window a page may open: a detached console, the app's own page with a one-time console ticket
  contents.setWindowOpenHandler(({ url }) =>
    isAppUrl(url) && parseDetachedConsoleHash(new URL(url).hash)
      ? { action: 'allow', overrideBrowserWindowOptions: { width: 1024, height: 800, title: 'Polyvisor', webPreferences: hardenedWebPreferences() } }
      : { action: 'deny' },
  );
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
      return { ok: true, value: await core.dispatch(channel, args) };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  });
  for (const name of EVENTS) {
    core.on(name, (payload) => sendToPages(name, payload));
  }
}

function sendToPages(name: string, payload: unknown): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed() && isAppUrl(window.webContents.getURL())) window.webContents.send(EVENT_CHANNEL, name, payload);
  }
}

/** Until the renderer sends its localized menu (built from its command registry): the same commands, in English. */
const STARTUP_MENU: MenuModel = {
  menus: [
    {
      label: '&File',
      items: [
        { kind: 'command', id: 'add-server', label: 'Add Server…', enabled: true, accelerator: 'CmdOrCtrl+N' },
        { kind: 'separator' },
        { kind: 'role', role: process.platform === 'darwin' ? 'close' : 'quit' },
      ],
    },
    { label: '&Edit', items: [{ kind: 'role', role: 'editMenu' }] },
    { label: '&View', items: [{ kind: 'role', role: 'resetZoom' }, { kind: 'role', role: 'zoomIn' }, { kind: 'role', role: 'zoomOut' }, { kind: 'role', role: 'togglefullscreen' }] },
  ],
};

/** Draws the native menu from a MenuModel; choosing a command sends its id back to the page. */
function buildMenu(model: MenuModel): Menu {
  const item = (m: MenuItemModel): MenuItemConstructorOptions => {
    switch (m.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'role':
        return isAllowedRole(m.role) ? { role: m.role, ...(m.label ? { label: m.label } : {}) } : { type: 'separator', visible: false };
      case 'submenu':
        return { label: m.label, submenu: m.items.map(item) };
      case 'command':
        return {
          label: m.label,
          enabled: m.enabled,
          accelerator: m.accelerator,
          registerAccelerator: !m.acceleratorDisplayOnly,
          ...(m.checked !== undefined ? { type: m.radio ? ('radio' as const) : ('checkbox' as const), checked: m.checked } : {}),
          click: () => sendToPages('menu:command', { command: m.id }),
        };
    }
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    ...model.menus.map((menu) => ({ label: menu.label, submenu: menu.items.map(item) })),
  ];
  return Menu.buildFromTemplate(template);
}

const ALLOWED_ROLES = new Set(['editMenu', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'quit', 'close', 'minimize', 'about', 'toggleDevTools']);

/** The renderer may name Electron roles, but only harmless ones (devtools only in development builds). */
function isAllowedRole(role: string): role is NonNullable<MenuItemConstructorOptions['role']> {
  return ALLOWED_ROLES.has(role) && (role !== 'toggleDevTools' || !app.isPackaged);
}
