// The memory range of a guest as XenCenter's Ballooning page draws it:
// static min ≤ dynamic min ≤ dynamic max ≤ static max. The slider keeps each
// bound between its neighbours; problems name the pair that is out of order.
import type { MemoryConfig } from '../../../shared/guests';

export interface MemoryRange {
  staticMin: number;
  dynamicMin: number;
  dynamicMax: number;
  staticMax: number;
}

export type RangeBound = keyof MemoryRange;

/** Left to right on the slider. */
export const BOUND_ORDER: readonly RangeBound[] = ['staticMin', 'dynamicMin', 'dynamicMax', 'staticMax'];

export type OrderProblem = 'staticMinAboveDynamicMin' | 'dynamicMinAboveDynamicMax' | 'dynamicMaxAboveStaticMax';

/** The range a MemoryConfig describes; parts a platform lacks sit on their neighbours (no dynamic range: min = max = size). */
export function rangeOf(memory: MemoryConfig): MemoryRange {
  const staticMax = memory.sizeBytes;
  const dynamicMax = memory.dynamicMaxBytes ?? staticMax;
  const dynamicMin = memory.dynamicMinBytes ?? dynamicMax;
  const staticMin = memory.staticMinBytes ?? Math.min(dynamicMin, staticMax);
  return { staticMin, dynamicMin, dynamicMax, staticMax };
}

export function orderProblems(range: MemoryRange): OrderProblem[] {
  const out: OrderProblem[] = [];
  if (range.staticMin > range.dynamicMin) out.push('staticMinAboveDynamicMin');
  if (range.dynamicMin > range.dynamicMax) out.push('dynamicMinAboveDynamicMax');
  if (range.dynamicMax > range.staticMax) out.push('dynamicMaxAboveStaticMax');
  return out;
}

/**
 * Moves one bound, held between its neighbours (a thumb never passes another). Where the
 * range ends at the size (Proxmox's balloon) dynamic max is no bound of its own: it follows static max.
 */
export function moveBound(range: MemoryRange, bound: RangeBound, value: number, endsAtSize = false): MemoryRange {
  const order = endsAtSize ? BOUND_ORDER.filter((b) => b !== 'dynamicMax') : BOUND_ORDER;
  const at = order.indexOf(bound);
  if (at < 0) return range;
  const below = at > 0 ? range[order[at - 1]] : 0;
  const above = at < order.length - 1 ? range[order[at + 1]] : Number.MAX_SAFE_INTEGER;
  const moved = { ...range, [bound]: Math.min(Math.max(value, below), above) };
  return endsAtSize ? endingAtSize(moved) : moved;
}

/** The dynamic range ending at the size: its maximum is static max. */
export function endingAtSize(range: MemoryRange): MemoryRange {
  return { ...range, dynamicMax: range.staticMax };
}

/** Where the slider ends: a little beyond the largest value, on a whole GiB (or MiB step for small guests). */
export function scaleEnd(range: MemoryRange, ceiling?: number): number {
  const top = Math.max(range.staticMax, range.dynamicMax, ceiling ?? 0);
  const step = top >= 4 * 1024 ** 3 ? 1024 ** 3 : 128 * 1024 ** 2;
  return Math.max(step, Math.ceil((top * 1.1) / step) * step);
}

/** A slider position (0..1) for bytes on a scale ending at `end`. */
export function fraction(bytes: number, end: number): number {
  return end > 0 ? Math.min(1, Math.max(0, bytes / end)) : 0;
}

/** The slider's step: 1 MiB under 4 GiB, 64 MiB above (thumbs land on round sizes). */
export function sliderStep(end: number): number {
  return end > 4 * 1024 ** 3 ? 64 * 1024 ** 2 : 1024 ** 2;
}

/** Without a dynamic range the guest's memory is one size: the dynamic bounds follow static max. */
export function withoutDynamic(range: MemoryRange): MemoryRange {
  return { staticMin: Math.min(range.staticMin, range.staticMax), dynamicMin: range.staticMax, dynamicMax: range.staticMax, staticMax: range.staticMax };
}
