// Open the Add server dialog. Ctrl+N is the browser's "new window" in a real
// browser, which a page cannot take over: web mode also answers Alt+Shift+N.
import { storeActions } from '../store/store';
import { CAN_RUN, type Command } from './types';

export const addServerCommand: Command = {
  id: 'add-server',
  label: (ctx) => ctx.t('command.addServer'),
  opensDialog: true,
  glyph: 'add',
  shortcut: 'CmdOrCtrl+N',
  webShortcut: 'Alt+Shift+N',
  global: true,
  canRun: () => CAN_RUN,
  run: () => storeActions.openDialog({ kind: 'addServer' }),
};
