// Every command of the app, by id. Surfaces (toolbar, menus, buttons, keys) name them.
import { aboutCommand } from './about';
import { addServerCommand } from './add-server';
import { connectCommand } from './connect';
import { copyUuidCommand } from './copy-uuid';
import { deleteAllSnapshotsCommand } from './delete-all-snapshots';
import { deleteSnapshotCommand } from './delete-snapshot';
import { disconnectCommand } from './disconnect';
import { editServerCommand } from './edit-server';
import { exportServersCommand } from './export-servers';
import { findCommand } from './find';
import { importServersCommand } from './import-servers';
import { openConsoleCommand } from './open-console';
import { POWER_COMMANDS } from './power';
import { propertiesCommand } from './properties';
import { reconnectAllCommand } from './reconnect-all';
import { removeServerCommand } from './remove-server';
import { revertSnapshotCommand } from './revert-snapshot';
import { settingsCommand } from './settings';
import { showLogsCommand } from './show-logs';
import { snapshotPropertiesCommand } from './snapshot-properties';
import { takeMemorySnapshotCommand, takeSnapshotCommand } from './take-snapshot';
import type { Command } from './types';
import { showTemplatesCommand, THEME_COMMANDS } from './view';

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
  ...POWER_COMMANDS,
  takeSnapshotCommand,
  takeMemorySnapshotCommand,
  revertSnapshotCommand,
  deleteSnapshotCommand,
  deleteAllSnapshotsCommand,
  snapshotPropertiesCommand,
  openConsoleCommand,
  showLogsCommand,
  copyUuidCommand,
  propertiesCommand,
  showTemplatesCommand,
  ...THEME_COMMANDS,
  findCommand,
  aboutCommand,
];

const BY_ID = new Map(COMMANDS.map((c) => [c.id, c]));

export function commandById(id: string): Command | undefined {
  return BY_ID.get(id);
}
