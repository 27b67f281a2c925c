// The console toolbar's key-combination menu: keys the local OS keeps for itself
// (Ctrl+Alt+Del, Ctrl+Alt+F1…F12, Alt+Tab…) sent to the guest as pressed keys.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KEY_COMBOS, type KeyCombo } from './keysyms';

export function KeyComboMenu({ disabled, onSend }: { disabled: boolean; onSend: (combo: KeyCombo) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  return (
    <div className="console-keys" ref={root}>
      <button type="button" data-testid="console-keys" disabled={disabled} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {t('console.sendKeys')} ▾
      </button>
      {open ? (
        <div className="console-keys-menu" role="menu" data-testid="console-keys-menu" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {KEY_COMBOS.map((combo) => (
            <button
              key={combo.id}
              type="button"
              role="menuitem"
              data-testid={`console-key-${combo.id}`}
              onClick={() => {
                setOpen(false);
                onSend(combo);
              }}
            >
              {combo.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
