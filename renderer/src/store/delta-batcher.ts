// Inventory deltas arrive in bursts; apply them at most once per animation frame, a node
// changed several times since the last frame once, in its latest state.
import type { InventoryDelta } from '../../../shared/model';
import { coalesceDeltas } from './coalesce-deltas';

export function createDeltaBatcher(apply: (deltas: InventoryDelta[]) => void): (delta: InventoryDelta) => void {
  let pending: InventoryDelta[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    apply(coalesceDeltas(batch));
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
