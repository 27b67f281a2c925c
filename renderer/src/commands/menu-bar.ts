// The native menu bar as the registry describes it: localized labels, live
// enablement and check marks, shortcuts as accelerators. Electron draws it.
import type { MenuItemModel, MenuModel } from '../../../shared/contract';
import { IS_MAC } from './accelerator';
import { evaluate } from './evaluate';
import { HOST_MENU } from './layouts';
import { commandById } from './registry';
import type { CommandContext } from './types';

type MenuLayoutItem = string | '|' | { role: string; labelKey: string } | { labelKey: string; items: MenuLayoutItem[] };

// on macOS Quit lives in the application menu Electron adds; File ends with Close Window there
const role = (name: string, labelKey: string) => ({ role: name, labelKey });

export const MENU_BAR: ReadonlyArray<{ labelKey: string; items: MenuLayoutItem[] }> = [
  { labelKey: 'menu.file', items: ['add-server', '|', 'import-servers', 'export-servers', '|', 'settings', '|', IS_MAC ? role('close', 'menu.close') : role('quit', 'menu.quit')] },
  {
    labelKey: 'menu.edit',
    items: [
      role('undo', 'menu.undo'),
      role('redo', 'menu.redo'),
      '|',
      role('cut', 'menu.cut'),
      role('copy', 'menu.copy'),
      role('paste', 'menu.paste'),
      role('selectAll', 'menu.selectAll'),
      '|',
      'find',
    ],
  },
  {
    labelKey: 'menu.view',
    items: [
      'show-templates',
      'tree-usage',
      'expand-all',
      'collapse-all',
      'notifications',
      { labelKey: 'menu.theme', items: ['theme-system', 'theme-light', 'theme-dark'] },
      '|',
      role('resetZoom', 'menu.resetZoom'),
      role('zoomIn', 'menu.zoomIn'),
      role('zoomOut', 'menu.zoomOut'),
      '|',
      role('togglefullscreen', 'menu.fullScreen'),
    ],
  },
  { labelKey: 'menu.server', items: ['connect', 'disconnect', 'reconnect-all', '|', 'edit-server', 'remove-server', '|', 'pull-image', 'prune-images', 'prune-volumes'] },
  {
    labelKey: 'menu.vm',
    items: [
      'new-vm',
      '|',
      'start',
      'shutdown',
      'reboot',
      'suspend',
      'resume',
      'pause',
      'unpause',
      'force_shutdown',
      'force_reboot',
      '|',
      'migrate',
      '|',
      'take-snapshot',
      'take-snapshot-memory',
      'scheduled-snapshots',
      '|',
      'clone-guest',
      'to-template',
      'to-vm',
      'delete-guest',
      '|',
      'open-console',
      'open-vmrc',
      'open-spice',
      'open-rdp',
      'open-ssh',
      'show-logs',
      '|',
      'copy-uuid',
      'guest-properties',
      'properties',
    ],
  },
  { labelKey: 'menu.host', items: [...HOST_MENU] },
  { labelKey: 'menu.help', items: ['about'] },
];

/** Every command id the menu bar lists. */
export function menuCommandIds(items: readonly MenuLayoutItem[] = MENU_BAR.flatMap((m) => m.items)): string[] {
  return items.flatMap((item) => (typeof item === 'string' ? (item === '|' ? [] : [item]) : 'items' in item ? menuCommandIds(item.items) : []));
}

function itemModel(item: MenuLayoutItem, ctx: CommandContext): MenuItemModel | null {
  if (item === '|') return { kind: 'separator' };
  if (typeof item !== 'string') {
    if ('role' in item) return { kind: 'role', role: item.role, label: ctx.t(item.labelKey) };
    return { kind: 'submenu', label: ctx.t(item.labelKey), items: itemsModel(item.items, ctx) };
  }
  const command = commandById(item);
  if (!command) return null;
  const label = command.label(ctx) + (command.opensDialog ? '…' : '');
  const model: MenuItemModel = { kind: 'command', id: command.id, label, enabled: evaluate(command, ctx).ok };
  const checked = command.checked?.(ctx);
  if (checked !== undefined) model.checked = checked;
  if (command.radio) model.radio = true;
  if (command.shortcut) {
    model.accelerator = command.shortcut;
    // only global shortcuts are registered: the others must not take keys from a console or a text field, so the menu just shows them
    if (!command.global) model.acceleratorDisplayOnly = true;
  }
  return model;
}

function itemsModel(items: readonly MenuLayoutItem[], ctx: CommandContext): MenuItemModel[] {
  return items.map((item) => itemModel(item, ctx)).filter((m): m is MenuItemModel => m !== null);
}

export function buildMenuModel(ctx: CommandContext): MenuModel {
  return { menus: MENU_BAR.map((menu) => ({ label: ctx.t(menu.labelKey), items: itemsModel(menu.items, ctx) })) };
}
