// What a host can be asked (issue 13): enter/exit maintenance mode (named as the
// platform names it), evacuate (a dialog shows the plan first), reboot/shut down
// (asked first; force offered while VMs still run on it), power on. Where the
// platform has no such thing, the command says so instead of failing at the server.
import { localized, type ProviderDescriptor } from '../../../shared/descriptor';
import type { HostAction, InventoryNode } from '../../../shared/model';
import type { GlyphName } from '../components/Icons';
import { runAction } from '../store/requests';
import { storeActions, type ConfirmRequest } from '../store/store';
import { leftOutNotes, nodeActionReason, nothingSelectedReason, noTargetReason, partitionBy, type Partition } from './rules';
import { CAN_RUN, cannot, type CanRun, type Command, type CommandContext } from './types';

function hosts(ctx: CommandContext): InventoryNode[] {
  return ctx.nodes.filter((n) => n.kind === 'host');
}

/** The platform's name for maintenance mode, or the common one. */
export function maintenanceName(ctx: CommandContext, descriptors: ReadonlyArray<ProviderDescriptor | undefined>): string {
  const first = descriptors[0]?.facets.maintenanceMode;
  const shared = first && descriptors.every((d) => d?.facets.maintenanceMode && localized(d.facets.maintenanceMode, 'en') === localized(first, 'en'));
  return shared ? localized(first, ctx.language) : ctx.t('migration.maintenanceMode');
}

function actionName(ctx: CommandContext, action: HostAction, nodes: InventoryNode[]): string {
  const name = () => maintenanceName(ctx, nodes.map((n) => ctx.descriptorOf(n.serverId)));
  switch (action) {
    case 'maintenance_enter':
      return ctx.t('migration.command.maintenanceEnter', { name: name() });
    case 'maintenance_exit':
      return ctx.t('migration.command.maintenanceExit', { name: name() });
    default:
      return ctx.t(`action.${action}`);
  }
}

/** What the platform lacks for `action`, as a reason; null when it has it. */
function platformReason(ctx: CommandContext, node: InventoryNode, action: HostAction): string | null {
  const descriptor = ctx.descriptorOf(node.serverId);
  if (!descriptor) return null;
  const lacks =
    ((action === 'maintenance_enter' || action === 'maintenance_exit') && !descriptor.facets.maintenanceMode) ||
    (action === 'evacuate' && descriptor.facets.migration === 'none');
  return lacks ? ctx.t('reason.platformLacks', { platform: localized(descriptor.displayName, ctx.language), action: actionName(ctx, action, [node]) }) : null;
}

function hostReason(ctx: CommandContext, node: InventoryNode, action: HostAction): string | null {
  return platformReason(ctx, node, action) ?? nodeActionReason(ctx, node, action);
}

function split(ctx: CommandContext, action: HostAction): Partition {
  return partitionBy(hosts(ctx), (node) => hostReason(ctx, node, action));
}

function canRunOn(ctx: CommandContext, action: HostAction): CanRun {
  if (hosts(ctx).length === 0) return cannot(nothingSelectedReason(ctx, 'migration.reason.selectHost'));
  const { targets, skipped } = split(ctx, action);
  return targets.length ? CAN_RUN : cannot(noTargetReason(ctx, action, skipped));
}

/** Names of the guests running on a host (its children in the tree). */
export function runningGuests(ctx: CommandContext, host: InventoryNode): string[] {
  const ids = ctx.state.index.children.get(host.id) ?? [];
  return ids
    .map((id) => ctx.state.index.nodes.get(id))
    .filter((n): n is InventoryNode => n !== undefined && (n.kind === 'vm' || n.kind === 'container') && n.state === 'running')
    .map((n) => n.name);
}

interface HostSpec {
  id: string;
  action: HostAction;
  glyph: GlyphName;
  confirm?: (ctx: CommandContext, targets: InventoryNode[]) => Pick<ConfirmRequest, 'message' | 'danger' | 'options'>;
}

function hostCommand(spec: HostSpec): Command {
  const label = (ctx: CommandContext) => actionName(ctx, spec.action, hosts(ctx));
  const confirm = spec.confirm;
  return {
    id: spec.id,
    label,
    glyph: spec.glyph,
    canRun: (ctx) => canRunOn(ctx, spec.action),
    confirm: confirm
      ? (ctx) => {
          const { targets, skipped } = split(ctx, spec.action);
          return { title: label(ctx), confirmLabel: label(ctx), targets: targets.map((n) => n.name), notes: leftOutNotes(ctx, skipped), ...confirm(ctx, targets) };
        }
      : undefined,
    async run(ctx, answers) {
      const { targets } = split(ctx, spec.action);
      await runAction(
        targets.map((n) => n.id),
        spec.action,
        answers?.force ? { force: true } : undefined,
        label(ctx),
      );
    },
  };
}

/** Reboot or shut down: asked first; while VMs still run on a host, forcing is offered (off by default). */
function powerConfirm(messageKey: string) {
  return (ctx: CommandContext, targets: InventoryNode[]) => {
    const running = targets.flatMap((host) => runningGuests(ctx, host));
    return {
      message: ctx.t(messageKey, { count: targets.length }),
      danger: true,
      options: running.length
        ? [{ id: 'force', label: ctx.t('migration.force'), checked: false, hint: ctx.t('migration.forceHint', { count: running.length, names: running.slice(0, 5).join(', ') }) }]
        : undefined,
    };
  };
}

export const maintenanceEnterCommand = hostCommand({
  id: 'maintenance-enter',
  action: 'maintenance_enter',
  glyph: 'maintenance',
  confirm: (ctx, targets) => ({
    message: ctx.t('migration.confirmMaintenance', { count: targets.length, name: maintenanceName(ctx, targets.map((n) => ctx.descriptorOf(n.serverId))) }),
  }),
});

export const maintenanceExitCommand = hostCommand({ id: 'maintenance-exit', action: 'maintenance_exit', glyph: 'enable' });
export const hostRebootCommand = hostCommand({ id: 'host-reboot', action: 'host_reboot', glyph: 'reboot', confirm: powerConfirm('migration.confirmReboot') });
export const hostShutdownCommand = hostCommand({ id: 'host-shutdown', action: 'host_shutdown', glyph: 'shutdown', confirm: powerConfirm('migration.confirmShutdown') });
export const hostPowerOnCommand = hostCommand({ id: 'host-power-on', action: 'host_power_on', glyph: 'start' });

/** Evacuate…: one host; the dialog shows where each VM goes and what cannot move before it starts. */
export const evacuateCommand: Command = {
  id: 'evacuate-host',
  label: (ctx) => ctx.t('action.evacuate'),
  opensDialog: true,
  glyph: 'migrate',
  canRun(ctx) {
    if (hosts(ctx).length > 1) return cannot(ctx.t('reason.selectOne'));
    return canRunOn(ctx, 'evacuate');
  },
  run(ctx) {
    const host = hosts(ctx)[0];
    if (host) storeActions.openDialog({ kind: 'evacuate', hostId: host.id });
  },
};

export const HOST_COMMANDS: Command[] = [maintenanceEnterCommand, maintenanceExitCommand, evacuateCommand, hostRebootCommand, hostShutdownCommand, hostPowerOnCommand];
