// Install or remove the OS timer (systemd user timer, cron, LaunchAgent, Task Scheduler)
// that runs Polyvisor's own policies while the app is closed.
import { changeRunner } from '../schedules/policy-requests';
import { storeActions } from '../store/store';
import { CAN_RUN, cannot, type CanRun, type Command, type CommandContext } from './types';

function runnerReason(ctx: CommandContext, wantInstalled: boolean): CanRun {
  const status = ctx.state.runnerStatus;
  if (!status) return cannot(ctx.t('schedules.reason.runnerUnknown'));
  if (status.installed === wantInstalled) return CAN_RUN;
  return cannot(wantInstalled ? ctx.t('schedules.reason.runnerNotInstalled') : ctx.t('schedules.reason.runnerInstalled'));
}

export const installRunnerCommand: Command = {
  id: 'install-runner',
  label: (ctx) => ctx.t('schedules.command.installRunner'),
  glyph: 'add',
  canRun: (ctx) => runnerReason(ctx, false),
  async run(ctx) {
    const status = await changeRunner('install');
    storeActions.inform(ctx.t('schedules.runnerInstalledNotice', { mechanism: ctx.t(`schedules.mechanism.${status.mechanism}`) }));
  },
};

export const uninstallRunnerCommand: Command = {
  id: 'uninstall-runner',
  label: (ctx) => ctx.t('schedules.command.uninstallRunner'),
  glyph: 'remove',
  canRun: (ctx) => runnerReason(ctx, true),
  async run(ctx) {
    await changeRunner('uninstall');
    storeActions.inform(ctx.t('schedules.runnerRemovedNotice'));
  },
};
