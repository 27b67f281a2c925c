// Tokens of the search language, each with its offset for error messages.
import type { SearchError } from './query';

export type Token =
  | { kind: 'word'; text: string; quoted: boolean; pos: number }
  | { kind: 'colon' | 'lparen' | 'rparen' | 'not'; pos: number }
  | { kind: 'op'; op: '>' | '>=' | '<' | '<=' | '='; pos: number }
  | { kind: 'and' | 'or'; pos: number };

const SPECIAL = new Set([':', '(', ')', '>', '<', '=', '"', ' ', '\t', '\n', '\r']);

export function tokenize(text: string): { ok: true; tokens: Token[] } | { ok: false; error: SearchError } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', pos: i });
      i++;
    } else if (c === ':') {
      tokens.push({ kind: 'colon', pos: i });
      i++;
    } else if (c === '>' || c === '<') {
      const op = text[i + 1] === '=' ? (`${c}=` as const) : c;
      tokens.push({ kind: 'op', op, pos: i });
      i += op.length;
    } else if (c === '=') {
      tokens.push({ kind: 'op', op: '=', pos: i });
      i++;
    } else if (c === '"') {
      const start = i;
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        // a backslash keeps the next character as it is (a quote or a backslash in a name)
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) return { ok: false, error: { code: 'unclosed-quote', position: start, token: '"', message: `The quote at ${start + 1} is not closed` } };
      i++;
      tokens.push({ kind: 'word', text: value, quoted: true, pos: start });
    } else if (c === '-' && i + 1 < text.length && !SPECIAL.has(text[i + 1]!)) {
      // a minus that starts a term is NOT ("-tag:test"); inside a word it stays part of it (web-01)
      tokens.push({ kind: 'not', pos: i });
      i++;
    } else {
      const start = i;
      while (i < text.length && !SPECIAL.has(text[i]!)) i++;
      const word = text.slice(start, i);
      tokens.push(keyword(word, start));
    }
  }
  return { ok: true, tokens };
}

function keyword(word: string, pos: number): Token {
  if (word === 'AND' || word === '&&') return { kind: 'and', pos };
  if (word === 'OR' || word === '||') return { kind: 'or', pos };
  if (word === 'NOT' || word === '!') return { kind: 'not', pos };
  return { kind: 'word', text: word, quoted: false, pos };
}
