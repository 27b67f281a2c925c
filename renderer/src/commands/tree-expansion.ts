// Expand all / Collapse all in the tree (keys * and - in the tree, as tree views have them).
// Collapsing keeps every row that has children closed, so only the servers stay.
import { storeActions } from '../store/store';
import { treeOrder } from '../tree/search-visibility';
import { CAN_RUN, type Command } from './types';

export const expandAllCommand: Command = {
  id: 'expand-all',
  label: (ctx) => ctx.t('command.expandAll'),
  canRun: () => CAN_RUN,
  run: () => storeActions.setCollapsed(new Set()),
};

export const collapseAllCommand: Command = {
  id: 'collapse-all',
  label: (ctx) => ctx.t('command.collapseAll'),
  canRun: () => CAN_RUN,
  run(ctx) {
    const order = treeOrder(ctx.state.servers, ctx.state.index);
    const parents = new Set<string>();
    for (let i = 0; i < order.keys.length; i++) if (order.end[i] > i + 1) parents.add(order.keys[i]);
    storeActions.setCollapsed(parents);
  },
};
