// A modal dialog keeps the keyboard: Tab and Shift+Tab cycle inside it, focus that
// escapes (a click on the window's edge, a stray programmatic focus) comes back, and
// when it closes the focus returns to what opened it (the tree when that is gone).
import { useEffect, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not(:disabled), input:not(:disabled):not([type=hidden]), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

export function focusableIn(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
}

/** Tab from the last element goes to the first, Shift+Tab from the first to the last. */
export function cycleTab(root: HTMLElement, event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'preventDefault'>): void {
  if (event.key !== 'Tab') return;
  const items = focusableIn(root);
  if (items.length === 0) {
    event.preventDefault();
    return;
  }
  const active = root.ownerDocument.activeElement;
  const at = items.indexOf(active as HTMLElement);
  const next = event.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : at < 0 || at === items.length - 1 ? 0 : at + 1;
  items[next].focus();
  event.preventDefault();
}

export function useFocusTrap(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const opener = root.ownerDocument.activeElement instanceof HTMLElement ? root.ownerDocument.activeElement : null;
    const onFocusIn = (e: FocusEvent) => {
      const target = e.target as Node | null;
      // another modal above this one (a dialog opened from it) owns the keyboard
      const topmost = Array.from(root.ownerDocument.querySelectorAll('[aria-modal="true"]')).at(-1);
      if (topmost !== root || !target || root.contains(target)) return;
      (focusableIn(root)[0] ?? root).focus();
    };
    root.ownerDocument.addEventListener('focusin', onFocusIn);
    return () => {
      root.ownerDocument.removeEventListener('focusin', onFocusIn);
      const back = opener?.isConnected ? opener : root.ownerDocument.querySelector<HTMLElement>('[role=tree]');
      back?.focus();
    };
  }, [ref]);
}
