// Right-click menu on the tree: the commands for the kind of selection
// (commands/layouts.ts contextMenuFor), with separators; a disabled item says why.
// Other lists (a snapshot row's) open it with their own items and scope.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore, storeActions } from '../store/store';
import { contextMenuFor } from '../commands/layouts';
import { runCommand } from '../commands/runner';
import type { CommandScope } from '../commands/types';
import { useCommandContext, viewsOf } from '../commands/use-commands';

const ITEM_HEIGHT = 26;

export function ContextMenu() {
  const menu = useStore((s) => s.contextMenu);
  return menu ? <OpenMenu x={menu.x} y={menu.y} own={menu.items} scope={menu.scope} /> : null;
}

/** The open menu: only then does it follow the store (and evaluate its commands). */
function OpenMenu({ x: atX, y: atY, own, scope }: { x: number; y: number; own?: string[]; scope?: CommandScope }) {
  const { t } = useTranslation();
  const ctx = useCommandContext(scope);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
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
  }, [atX, atY]);

  const items = own ?? contextMenuFor(ctx);
  const views = viewsOf(items, ctx);
  const x = Math.min(atX, window.innerWidth - 260);
  const y = Math.max(0, Math.min(atY, window.innerHeight - items.length * ITEM_HEIGHT - 8));
  return (
    <div ref={ref} className="context-menu" role="menu" aria-label={t('menu.contextLabel')} data-testid="context-menu" style={{ left: x, top: y }}>
      {items.map((id, i) => {
        if (id === '|') return <div key={`sep-${i}`} role="separator" className="menu-separator" />;
        const view = views.get(id);
        if (!view) return null;
        return (
          <button
            key={id}
            type="button"
            role="menuitem"
            data-testid={`menu-${id}`}
            data-disabled-reason={view.reason}
            disabled={!view.enabled}
            title={view.reason ?? undefined}
            onClick={() => {
              storeActions.closeContextMenu();
              runCommand(id, scope);
            }}
            onKeyDown={(e) => {
              const buttons = Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? []);
              const at = buttons.indexOf(e.currentTarget);
              if (e.key === 'ArrowDown') buttons[(at + 1) % buttons.length]?.focus();
              else if (e.key === 'ArrowUp') buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
              else return;
              e.preventDefault();
            }}
          >
            <span className="menu-label">{view.label}</span>
            {view.keys ? <span className="menu-keys">{view.keys}</span> : null}
          </button>
        );
      })}
    </div>
  );
}
