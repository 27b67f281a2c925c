// Type-to-find in the tree, as in a file manager: letters typed in quick succession
// make a prefix; the next visible row whose name starts with it gets the focus.
import type { TreeOrder, VisibleRows } from './flatten';

/** Typing pauses longer than this start a new prefix. */
export const TYPE_AHEAD_RESET_MS = 800;

/**
 * The visible index of the first row at or after `from` (wrapping) whose name starts with
 * `prefix`; -1 when none does. A prefix of one letter repeated ("ww") cycles through the
 * rows starting with that letter, as Windows' tree views do.
 */
export function findByPrefix(order: TreeOrder, rows: VisibleRows, prefix: string, from: number): number {
  const needle = prefix.toLowerCase();
  const repeated = needle.length > 1 && [...needle].every((c) => c === needle[0]);
  const wanted = repeated ? needle[0] : needle;
  const count = rows.positions.length;
  // a new prefix may match the focused row itself; a repeated letter moves on
  const start = repeated || needle.length === 1 ? from + 1 : Math.max(0, from);
  for (let step = 0; step < count; step++) {
    const i = (((start + step) % count) + count) % count;
    if (order.names[rows.positions[i]].startsWith(wanted)) return i;
  }
  return -1;
}

/** Collects typed letters into a prefix; a pause starts a new one. */
export class TypeAhead {
  private prefix = '';
  private last = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The prefix after typing `letter`. */
  type(letter: string): string {
    const at = this.now();
    this.prefix = at - this.last > TYPE_AHEAD_RESET_MS ? letter : this.prefix + letter;
    this.last = at;
    return this.prefix;
  }

  /** True while a prefix is being typed: a key that also has a command of its own ("-", "*") belongs to the name. */
  typing(): boolean {
    return this.prefix !== '' && this.now() - this.last <= TYPE_AHEAD_RESET_MS;
  }
}
