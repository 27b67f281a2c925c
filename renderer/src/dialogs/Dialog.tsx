// A modal dialog frame: title, body, footer buttons; Escape cancels, Enter submits the form,
// focus starts inside, stays inside (Tab cycles) and returns to the opener (focus-trap.ts).
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { cycleTab, useFocusTrap } from './focus-trap';

export function Dialog(props: {
  title: string;
  testId: string;
  onCancel: () => void;
  children: ReactNode;
  footer: ReactNode;
  tone?: 'normal' | 'danger';
  wide?: boolean;
  onSubmit?: () => void;
}) {
  const titleId = useId();
  const ref = useRef<HTMLFormElement>(null);
  useFocusTrap(ref);
  useEffect(() => {
    // the field marked data-autofocus wins over the first one in the form (the password under its user name)
    const el =
      ref.current?.querySelector<HTMLElement>('[data-autofocus]') ??
      ref.current?.querySelector<HTMLElement>('input:not([type=hidden]):not(:disabled), select, button:not(:disabled)');
    el?.focus();
  }, []);
  return (
    <div className="dialog-backdrop">
      <form
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={props.testId}
        className={`dialog${props.tone === 'danger' ? ' danger' : ''}${props.wide ? ' wide' : ''}`}
        tabIndex={-1}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onCancel();
          } else if (e.key === 'Tab') {
            cycleTab(e.currentTarget, e);
          }
          // keys typed in a dialog never reach the tree or the page's shortcuts behind it
          e.stopPropagation();
        }}
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit?.();
        }}
      >
        <h2 id={titleId} className="dialog-title">
          {props.title}
        </h2>
        <div className="dialog-body">{props.children}</div>
        <div className="dialog-footer">{props.footer}</div>
      </form>
    </div>
  );
}
