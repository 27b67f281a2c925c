// A draggable divider between two panes; arrow keys move it too (a focusable separator).
import { useRef } from 'react';

const KEY_STEP = 16;

export function Splitter(props: {
  orientation: 'vertical' | 'horizontal';
  /** the size the divider controls, in pixels */
  value: number;
  min: number;
  max: number;
  /** +1: dragging right/down grows the pane; -1: it shrinks it (a pane below the divider) */
  direction: 1 | -1;
  label: string;
  testId: string;
  onResize: (value: number) => void;
}) {
  const drag = useRef<{ start: number; value: number } | null>(null);
  const vertical = props.orientation === 'vertical';
  const coordinate = (e: React.PointerEvent) => (vertical ? e.clientX : e.clientY);
  return (
    <div
      role="separator"
      aria-orientation={props.orientation}
      aria-label={props.label}
      aria-valuenow={props.value}
      aria-valuemin={props.min}
      aria-valuemax={props.max}
      tabIndex={0}
      data-testid={props.testId}
      className={`splitter ${props.orientation}`}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { start: coordinate(e), value: props.value };
        e.preventDefault();
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        props.onResize(drag.current.value + props.direction * (coordinate(e) - drag.current.start));
      }}
      onPointerUp={(e) => {
        e.currentTarget.releasePointerCapture(e.pointerId);
        drag.current = null;
      }}
      onKeyDown={(e) => {
        const grow = vertical ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
        const sign = grow[e.key as keyof typeof grow];
        if (!sign) return;
        props.onResize(props.value + props.direction * sign * KEY_STEP);
        e.preventDefault();
      }}
    />
  );
}
