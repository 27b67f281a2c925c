// The fleet bench's table: each measured number beside its goal and whether it was met.

export interface GoalRow {
  what: string;
  value: string;
  goal: string;
  /** absent: a number reported without a goal */
  met?: boolean;
}

export function goalTable(rows: GoalRow[]): string {
  const cells = rows.map((r) => [r.what, r.value, r.goal, r.met === undefined ? '' : r.met ? 'met' : 'NOT met']);
  const head = ['measured', 'value', 'goal', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  // a row without a verdict ends at its goal
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join(' | ').replace(/[\s|]+$/, '');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}
