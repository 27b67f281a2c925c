// Where each command appears. The toolbar, the details-pane buttons and the tree's
// context menu are lists of command ids; '|' is a separator, '>' pushes the rest right.
import type { InventoryNode, PowerAction } from '../../../shared/model';
import { POWER_ACTIONS } from '../../../shared/model';
import { EXTERNAL_VIEWERS } from '../../../shared/external-consoles';
import { engineItems, GUEST_LIFECYCLE, lifecycleItems } from './lifecycle-menu';
import type { CommandContext } from './types';
import { groupMenu } from '../views/view-commands';

export type LayoutItem = { id: string; testId?: string; iconOnly?: boolean; hideWhenDisabled?: boolean } | '|' | '>';

export const TOOLBAR: readonly LayoutItem[] = [
  { id: 'add-server' },
  { id: 'connect' },
  { id: 'disconnect' },
  { id: 'reconnect-all' },
  '|',
  { id: 'import-servers', iconOnly: true },
  { id: 'export-servers', iconOnly: true },
  '|',
  { id: 'new-vm' },
  '|',
  { id: 'start' },
  { id: 'shutdown' },
  { id: 'reboot' },
  { id: 'suspend' },
  { id: 'resume' },
  { id: 'force_shutdown', iconOnly: true },
  { id: 'force_reboot', iconOnly: true },
  { id: 'migrate' },
  '|',
  { id: 'take-snapshot' },
  { id: 'scheduled-snapshots', iconOnly: true },
  '>',
  { id: 'settings' },
];

export const SERVER_DETAILS: readonly LayoutItem[] = [{ id: 'connect' }, { id: 'disconnect' }, '|', { id: 'edit-server' }, { id: 'remove-server' }];

export const SNAPSHOTS_TAB: readonly LayoutItem[] = [
  { id: 'take-snapshot', testId: 'snap-take' },
  { id: 'take-snapshot-memory', testId: 'snap-take-memory' },
  '|',
  { id: 'revert-snapshot', testId: 'snap-revert' },
  { id: 'delete-snapshot', testId: 'snap-delete' },
  // offered only where the platform deletes a whole tree at once (it allows snapshot_delete on the VM)
  { id: 'delete-all-snapshots', testId: 'snap-delete-all', hideWhenDisabled: true },
  { id: 'edit-snapshot', testId: 'snap-edit' },
  { id: 'snapshot-properties', testId: 'snap-properties' },
];

/** A snapshot row's context menu in the Snapshots tab. */
export const SNAPSHOT_MENU: readonly string[] = [
  'revert-snapshot',
  '|',
  'edit-snapshot',
  'new-vm-from-snapshot',
  'template-from-snapshot',
  '|',
  'delete-snapshot',
  '|',
  'snapshot-properties',
];

/** The Scheduled snapshots view's buttons, on the policy selected in its list. */
export const SCHEDULES_VIEW: readonly LayoutItem[] = [
  { id: 'new-policy' },
  { id: 'edit-policy' },
  '|',
  { id: 'run-policy-now' },
  { id: 'toggle-policy' },
  { id: 'policy-history' },
  '|',
  { id: 'delete-policy' },
];

/** The Scheduled snapshots view's OS-timer buttons. */
export const RUNNER_BUTTONS: readonly LayoutItem[] = [{ id: 'install-runner' }, { id: 'uninstall-runner' }];

/** The buttons of the selected snapshot's details. */
export const SNAPSHOT_DETAILS: readonly LayoutItem[] = [
  { id: 'edit-snapshot', testId: 'snap-details-edit' },
  { id: 'new-vm-from-snapshot', testId: 'snap-details-clone' },
  { id: 'template-from-snapshot', testId: 'snap-details-template' },
];

const GUESTS = new Set(['vm', 'container']);

/** A host's own commands in its context menu (and the Host menu). */
export const HOST_MENU: readonly string[] = ['host-console', '|', 'maintenance-enter', 'maintenance-exit', 'evacuate-host', '|', 'host-reboot', 'host-shutdown', 'host-power-on', '|', 'pool-join', 'pool-eject'];

