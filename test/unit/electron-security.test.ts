// Static checks of the Electron security policy: parses electron/main.ts and
// electron/preload.ts with the TypeScript compiler and asserts the settings
// that keep a compromised renderer away from Node and from other sites.
// Every check is also run against an insecure sample to prove it can fail.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/web/csp';

const root = path.resolve(__dirname, '../..');

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function calls(source: ts.SourceFile, method: string): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  walk(source, (n) => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === method) found.push(n);
  });
  return found;
}

function property(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
  }
  return undefined;
}

function contains(node: ts.Node, predicate: (n: ts.Node) => boolean): boolean {
  let hit = false;
  walk(node, (n) => {
    if (predicate(n)) hit = true;
  });
  return hit;
}

const isTrue = (e: ts.Expression | undefined) => e?.kind === ts.SyntaxKind.TrueKeyword;
const isFalse = (e: ts.Expression | undefined) => e?.kind === ts.SyntaxKind.FalseKeyword;

/** Problems found in a main-process source; empty when the policy holds. */
export function auditMain(text: string): string[] {
  const source = parse('main.ts', text);
  const problems: string[] = [];

  const windows: ts.NewExpression[] = [];
  walk(source, (n) => {
    if (ts.isNewExpression(n) && n.expression.getText() === 'BrowserWindow') windows.push(n);
  });
  if (windows.length === 0) problems.push('no BrowserWindow is created');
  // webPreferences: an object literal, or a call of a function of this file that returns one (every window the same)
  const literalPrefs = (e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined => {
    if (e && ts.isObjectLiteralExpression(e)) return e;
    if (!e || !ts.isCallExpression(e) || e.arguments.length > 0) return undefined;
    let returned: ts.ObjectLiteralExpression | undefined;
    walk(source, (n) => {
      if (ts.isFunctionDeclaration(n) && n.name?.text === e.expression.getText()) {
        walk(n, (r) => {
          if (ts.isReturnStatement(r) && r.expression && ts.isObjectLiteralExpression(r.expression)) returned = r.expression;
        });
      }
    });
    return returned;
  };
  const prefsOfWindows = windows.map((w) => {
    const options = w.arguments?.[0];
    return options && ts.isObjectLiteralExpression(options) ? literalPrefs(property(options, 'webPreferences')) : undefined;
  });
  // windows a page opens (setWindowOpenHandler 'allow') get their webPreferences from overrideBrowserWindowOptions
  const openedPrefs: Array<ts.ObjectLiteralExpression | undefined> = [];
  walk(source, (n) => {
    if (ts.isObjectLiteralExpression(n) && property(n, 'overrideBrowserWindowOptions')) {
      const options = property(n, 'overrideBrowserWindowOptions');
      openedPrefs.push(options && ts.isObjectLiteralExpression(options) ? literalPrefs(property(options, 'webPreferences')) : undefined);
    }
  });
  for (const prefs of [...prefsOfWindows, ...openedPrefs]) {
    if (!prefs) {
      problems.push('BrowserWindow without a literal webPreferences');
      continue;
    }
    if (!isTrue(property(prefs, 'contextIsolation'))) problems.push('contextIsolation is not true');
    if (!isTrue(property(prefs, 'sandbox'))) problems.push('sandbox is not true');
    if (!isFalse(property(prefs, 'nodeIntegration'))) problems.push('nodeIntegration is not false');
    if (isFalse(property(prefs, 'webSecurity'))) problems.push('webSecurity is turned off');
    if (isTrue(property(prefs, 'allowRunningInsecureContent'))) problems.push('allowRunningInsecureContent is on');
    if (isTrue(property(prefs, 'webviewTag'))) problems.push('webviewTag is on');
  }

  const openHandlers = calls(source, 'setWindowOpenHandler');
  if (openHandlers.length === 0) problems.push('no setWindowOpenHandler');
  for (const c of openHandlers) {
    const handler = c.arguments[0];
    const denies = contains(handler, (n) => ts.isStringLiteral(n) && n.text === 'deny');
    const allows = contains(handler, (n) => ts.isStringLiteral(n) && n.text === 'allow');
    // the one window allowed: a detached console, the app's own page (issue 18) with the same webPreferences (checked above)
    const onlyDetachedConsoles =
      contains(handler, (n) => ts.isConditionalExpression(n) && /^isAppUrl\(url\) && parseDetachedConsoleHash\(/.test(n.condition.getText())) &&
      contains(handler, (n) => ts.isObjectLiteralExpression(n) && property(n, 'overrideBrowserWindowOptions') !== undefined);
    if (!denies || (allows && !onlyDetachedConsoles)) problems.push('setWindowOpenHandler does not always deny');
  }

  const navigation = calls(source, 'on').filter((c) => ts.isStringLiteral(c.arguments[0]) && c.arguments[0].text === 'will-navigate');
  if (navigation.length === 0) problems.push('will-navigate is not handled');
  for (const c of navigation) {
    if (!contains(c.arguments[1], (n) => ts.isCallExpression(n) && n.expression.getText().endsWith('.preventDefault'))) {
      problems.push('the will-navigate handler never prevents navigation');
    }
  }

  const permissions = calls(source, 'setPermissionRequestHandler');
  if (permissions.length === 0) problems.push('no setPermissionRequestHandler');
  for (const c of permissions) {
    const handler = c.arguments[0];
    const grants = contains(handler, (n) => n.kind === ts.SyntaxKind.TrueKeyword);
    const denies = contains(handler, (n) => ts.isCallExpression(n) && n.arguments.length === 1 && isFalse(n.arguments[0]));
    // or grants only the clipboard (graphical consoles), only to the app's own pages
    const clipboardOnly = contains(handler, (n) => ts.isCallExpression(n) && n.arguments.length === 1 && /^CLIPBOARD_PERMISSIONS\.has\(permission\) && isAppUrl\(/.test(n.arguments[0].getText()));
    if (grants || !(denies || clipboardOnly)) problems.push('the permission request handler does not deny everything');
  }

  const clipboardSet = /const CLIPBOARD_PERMISSIONS[^=]*= new Set\(\[([^\]]*)\]\)/.exec(text);
  if (clipboardSet && !clipboardSet[1].split(',').every((p) => /^\s*'clipboard-(read|sanitized-write)'\s*$/.test(p))) problems.push('CLIPBOARD_PERMISSIONS holds more than the clipboard');

  const cspSet =
    calls(source, 'onHeadersReceived').some((c) => c.getText().includes('Content-Security-Policy')) ||
    /http-equiv=["']Content-Security-Policy/i.test(text);
  if (!cspSet) problems.push('no Content-Security-Policy is set');

  const ipc = calls(source, 'handle').filter((c) => c.expression.getText() === 'ipcMain.handle');
  if (ipc.length === 0) problems.push('no ipcMain.handle');
  for (const c of ipc) {
    const body = c.arguments[1];
    if (!contains(body, (n) => ts.isPropertyAccessExpression(n) && n.name.text === 'senderFrame')) problems.push('IPC handler does not check the sender frame');
    // core.dispatch() checks the channel and its arguments against the contract's schemas before any handler runs
    if (!contains(body, (n) => ts.isCallExpression(n) && /\.dispatch$/.test(n.expression.getText()))) problems.push('IPC handler does not check the channel and arguments (core.dispatch)');
  }
  return problems;
}

/** Problems in the preload: it must expose only our client, never ipcRenderer itself. */
export function auditPreload(text: string): string[] {
  const source = parse('preload.ts', text);
  const problems: string[] = [];
  const exposed = calls(source, 'exposeInMainWorld');
  if (exposed.length !== 1) problems.push(`exposeInMainWorld is called ${exposed.length} times, expected once`);
  for (const c of exposed) {
    const value = c.arguments[1];
    if (value && contains(value, (n) => ts.isIdentifier(n) && n.text === 'ipcRenderer')) problems.push('ipcRenderer is exposed to the page');
    if (!ts.isStringLiteral(c.arguments[0]) || c.arguments[0].text !== 'polyvisor') problems.push('the exposed name is not "polyvisor"');
  }
  return problems;
}

const ELECTRON_MODULES = new Set(['electron', 'electron/main', 'electron/renderer', 'electron/common']);

/** Module specifiers a file imports or requires that are Electron itself. */
export function electronImports(file: string, text: string): string[] {
  const source = parse(file, text);
  const found: string[] = [];
  walk(source, (n) => {
    let spec: ts.Expression | undefined;
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier) spec = n.moduleSpecifier;
    if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || n.expression.getText() === 'require')) spec = n.arguments[0];
    if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) spec = n.moduleReference.expression;
    if (spec && ts.isStringLiteralLike(spec) && ELECTRON_MODULES.has(spec.text)) found.push(spec.text);
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('dist')) continue;
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(m|c)?[jt]sx?$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts')) out.push(full);
  }
  return out;
}

