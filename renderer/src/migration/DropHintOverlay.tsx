// Over the host row a drag hovers: whether it takes the dragged VMs, or the server's reason.
import type { DropHint } from './use-migration-drag';

export function DropHintOverlay({ hint, height }: { hint: DropHint | null; height: number }) {
  if (!hint) return null;
  return (
    <div
      className={`drop-hint${hint.ok ? ' ok' : ' refused'}`}
      style={{ top: hint.top, height }}
      data-testid={hint.ok ? 'drop-ok' : 'drop-reason'}
      data-host={hint.hostName}
      role="status"
    >
      <span className="drop-hint-text">{hint.text}</span>
    </div>
  );
}
