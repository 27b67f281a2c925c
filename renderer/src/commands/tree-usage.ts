// View → Live usage in the tree: a small CPU bar on the rows of running VMs, containers and hosts.
import { changeSettings } from '../store/requests';
import { CAN_RUN, cannot, type Command } from './types';

export const treeUsageCommand: Command = {
  id: 'tree-usage',
  label: (ctx) => ctx.t('tree.usageColumns'),
  canRun: (ctx) => (ctx.state.settings ? CAN_RUN : cannot(ctx.t('reason.loading'))),
  checked: (ctx) => ctx.state.settings?.treeUsage === true,
  run: (ctx) => changeSettings({ treeUsage: !(ctx.state.settings?.treeUsage === true) }),
};