const INSECURE_MAIN = `
import { BrowserWindow, session } from 'electron';
const w = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false, nodeIntegration: true, webSecurity: false } });
w.webContents.setWindowOpenHandler(() => ({ action: 'allow' }));
w.webContents.on('will-navigate', () => console.log('navigating'));
session.defaultSession.setPermissionRequestHandler((_w, _p, callback) => callback(true));
ipcMain.handle('x', (event, channel, args) => core.invoke(channel, ...args));
`;

describe('Electron main process security policy', () => {
  const mainText = readFileSync(path.join(root, 'electron/main.ts'), 'utf8');

  it('electron/main.ts passes every check', () => {
    expect(auditMain(mainText)).toEqual([]);
  });

  it('the checks catch an insecure main process', () => {
    expect(auditMain(INSECURE_MAIN)).toEqual([
      'contextIsolation is not true',
      'sandbox is not true',
      'nodeIntegration is not false',
      'webSecurity is turned off',
      'setWindowOpenHandler does not always deny',
      'the will-navigate handler never prevents navigation',
      'the permission request handler does not deny everything',
      'no Content-Security-Policy is set',
      'IPC handler does not check the sender frame',
      'IPC handler does not check the channel and arguments (core.dispatch)',
    ]);
  });

  it('the CSP allows scripts only from the app itself', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(mainText).toMatch(/CONTENT_SECURITY_POLICY/);
  });
});

