// Every command of the app, by id. Surfaces (toolbar, menus, buttons, keys) name them.
import { aboutCommand } from './about';
import { addServerCommand } from './add-server';
import { connectCommand } from './connect';
import { copyUuidCommand } from './copy-uuid';
import { deleteAllSnapshotsCommand } from './delete-all-snapshots';
import { deletePolicyCommand } from './delete-policy';
import { deleteSnapshotCommand } from './delete-snapshot';
import { disconnectCommand } from './disconnect';
import { editPolicyCommand } from './edit-policy';
import { editServerCommand } from './edit-server';
import { editSnapshotCommand } from './edit-snapshot';
import { exportServersCommand } from './export-servers';
import { findCommand } from './find';
import { HOST_COMMANDS } from './host-commands';
import { hostConsoleCommand } from './host-console';
import { migrateCommand } from './migrate';
import { POOL_COMMANDS } from './pool-membership';
import { guestPropertiesCommand } from './guest-properties';
import { newVmCommand, newVmFromTemplateCommand } from './new-vm';
import { cloneGuestCommand } from './clone-guest';
import { toTemplateCommand, toVmCommand } from './convert-template';
import { deleteGuestCommand } from './delete-guest';
import { IMAGE_COMMANDS } from './image-commands';
import { removeProjectCommand } from './project-commands';
import { importServersCommand } from './import-servers';
import { newPolicyCommand } from './new-policy';
import { openConsoleCommand } from './open-console';
import { EXTERNAL_VIEWER_COMMANDS } from './external-viewers';
import { policyHistoryCommand } from './policy-history';
import { installRunnerCommand, uninstallRunnerCommand } from './policy-runner';
import { POWER_COMMANDS } from './power';
import { propertiesCommand } from './properties';
import { reconnectAllCommand } from './reconnect-all';
import { rescanStorageCommand } from './rescan-storage';
import { deleteNetworkCommand, newNetworkCommand } from './network-commands';
import { removeServerCommand } from './remove-server';
import { revertSnapshotCommand } from './revert-snapshot';
import { runPolicyNowCommand } from './run-policy-now';
import { notificationsCommand } from './notifications';
import { scheduledSnapshotsCommand } from './scheduled-snapshots';
import { settingsCommand } from './settings';
import { showLogsCommand } from './show-logs';
import { newVmFromSnapshotCommand, templateFromSnapshotCommand } from './snapshot-copies';
import { snapshotPropertiesCommand } from './snapshot-properties';
import { takeMemorySnapshotCommand, takeSnapshotCommand } from './take-snapshot';
import { togglePolicyCommand } from './toggle-policy';
import { collapseAllCommand, expandAllCommand } from './tree-expansion';
import type { Command } from './types';
import { showTemplatesCommand, THEME_COMMANDS } from './view';
import { treeUsageCommand } from './tree-usage';
import { VIEW_COMMANDS } from '../views/view-commands';

export const COMMANDS: readonly Command[] = [
  addServerCommand,
  editServerCommand,
  removeServerCommand,
  connectCommand,
  disconnectCommand,
  reconnectAllCommand,
  importServersCommand,
  exportServersCommand,
  settingsCommand,
  newVmCommand,
  newVmFromTemplateCommand,
  guestPropertiesCommand,
  ...POWER_COMMANDS,
  migrateCommand,
  cloneGuestCommand,
  toTemplateCommand,
  toVmCommand,
  deleteGuestCommand,
  ...IMAGE_COMMANDS,
  removeProjectCommand,
  ...HOST_COMMANDS,
  hostConsoleCommand,
  ...POOL_COMMANDS,
  takeSnapshotCommand,
  takeMemorySnapshotCommand,
  revertSnapshotCommand,
  deleteSnapshotCommand,
  deleteAllSnapshotsCommand,
  snapshotPropertiesCommand,
  editSnapshotCommand,
  newVmFromSnapshotCommand,
  templateFromSnapshotCommand,
  scheduledSnapshotsCommand,
  newPolicyCommand,
  editPolicyCommand,
  runPolicyNowCommand,
  togglePolicyCommand,
  deletePolicyCommand,
  policyHistoryCommand,
  installRunnerCommand,
  uninstallRunnerCommand,
  openConsoleCommand,
  ...EXTERNAL_VIEWER_COMMANDS,
  showLogsCommand,
  rescanStorageCommand,
  newNetworkCommand,
  deleteNetworkCommand,
  ...VIEW_COMMANDS,
  copyUuidCommand,
  propertiesCommand,
  showTemplatesCommand,
  treeUsageCommand,
  expandAllCommand,
  collapseAllCommand,
  notificationsCommand,
  ...THEME_COMMANDS,
  findCommand,
  aboutCommand,
];

const BY_ID = new Map(COMMANDS.map((c) => [c.id, c]));

export function commandById(id: string): Command | undefined {
  return BY_ID.get(id);
}
