// The fleet bench's rows, printed as each is measured, so a run stopped part-way (its time
// cap, Ctrl+C, a phase that throws) still reports every number it reached.
import { goalTable, type GoalRow } from './report';

export class GoalReport {
  private readonly rows: GoalRow[] = [];

  add(row: GoalRow): void {
    this.rows.push(row);
    const verdict = row.met === undefined ? '' : row.met ? ' — met' : ' — NOT met';
    console.log(`[measured] ${row.what}: ${row.value} (goal ${row.goal})${verdict}`);
  }

  get size(): number {
    return this.rows.length;
  }

  /** the table of every row so far; `partial` names why the run ended early */
  print(heading: string, partial?: string): void {
    console.log(`\n${heading}${partial ? ` — PARTIAL (${partial}): ${this.rows.length} rows measured` : ''}`);
    if (this.rows.length) console.log(goalTable(this.rows));
  }
}
