// Open the Settings dialog.
import { storeActions } from '../store/store';
import { CAN_RUN, type Command } from './types';

export const settingsCommand: Command = {
  id: 'settings',
  label: (ctx) => ctx.t('command.settings'),
  opensDialog: true,
  glyph: 'settings',
  shortcut: 'CmdOrCtrl+,',
  global: true,
  canRun: () => CAN_RUN,
  run: () => storeActions.openDialog({ kind: 'settings' }),
};
