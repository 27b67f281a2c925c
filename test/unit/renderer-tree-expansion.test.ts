// Expand all / Collapse all: collapsing closes every row that has children (only the
// servers stay), expanding opens them all again; the tree's * and - keys run them.
import { describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { commandById } from '../../renderer/src/commands/registry';
import { menuCommandIds } from '../../renderer/src/commands/menu-bar';
import { useStore } from '../../renderer/src/store/store';
import { treeOrder } from '../../renderer/src/tree/search-visibility';
import { visibleRows } from '../../renderer/src/tree/flatten';
import { serverKey } from '../../renderer/src/tree/inventory-index';
import { ctxOf, server, state, vm } from './helpers/renderer-state';

const host = (s: string, name: string): InventoryNode => ({ ...vm(s, name), id: `${s}:host:${name}`, kind: 'host', state: undefined, allowed: [] });
const xen = server('x', 'xenserver');
const pve = server('p', 'proxmox');
const nodes = [host('x', 'h1'), host('x', 'h2'), vm('x', 'web', { parentId: 'x:host:h1' }), vm('x', 'db', { parentId: 'x:host:h2' }), host('p', 'n1'), vm('p', 'ct', { parentId: 'p:host:n1' })];

function shownNames(): string[] {
  const s = useStore.getState();
  const order = treeOrder(s.servers, s.index);
  return Array.from(visibleRows(order, s.collapsed, '', false).positions, (p) => order.keys[p]);
}

describe('expand all / collapse all', () => {
  it('collapse leaves only the servers, expand brings every row back; both are in the View menu', () => {
    const s = state({ servers: [xen, pve], nodes });
    useStore.setState(s);
    const everything = shownNames();
    expect(everything).toHaveLength(2 + nodes.length);

    commandById('collapse-all')!.run(ctxOf(useStore.getState()));
    expect(shownNames()).toEqual([serverKey('x'), serverKey('p')]);
    expect(useStore.getState().collapsed.has('x:host:h1')).toBe(true);
    expect(useStore.getState().collapsed.has('x:vm:web')).toBe(false);

    commandById('expand-all')!.run(ctxOf(useStore.getState()));
    expect(shownNames()).toEqual(everything);
    expect(menuCommandIds()).toEqual(expect.arrayContaining(['expand-all', 'collapse-all']));
  });
});