describe('preload', () => {
  it('exposes only window.polyvisor, never ipcRenderer', () => {
    expect(auditPreload(readFileSync(path.join(root, 'electron/preload.ts'), 'utf8'))).toEqual([]);
    expect(auditPreload(`contextBridge.exposeInMainWorld('polyvisor', { ipc: ipcRenderer })`)).toEqual(['ipcRenderer is exposed to the page']);
  });
});

describe("imports of 'electron'", () => {
  it('only electron/main* and electron/preload* import it', () => {
    const offenders: string[] = [];
    let scanned = 0;
    for (const dir of ['electron', 'shared', 'renderer', 'bin']) {
      for (const file of sourceFiles(path.join(root, dir))) {
        scanned++;
        const rel = path.relative(root, file).split(path.sep).join('/');
        if (/^electron\/(main|preload)[^/]*$/.test(rel)) continue;
        if (electronImports(rel, readFileSync(file, 'utf8')).length > 0) offenders.push(rel);
      }
    }
    expect(scanned).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
    expect(electronImports('main.ts', readFileSync(path.join(root, 'electron/main.ts'), 'utf8'))).toContain('electron');
  });

  it('the import scan sees every form of import', () => {
    expect(electronImports('a.ts', `import { app } from 'electron';`)).toEqual(['electron']);
    expect(electronImports('b.ts', `const { ipcRenderer } = require("electron/renderer");`)).toEqual(['electron/renderer']);
    expect(electronImports('c.ts', `const e = await import('electron');`)).toEqual(['electron']);
    expect(electronImports('d.ts', `export { app } from 'electron';`)).toEqual(['electron']);
    expect(electronImports('e.ts', `import x from 'electron-builder'; require.resolve('electron/package.json');`)).toEqual([]);
  });
});
