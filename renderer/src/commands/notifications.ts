// Open the Notifications view: the servers' alerts, everyone's tasks and events, this app's tasks.
import { notificationActions } from '../notifications/notifications-store';
import { CAN_RUN, type Command } from './types';

export const notificationsCommand: Command = {
  id: 'notifications',
  label: (ctx) => ctx.t('notifications.command.open'),
  opensDialog: true,
  canRun: () => CAN_RUN,
  run: () => notificationActions.open('alerts'),
};
