// state.db stores sets and maps as S-expressions: a set is `('a' 'b')`, a map
// `(('k' 'v') ('k2' 'v2'))`. Inside quotes, a backslash escapes the next char
// (`\'`, `\\`, `\"`), as xapi's SExpr module writes them. Parsing is lenient:
// some real dumps hold truncated values, which load as far as they go.
export type SExpr = string | SExpr[];

export function parseSExpr(text: string): SExpr {
  let i = 0;
  const n = text.length;
  const skip = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\t' || text[i] === '\r')) i++;
  };
  const parse = (): SExpr => {
    skip();
    const c = text[i];
    if (c === '(') {
      i++;
      const items: SExpr[] = [];
      for (;;) {
        skip();
        if (i >= n) return items; // truncated value (seen in real dumps): keep what is there
        if (text[i] === ')') {
          i++;
          return items;
        }
        items.push(parse());
      }
    }
    if (c === "'") {
      i++;
      let out = '';
      let start = i;
      while (i < n && text[i] !== "'") {
        if (text[i] === '\\') {
          out += text.slice(start, i) + (text[i + 1] ?? '');
          i += 2;
          start = i;
        } else i++;
      }
      out += text.slice(start, i); // an unterminated string ends the value
      i++;
      return out;
    }
    // bare atom (not produced by xapi, tolerated)
    const start = i;
    while (i < n && text[i] !== ' ' && text[i] !== ')' && text[i] !== '(') i++;
    return text.slice(start, i);
  };
  const result = parse();
  return result;
}

/** Serialises back to the state.db form (used when writing dumps from tests). */
export function formatSExpr(v: SExpr): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/"/g, '\\"')}'`;
  return `(${v.map(formatSExpr).join(' ')})`;
}
