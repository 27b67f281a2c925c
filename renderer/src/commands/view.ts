// View settings as commands, so the native View menu shows and changes them:
// templates in the tree, and the colour theme.
import type { Settings } from '../../../shared/contract';
import { changeSettings } from '../store/requests';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

const settingsLoaded = (ctx: CommandContext) => (ctx.state.settings ? CAN_RUN : cannot(ctx.t('reason.loading')));

export const showTemplatesCommand: Command = {
  id: 'show-templates',
  label: (ctx) => ctx.t('command.showTemplates'),
  canRun: settingsLoaded,
  checked: (ctx) => ctx.state.settings?.showTemplates ?? false,
  run: (ctx) => changeSettings({ showTemplates: !(ctx.state.settings?.showTemplates ?? false) }),
};

const THEME_LABELS: Record<Settings['theme'], string> = { system: 'settings.themeSystem', light: 'settings.themeLight', dark: 'settings.themeDark' };

function themeCommand(theme: Settings['theme']): Command {
  return {
    id: `theme-${theme}`,
    label: (ctx) => ctx.t(THEME_LABELS[theme]),
    canRun: settingsLoaded,
    checked: (ctx) => ctx.state.settings?.theme === theme,
    radio: true,
    run: () => changeSettings({ theme }),
  };
}

export const THEME_COMMANDS: Command[] = (['system', 'light', 'dark'] as const).map(themeCommand);
