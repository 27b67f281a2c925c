// A command as a button: its label and glyph, its shortcut in the tooltip, and when
// disabled the reason why (tooltip and data-disabled-reason).
import type { CommandView } from '../commands/evaluate';
import { Glyph } from './Icons';

/** The tooltip: the label with its keys, then the reason when disabled. */
export function commandTitle(view: CommandView): string {
  const head = view.keys ? `${view.label} (${view.keys})` : view.label;
  return view.reason ? `${head}\n${view.reason}` : head;
}

export function CommandButton(props: { view: CommandView; testId: string; className?: string; iconOnly?: boolean; onRun: () => void }) {
  const { view } = props;
  return (
    <button
      type="button"
      className={props.className}
      data-testid={props.testId}
      data-command={view.id}
      data-disabled-reason={view.reason}
      disabled={!view.enabled}
      title={commandTitle(view)}
      aria-label={view.label}
      aria-pressed={view.checked}
      onClick={props.onRun}
    >
      {view.glyph ? <Glyph name={view.glyph} /> : null}
      {props.iconOnly ? null : <span>{view.label}</span>}
    </button>
  );
}
