// Completion for the search box: field names first, then a field's known values
// (servers, tags, states, types, hosts … as the inventory has them).
import { FIELD_NAMES, isFieldName, type FieldName } from './query';

export type KnownValues = Partial<Record<FieldName, readonly string[]>>;

export interface Completion {
  /** what the list shows */
  label: string;
  /** the query with this completion applied, and where the cursor goes */
  text: string;
  cursor: number;
}

/** The term the cursor is in: from its start (after a space or "(" outside quotes) to the cursor. */
function currentTerm(text: string, cursor: number): number {
  let start = 0;
  let quoted = false;
  for (let i = 0; i < cursor; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '(' || c === ')' || c === '\t')) start = i + 1;
  }
  if (text[start] === '-') start++;
  return start;
}

function quoteIfNeeded(value: string): string {
  return /^[^\s:()<>="\\]+$/.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * `known` may be a function: it is called only when a field's value is being completed, so a plain
 * term (the usual keystroke) never gathers the values over a large inventory.
 */
export function completeQuery(text: string, cursor: number, known: KnownValues | (() => KnownValues), limit = 12): Completion[] {
  const start = currentTerm(text, cursor);
  const term = text.slice(start, cursor);
  const after = text.slice(cursor).replace(/^[^\s()]*/, '');
  const replace = (insert: string): Completion => ({ label: insert, text: text.slice(0, start) + insert + after, cursor: start + insert.length });
  const colon = term.indexOf(':');
  if (colon < 0) {
    // nothing typed yet (after a space or a parenthesis): no list over the tree until a term begins
    if (!term) return [];
    const typed = term.toLowerCase();
    return FIELD_NAMES.filter((f) => f.startsWith(typed) && f !== typed)
      .slice(0, limit)
      .map((f) => ({ ...replace(`${f}:`), label: `${f}:` }));
  }
  const field = term.slice(0, colon).toLowerCase();
  if (!isFieldName(field)) return [];
  const typed = term.slice(colon + 1).replace(/^"/, '').replace(/"$/, '').toLowerCase();
  const seen = new Set<string>();
  const out: Completion[] = [];
  const values = typeof known === 'function' ? known() : known;
  for (const value of values[field] ?? []) {
    const lower = value.toLowerCase();
    if (seen.has(lower) || !lower.includes(typed) || lower === typed) continue;
    seen.add(lower);
    out.push({ ...replace(`${field}:${quoteIfNeeded(value)}`), label: value });
  }
  // values that start with what was typed first, then the others, each alphabetically
  out.sort((a, b) => Number(!a.label.toLowerCase().startsWith(typed)) - Number(!b.label.toLowerCase().startsWith(typed)) || a.label.localeCompare(b.label));
  return out.slice(0, limit);
}