/** The power actions worth listing: what the platform has for guests, or what the server allows now. */
function powerItems(ctx: CommandContext, nodes: InventoryNode[]): PowerAction[] {
  return POWER_ACTIONS.filter((action) =>
    nodes.some((n) => n.allowed.includes(action) || (GUESTS.has(n.kind) && (ctx.descriptorOf(n.serverId)?.facets.powerActions.includes(action) ?? false))),
  );
}

function someFacet(ctx: CommandContext, nodes: InventoryNode[], has: (f: NonNullable<ReturnType<CommandContext['descriptorOf']>>['facets']) => boolean): boolean {
  return nodes.some((n) => {
    const facets = ctx.descriptorOf(n.serverId)?.facets;
    return facets ? has(facets) : false;
  });
}

/** Drops leading, trailing and repeated separators. */
function tidy(items: string[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    if (item === '|' && (out.length === 0 || out.at(-1) === '|')) continue;
    out.push(item);
  }
  if (out.at(-1) === '|') out.pop();
  return out;
}

/** The context menu for what is selected, by the kind of selection (XenCenter's ContextMenuBuilder). */
export function contextMenuFor(ctx: CommandContext): string[] {
  const kinds = new Set<string>([...(ctx.servers.length ? ['server'] : []), ...ctx.nodes.map((n) => n.kind)]);
  // a group row of a view (a folder, a saved search) has its own commands
  if (kinds.size === 0) return tidy([...groupMenu(ctx), '|', 'properties']);
  if (kinds.size === 1 && kinds.has('server')) return tidy(['connect', 'disconnect', '|', 'new-vm', '|', 'edit-server', 'remove-server', '|', ...engineItems(ctx), '|', 'scheduled-snapshots', '|', 'properties']);
  const power = powerItems(ctx, ctx.nodes);
  if ([...kinds].every((k) => GUESTS.has(k))) {
    return tidy([
      ...power,
      '|',
      'migrate',
      '|',
      'take-snapshot',
      'take-snapshot-memory',
      'scheduled-snapshots',
      '|',
      ...GUEST_LIFECYCLE,
      '|',
      ...(someFacet(ctx, ctx.nodes, (f) => f.consoles.length > 0) ? ['open-console'] : []),
      ...EXTERNAL_VIEWERS.filter((v) => someFacet(ctx, ctx.nodes, (f) => (f.externalViewers ?? []).includes(v))).map((v) => `open-${v}`),
      ...(someFacet(ctx, ctx.nodes, (f) => f.logs) && kinds.has('container') ? ['show-logs'] : []),
      '|',
      'edit-tags',
      'move-to-folder',
      '|',
      'copy-uuid',
      ...(someFacet(ctx, ctx.nodes, (f) => (f.guests?.settings.length ?? 0) > 0) ? ['guest-properties'] : []),
      'properties',
    ]);
  }
  if (kinds.has('server')) return tidy([...power, '|', 'properties']);
  const policies = kinds.has('pool') || kinds.has('cluster') ? ['scheduled-snapshots'] : [];
  const create = kinds.has('pool') || kinds.has('cluster') || kinds.has('host') ? ['new-vm'] : [];
  const fromTemplate = kinds.size === 1 && kinds.has('template') ? ['new-vm-from-template', 'guest-properties'] : [];
  const storage = kinds.has('storage') ? ['rescan-storage'] : [];
  const networks = kinds.has('network') ? ['new-network', 'delete-network'] : kinds.has('pool') ? ['new-network'] : [];
  return tidy([...fromTemplate, '|', ...create, '|', ...power, '|', ...(kinds.has('host') ? HOST_MENU : []), '|', ...lifecycleItems(ctx, kinds), '|', ...policies, '|', ...storage, ...networks, '|', 'edit-tags', 'move-to-folder', '|', 'copy-uuid', 'properties']);
}
