// Drag VMs onto a host in the tree (as XenCenter). The tree's scroll area handles the
// drag for all its rows: the plan of the dragged VMs is asked when the drag starts;
// hovering a host says whether it can take them (or the server's reason), and only a
// host that can accepts the drop, which starts the move.
import { useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import type { MigrationPlan } from '../../../shared/migration';
import type { InventoryNode } from '../../../shared/model';
import { runAction } from '../store/requests';
import { useStore } from '../store/store';
import { fetchMigrationPlan, type Answer } from './migration-requests';
import { reasonText } from './MigrationReason';
import { sharedTarget } from './spread';

const MIME = 'application/x-polyvisor-vms';
const GUESTS = new Set(['vm', 'container']);

/** What hovering a host row says, and where that row is in the tree's scroll area. */
export interface DropHint {
  hostName: string;
  ok: boolean;
  text: string;
  top: number;
}

interface Drag {
  vmIds: string[];
  plan: Answer<MigrationPlan> | null;
}

const movable = (node: InventoryNode | null | undefined): node is InventoryNode => !!node && GUESTS.has(node.kind) && node.allowed.includes('migrate');

function rowAt(target: EventTarget | null): { node: InventoryNode | undefined; el: HTMLElement } | null {
  const el = target instanceof Element ? target.closest<HTMLElement>('[role=treeitem][data-key]') : null;
  return el ? { node: useStore.getState().index.nodes.get(el.dataset.key!), el } : null;
}

function verdict(t: TFunction, drag: Drag, host: InventoryNode): { ok: boolean; text: string } {
  if (!drag.plan) return { ok: false, text: t('migration.checking') };
  if (!drag.plan.ok) return { ok: false, text: reasonText(t, drag.plan.error) };
  const shared = sharedTarget(drag.plan.value, host.id);
  if (shared.ok) return { ok: true, text: t('migration.dropOk', { count: drag.vmIds.length, name: host.name }) };
  const vm = useStore.getState().index.nodes.get(shared.vmId);
  const why = shared.reason ? reasonText(t, shared.reason) : vm?.parentId === host.id ? t('migration.alreadyThere') : t('migration.notATarget');
  return { ok: false, text: drag.vmIds.length > 1 && vm ? `${vm.name}: ${why}` : why };
}

/** Handlers for the tree's scroll area (its rows' events bubble to it) and the hint to show over the hovered host. */
export function useMigrationDrag(t: TFunction, selected: ReadonlySet<string>) {
  const drag = useRef<Drag | null>(null);
  const pressed = useRef<string | null>(null);
  const hovered = useRef<{ host: InventoryNode; top: number } | null>(null);
  const [hint, setHint] = useState<DropHint | null>(null);
  const [dragging, setDragging] = useState(false);

  const show = () => {
    const over = hovered.current;
    setHint(over && drag.current ? { hostName: over.host.name, top: over.top, ...verdict(t, drag.current, over.host) } : null);
  };
  const end = () => {
    drag.current = null;
    hovered.current = null;
    setHint(null);
    setDragging(false);
  };

  return {
    hint,
    /** VMs are being dragged (the tree says so for styling and for tests that wait for it) */
    dragging,
    onPointerDown(e: React.PointerEvent) {
      pressed.current = rowAt(e.target)?.el.dataset.key ?? null;
    },
    onDragStart(e: React.DragEvent) {
      const row = rowAt(e.target) ?? (pressed.current ? rowAt(document.querySelector(`[role=treeitem][data-key="${CSS.escape(pressed.current)}"]`)) : null);
      if (!row || !movable(row.node)) return e.preventDefault();
      const nodes = useStore.getState().index.nodes;
      const vmIds = selected.has(row.node.id) ? [...selected].map((k) => nodes.get(k)).filter(movable).map((n) => n.id) : [row.node.id];
      e.dataTransfer.setData(MIME, JSON.stringify(vmIds));
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setDragImage(row.el, 12, 11);
      const current: Drag = { vmIds, plan: null };
      drag.current = current;
      setDragging(true);
      void fetchMigrationPlan(vmIds).then((answer) => {
        if (drag.current !== current) return;
        current.plan = answer;
        show();
      });
    },
    onDragOver(e: React.DragEvent) {
      if (!drag.current) return;
      const row = rowAt(e.target);
      if (row?.node?.kind !== 'host') {
        if (hovered.current) {
          hovered.current = null;
          show();
        }
        return;
      }
      if (hovered.current?.host !== row.node) {
        hovered.current = { host: row.node, top: row.el.offsetTop };
        show();
      }
      if (verdict(t, drag.current, row.node).ok) {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }
    },
    onDrop(e: React.DragEvent) {
      const current = drag.current;
      const host = rowAt(e.target)?.node;
      end();
      if (!current || host?.kind !== 'host' || !verdict(t, current, host).ok) return;
      e.preventDefault();
      void runAction(current.vmIds, 'migrate', { targetId: host.id }, t('migration.command.migrate'));
    },
    onDragEnd: end,
  };
}
