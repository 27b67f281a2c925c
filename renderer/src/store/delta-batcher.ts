// Inventory deltas arrive in bursts; apply them at most once per animation frame.
import type { InventoryDelta } from '../../../shared/model';

export function createDeltaBatcher(apply: (deltas: InventoryDelta[]) => void): (delta: InventoryDelta) => void {
  let pending: InventoryDelta[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    apply(batch);
  };
  return (delta) => {
    pending.push(delta);
    if (scheduled) return;
    scheduled = true;
    // hidden tabs get no animation frames: fall back to a timer there
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') setTimeout(flush, 50);
    else requestAnimationFrame(flush);
  };
}
