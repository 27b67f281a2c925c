// Put the keyboard in the tree's search box.
import { CAN_RUN, type Command } from './types';

export const TREE_SEARCH_ID = 'tree-search-input';

export const findCommand: Command = {
  id: 'find',
  label: (ctx) => ctx.t('command.find'),
  glyph: 'search',
  shortcut: 'CmdOrCtrl+F',
  canRun: () => CAN_RUN,
  run() {
    const input = document.getElementById(TREE_SEARCH_ID);
    if (input instanceof HTMLInputElement) {
      input.focus();
      input.select();
    }
  },
};
