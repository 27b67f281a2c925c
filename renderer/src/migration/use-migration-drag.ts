// Drag VMs onto a host in the tree (as XenCenter): the plan of the dragged VMs is
// asked when the drag starts; hovering a host says whether it can take them (or the
// server's reason) and only a host that can accepts the drop, which starts the move.
import { useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import type { MigrationPlan } from '../../../shared/migration';
import type { InventoryNode } from '../../../shared/model';
import { runAction } from '../store/requests';
import { useStore } from '../store/store';
import type { TreeRow } from '../tree/flatten';
import { fetchMigrationPlan, type Answer } from './migration-requests';
import { reasonText } from './MigrationReason';
import { sharedTarget } from './spread';

const MIME = 'application/x-polyvisor-vms';
const GUESTS = new Set(['vm', 'container']);

export interface DropHint {
  key: string;
  ok: boolean;
  text: string;
}

interface Drag {
  vmIds: string[];
  plan: Answer<MigrationPlan> | null;
}

const movable = (node: InventoryNode | null | undefined): node is InventoryNode => !!node && GUESTS.has(node.kind) && node.allowed.includes('migrate');

function verdict(t: TFunction, drag: Drag, host: InventoryNode): { ok: boolean; text: string } {
  if (!drag.plan) return { ok: false, text: t('migration.checking') };
  if (!drag.plan.ok) return { ok: false, text: reasonText(t, drag.plan.error) };
  const nodes = useStore.getState().index.nodes;
  const shared = sharedTarget(drag.plan.value, host.id);
  if (shared.ok) return { ok: true, text: t('migration.dropOk', { count: drag.vmIds.length, name: host.name }) };
  const vm = nodes.get(shared.vmId);
  const why = shared.reason ? reasonText(t, shared.reason) : vm?.parentId === host.id ? t('migration.alreadyThere') : t('migration.notATarget');
  return { ok: false, text: drag.vmIds.length > 1 && vm ? `${vm.name}: ${why}` : why };
}

export function useMigrationDrag(t: TFunction, selected: ReadonlySet<string>) {
  const drag = useRef<Drag | null>(null);
  const [hint, setHint] = useState<DropHint | null>(null);
  const hovered = useRef<InventoryNode | null>(null);

  const show = (host: InventoryNode | null, key: string | null) => {
    hovered.current = host;
    setHint(host && key && drag.current ? { key, ...verdict(t, drag.current, host) } : null);
  };
  const end = () => {
    drag.current = null;
    show(null, null);
  };

  return {
    hint,
    draggable: (row: TreeRow) => movable(row.node),
    onDragStart(e: React.DragEvent, row: TreeRow) {
      if (!movable(row.node)) return e.preventDefault();
      const nodes = useStore.getState().index.nodes;
      const vmIds = selected.has(row.key) ? [...selected].map((k) => nodes.get(k)).filter(movable).map((n) => n.id) : [row.node!.id];
      e.dataTransfer.setData(MIME, JSON.stringify(vmIds));
      e.dataTransfer.effectAllowed = 'move';
      const current: Drag = { vmIds, plan: null };
      drag.current = current;
      void fetchMigrationPlan(vmIds).then((answer) => {
        if (drag.current !== current) return;
        current.plan = answer;
        const host = hovered.current;
        if (host) show(host, host.id);
      });
    },
    onDragOver(e: React.DragEvent, row: TreeRow) {
      if (!drag.current) return;
      if (row.node?.kind !== 'host') return show(null, null);
      const v = verdict(t, drag.current, row.node);
      if (hint?.key !== row.key || hint.ok !== v.ok || hint.text !== v.text) show(row.node, row.key);
      else hovered.current = row.node;
      if (v.ok) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }
    },
    onDrop(e: React.DragEvent, row: TreeRow) {
      const current = drag.current;
      end();
      if (!current || row.node?.kind !== 'host' || !verdict(t, current, row.node).ok) return;
      e.preventDefault();
      void runAction(current.vmIds, 'migrate', { targetId: row.node.id }, t('migration.command.migrate'));
    },
    onDragEnd: end,
  };
}
