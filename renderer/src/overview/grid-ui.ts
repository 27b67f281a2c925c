// The overview grid's fixed measures, its command buttons and small helpers.
import { TOOLBAR, type LayoutItem } from '../commands/layouts';
import type { GridRow } from './grid-rows';

export const ROW_HEIGHT = 26;
/** the header and the column filters above the rows */
export const HEAD_HEIGHT = 2 * 28;

/** What the grid's selection can do right above it: the toolbar's guest commands, from Start to Take snapshot. */
const guestPart = (id: string) => TOOLBAR.findIndex((item) => typeof item !== 'string' && item.id === id);
export const GRID_COMMANDS: readonly LayoutItem[] = TOOLBAR.slice(guestPart('start'), guestPart('take-snapshot') + 1);

/** The ids of the shown rows from one to the other, inclusive, in the shown order. */
export function rangeBetween(shown: readonly GridRow[], fromId: string, toId: string): string[] {
  const a = shown.findIndex((r) => r.node.id === fromId);
  const b = shown.findIndex((r) => r.node.id === toId);
  if (a < 0 || b < 0) return [toId];
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return shown.slice(lo, hi + 1).map((r) => r.node.id);
}

/** `<name>-overview-20250101-1200.csv`, keeping only characters every file system accepts. */
export function csvFileName(name: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  const safe = name.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^_+|_+$/g, '') || 'overview';
  return `${safe}-overview-${stamp}.csv`;
}
