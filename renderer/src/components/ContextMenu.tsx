// Right-click menu on the tree: power and snapshot actions for VMs, connection actions for servers.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { POWER_ACTIONS } from '../../../shared/model';
import { useStore, storeActions } from '../store/store';
import { actionTargets, selectedNodes, selectedServers } from '../store/selectors';
import { connectServer, disconnectServer, runAction } from '../store/commands';

interface Item {
  id: string;
  label: string;
  disabled?: boolean;
  run: () => void;
}

export function ContextMenu() {
  const { t } = useTranslation();
  const menu = useStore((s) => s.contextMenu);
  const nodes = useStore(useShallow((s) => selectedNodes(s)));
  const servers = useStore(useShallow((s) => selectedServers(s)));
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menu) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent && e.key !== 'Escape') return;
      if (e.type === 'mousedown' && ref.current?.contains(e.target as Node)) return;
      storeActions.closeContextMenu();
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    window.addEventListener('blur', close);
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
      window.removeEventListener('blur', close);
    };
  }, [menu]);

  if (!menu) return null;

  const items: Item[] = [];
  if (servers.length) {
    items.push({
      id: 'connect',
      label: t('toolbar.connect'),
      disabled: !servers.some((s) => s.state !== 'connected'),
      run: () => servers.forEach((s) => void connectServer(s.id)),
    });
    items.push({
      id: 'disconnect',
      label: t('toolbar.disconnect'),
      disabled: !servers.some((s) => s.state !== 'disconnected'),
      run: () => servers.forEach((s) => void disconnectServer(s.id)),
    });
    if (servers.length === 1)
      items.push({ id: 'edit', label: t('server.edit'), run: () => storeActions.openDialog({ kind: 'addServer', editId: servers[0].id }) });
  }
  const actionable = nodes.filter((n) => n.kind === 'vm' || n.kind === 'container' || n.kind === 'host' || n.kind === 'project');
  if (actionable.length) {
    for (const action of POWER_ACTIONS) {
      const targets = actionTargets(actionable, action);
      if (targets.length) items.push({ id: action, label: t(`action.${action}`), run: () => void runAction(targets, action) });
    }
    if (actionable.length === 1 && actionable[0].allowed.includes('snapshot_create')) {
      const vm = actionable[0];
      items.push({ id: 'snapshot', label: t('toolbar.takeSnapshot'), run: () => storeActions.openDialog({ kind: 'snapshotCreate', vmId: vm.id, memory: false }) });
    }
  }
  if (items.length === 0) items.push({ id: 'none', label: t('menu.noActions'), disabled: true, run: () => undefined });

  const x = Math.min(menu.x, window.innerWidth - 220);
  const y = Math.min(menu.y, window.innerHeight - items.length * 26 - 8);
  return (
    <div ref={ref} className="context-menu" role="menu" data-testid="context-menu" style={{ left: x, top: y }}>
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          data-testid={`menu-${item.id}`}
          disabled={item.disabled}
          onClick={() => {
            storeActions.closeContextMenu();
            item.run();
          }}
          onKeyDown={(e) => {
            const buttons = Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? []);
            const i = buttons.indexOf(e.currentTarget);
            if (e.key === 'ArrowDown') buttons[(i + 1) % buttons.length]?.focus();
            else if (e.key === 'ArrowUp') buttons[(i - 1 + buttons.length) % buttons.length]?.focus();
            else return;
            e.preventDefault();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
