// The command registry: every surface names existing commands, so the toolbar, the
// context menus, the details buttons, the keyboard and the native menu cannot
// disagree; can't-run reasons (hidden by the search, disconnected, not allowed, the
// platform lacks it); the platform's own words (Docker: Stop); the native menu model.
import { describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { pageBindings } from '../../renderer/src/commands/keyboard';
import { contextMenuFor, SERVER_DETAILS, SNAPSHOTS_TAB, TOOLBAR, type LayoutItem } from '../../renderer/src/commands/layouts';
import { buildMenuModel, menuCommandIds } from '../../renderer/src/commands/menu-bar';
import { COMMANDS, commandById } from '../../renderer/src/commands/registry';
import { serverKey } from '../../renderer/src/tree/inventory-index';
import { canRun, ctxOf, info, server, state, vm } from './helpers/renderer-state';

const xen = server('x', 'xenserver');
const web01 = vm('x', 'web01');
const web02 = vm('x', 'web02', { state: 'halted', allowed: ['start'] });

describe('surfaces name only commands of the registry', () => {
  const ids = (layout: readonly LayoutItem[]) => layout.flatMap((i) => (typeof i === 'string' ? [] : [i.id]));
  it('toolbar, details buttons, snapshot tab and menu bar', () => {
    const all = [...ids(TOOLBAR), ...ids(SERVER_DETAILS), ...ids(SNAPSHOTS_TAB), ...menuCommandIds()];
    expect(all.filter((id) => !commandById(id))).toEqual([]);
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
  });
  it('context menus for servers, VMs, hosts and mixed selections', () => {
    const host: InventoryNode = { ...vm('x', 'h1'), id: 'x:host:h1', kind: 'host', allowed: ['reboot'] };
    const s = state({ servers: [xen], nodes: [web01, host] });
    for (const selection of [[serverKey('x')], [web01.id], [host.id], [serverKey('x'), web01.id], []]) {
      const menu = contextMenuFor(ctxOf({ ...s, selection }));
      expect(menu.filter((id) => id !== '|' && !commandById(id))).toEqual([]);
      expect(menu[0]).not.toBe('|');
      expect(menu.at(-1)).not.toBe('|');
    }
    expect(contextMenuFor(ctxOf({ ...s, selection: [serverKey('x')] }))).toContain('remove-server');
    expect(contextMenuFor(ctxOf({ ...s, selection: [web01.id] }))).toEqual(expect.arrayContaining(['start', 'open-console', 'copy-uuid', 'properties']));
  });
});

describe("can't-run reasons", () => {
  it('a selection hidden by the search is not a target, and the command says so', () => {
    const s = state({ servers: [xen], nodes: [web01, web02], selection: [web01.id] });
    expect(canRun('shutdown', s)).toEqual({ ok: true });
    const hidden = canRun('shutdown', { ...s, filter: 'web02' });
    expect(hidden).toEqual({ ok: false, reason: 'The selection is hidden by the search (1 selected). Clear the search to act on it.' });
    // a visible part of the selection stays a target; the confirmation names only it and says what is left out
    const both = { ...s, selection: [web01.id, web02.id], filter: 'web01' };
    const request = commandById('shutdown')!.confirm!(ctxOf(both));
    expect(request?.targets).toEqual(['web01']);
    expect(request?.notes).toEqual(['Hidden by the search and left out: 1.']);
  });
  it('"connecting" is connectable nowhere: one rule for every surface', () => {
    const s = state({ servers: [server('x', 'xenserver', 'connecting')], selection: [serverKey('x')] });
    expect(canRun('connect', s)).toEqual({ ok: false, reason: 'xenserver server is connecting; Polyvisor keeps trying.' });
    expect(canRun('disconnect', s).ok).toBe(true);
    expect(canRun('connect', { ...s, servers: [server('x', 'xenserver', 'error')] }).ok).toBe(true);
  });
  it('from the server: disconnected, not allowed in this state, or the platform lacks the action', () => {
    const s = state({ servers: [xen], nodes: [web01], selection: [web01.id] });
    expect(canRun('start', s)).toEqual({ ok: false, reason: 'web01 is Running: the server does not allow “Start” now.' });
    expect(canRun('shutdown', { ...s, servers: [server('x', 'xenserver', 'reconnecting')] })).toEqual({ ok: false, reason: 'xenserver server is not connected.' });
    const docker = server('d', 'docker');
    const container: InventoryNode = { ...vm('d', 'c1'), kind: 'container', allowed: ['shutdown', 'snapshot_create'] };
    const d = state({ servers: [docker], nodes: [container], selection: [container.id] });
    expect(canRun('suspend', d)).toEqual({ ok: false, reason: 'Docker Engine has no “Suspend”.' });
    expect(canRun('take-snapshot-memory', d)).toEqual({ ok: false, reason: 'A container keeps no memory state in a snapshot.' });
  });
  it('a command being submitted cannot run again', () => {
    const s = state({ servers: [xen], nodes: [web01], selection: [web01.id], inFlight: new Set(['shutdown']) });
    expect(canRun('shutdown', s)).toEqual({ ok: false, reason: 'Being submitted…' });
  });
  it('a details pane scope acts on its object, not on the selection', () => {
    const s = state({ servers: [xen], nodes: [web01], selection: [] });
    expect(canRun('edit-server', s).ok).toBe(false);
    expect(canRun('edit-server', s, { keys: [serverKey('x')] }).ok).toBe(true);
  });
});

describe('labels', () => {
  it("uses the platform's own words when every target is of that platform", () => {
    const docker = server('d', 'docker');
    const container: InventoryNode = { ...vm('d', 'c1'), kind: 'container' };
    const s = state({ servers: [docker, xen], nodes: [container, web01], selection: [container.id] });
    const label = (id: string, selection: string[], language = 'en') => commandById(id)!.label(ctxOf({ ...s, selection }, language));
    expect(label('shutdown', [container.id])).toBe('Stop');
    expect(label('force_shutdown', [container.id])).toBe('Kill');
    expect(label('reboot', [container.id], 'zh-CN')).toBe('重启');
    expect(label('shutdown', [container.id, web01.id])).toBe('Shut down');
    expect(label('shutdown', [web01.id])).toBe('Shut down');
  });
});

describe('the native menu model', () => {
  it('is localized, with live enablement, check marks and radio items; only global accelerators are registered', () => {
    const s = state({ servers: [xen], nodes: [web01], selection: [web01.id], settings: { ...info.settings, showTemplates: true } });
    const model = buildMenuModel(ctxOf(s, 'zh-CN'));
    expect(model.menus.map((m) => m.label)).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '服务器(&S)', '虚拟机(&M)', '主机(&O)', '帮助(&H)']);
    const items = model.menus.flatMap((m) => m.items.flatMap((i) => (i.kind === 'submenu' ? i.items : [i])));
    const command = (id: string) => items.find((i) => i.kind === 'command' && i.id === id);
    expect(command('add-server')).toEqual({ kind: 'command', id: 'add-server', label: '添加服务器…', enabled: true, accelerator: 'CmdOrCtrl+N' });
    expect(command('show-templates')).toMatchObject({ checked: true });
    expect(command('start')).toMatchObject({ enabled: false });
    expect(command('shutdown')).toMatchObject({ enabled: true });
    // shown in the menu, but the page handles the key (a console or a text field keeps it)
    expect(command('shutdown')).toMatchObject({ accelerator: 'CmdOrCtrl+E', acceleratorDisplayOnly: true });
    expect(command('theme-dark')).toMatchObject({ radio: true, checked: false });
    expect(items.some((i) => i.kind === 'role' && i.role === 'quit' && i.label === '退出')).toBe(true);
  });
});

describe('keyboard bindings', () => {
  it('web mode answers every shortcut and its web alternatives; Electron leaves global ones to the menu', () => {
    const web = pageBindings(false).map((b) => b.id);
    const electron = pageBindings(true).map((b) => b.id);
    expect(web.filter((id) => id === 'add-server')).toHaveLength(2);
    expect(electron).not.toContain('add-server');
    expect(electron).toEqual(expect.arrayContaining(['remove-server', 'start', 'find']));
  });
});
