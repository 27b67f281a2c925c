// A modal dialog frame: title, body, footer buttons; Escape cancels, focus starts inside.
import { useEffect, useId, useRef, type ReactNode } from 'react';

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
  useEffect(() => {
    const el = ref.current?.querySelector<HTMLElement>('[data-autofocus], input:not([type=hidden]):not(:disabled), select, button:not(:disabled)');
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
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onCancel();
          }
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
