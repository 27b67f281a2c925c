// Expand all / Collapse all in the tree (keys * and - in the tree, as tree views have them).
// Collapsing keeps every row that has children closed, so only the servers stay.
import { storeActions } from '../store/store';
import { treeOrder } from '../tree/search-visibility';
import type { TreeOrder } from '../tree/flatten';
import { CAN_RUN, type Command } from './types';

/** the keys of the rows with rows under them, per layout: collapsing again does not walk 100,000 rows */
const parentsOf = new WeakMap<TreeOrder, string[]>();

function parentKeys(order: TreeOrder): string[] {
  let keys = parentsOf.get(order);
  if (!keys) {
    keys = [];
    for (let i = 0; i < order.keys.length; i++) if (order.end[i] > i + 1) keys.push(order.keys[i]);
    parentsOf.set(order, keys);
  }
  return keys;
}

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
    storeActions.setCollapsed(new Set(parentKeys(treeOrder(ctx.state.servers, ctx.state.index))));
  },
};
