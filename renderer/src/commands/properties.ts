// Show the selected object's properties (its General tab, or a server's details).
import { storeActions } from '../store/store';
import { singleSelectionReason } from './rules';
import { unless, type Command } from './types';

export const propertiesCommand: Command = {
  id: 'properties',
  label: (ctx) => ctx.t('command.properties'),
  glyph: 'info',
  canRun: (ctx) => unless(singleSelectionReason(ctx)),
  run: () => storeActions.setDetailsTab('general'),
};
