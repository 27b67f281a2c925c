// Help › About: the version and mode of this Polyvisor.
import { storeActions } from '../store/store';
import { CAN_RUN, type Command } from './types';

export const aboutCommand: Command = {
  id: 'about',
  label: (ctx) => ctx.t('command.about'),
  opensDialog: true,
  canRun: () => CAN_RUN,
  run: () => storeActions.openDialog({ kind: 'about' }),
};
