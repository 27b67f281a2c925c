// The search language's parser: a small recursive-descent grammar.
//   query   := or
//   or      := and ( OR and )*
//   and     := unary ( [AND] unary )*          (juxtaposition is AND)
//   unary   := NOT unary | '-' unary | primary
//   primary := '(' or ')' | term
//   term    := word | field ':' value | field ('>'|'>='|'<'|'<='|'=') value
// Errors carry the offset they point at; parsing never throws.
import { parseSize } from '../sizes';
import { tokenize, type Token } from './lexer';
import { FIELDS, FIELD_NAMES, isFieldName, type CompareOp, type FieldName, type ParseResult, type Query, type SearchError } from './query';

class Failure {
  constructor(readonly error: SearchError) {}
}

export function parseQuery(text: string): ParseResult {
  const lexed = tokenize(text);
  if (!lexed.ok) return lexed;
  const parser = new Parser(lexed.tokens, text.length);
  try {
    if (lexed.tokens.length === 0) return { ok: true, query: null };
    const query = parser.or();
    parser.expectEnd();
    return { ok: true, query };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: e.error };
    throw e;
  }
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly end: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private fail(code: SearchError['code'], position: number, message: string, token?: string): never {
    throw new Failure({ code, position, message, ...(token !== undefined ? { token } : {}) });
  }

  expectEnd(): void {
    const t = this.peek();
    if (!t) return;
    if (t.kind === 'rparen') this.fail('unopened-paren', t.pos, `The ")" at ${t.pos + 1} closes nothing`, ')');
    this.fail('unexpected', t.pos, `Unexpected ${describe(t)} at ${t.pos + 1}`, describe(t));
  }

  or(): Query {
    const items = [this.and()];
    while (this.peek()?.kind === 'or') {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): Query {
    const items = [this.unary()];
    for (;;) {
      const t = this.peek();
      if (!t || t.kind === 'or' || t.kind === 'rparen') break;
      if (t.kind === 'and') this.i++;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private unary(): Query {
    const t = this.peek();
    if (t?.kind === 'not') {
      this.i++;
      return { kind: 'not', item: this.unary() };
    }
    return this.primary();
  }

  private primary(): Query {
    const t = this.peek();
    if (!t) this.fail('missing-operand', this.end, `The query ends where a search term is expected`);
    if (t.kind === 'lparen') {
      this.i++;
      if (this.peek()?.kind === 'rparen') this.fail('missing-operand', this.peek()!.pos, `Nothing between "(" and ")" at ${t.pos + 1}`, ')');
      const inner = this.or();
      const close = this.peek();
      if (close?.kind !== 'rparen') this.fail('unclosed-paren', t.pos, `The "(" at ${t.pos + 1} is not closed`, '(');
      this.i++;
      return inner;
    }
    if (t.kind !== 'word') this.fail(t.kind === 'and' || t.kind === 'or' ? 'missing-operand' : 'unexpected', t.pos, `Unexpected ${describe(t)} at ${t.pos + 1}`, describe(t));
    this.i++;
    const next = this.peek();
    if (t.quoted || !next || (next.kind !== 'colon' && next.kind !== 'op')) return { kind: 'text', field: null, value: t.text, exact: false };
    return this.fieldTerm(t, next);
  }

  private fieldTerm(word: Extract<Token, { kind: 'word' }>, sep: Token): Query {
    const field = word.text.toLowerCase();
    if (!isFieldName(field)) {
      this.fail('unknown-field', word.pos, `"${word.text}" at ${word.pos + 1} is not a field (${FIELD_NAMES.join(', ')})`, word.text);
    }
    this.i++;
    const value = this.peek();
    const sepEnd = sep.pos + (sep.kind === 'op' ? sep.op.length : 1);
    // the value follows its ":" or operator directly: "name: web" is a field without a value, then a word
    if (value?.kind !== 'word' || value.pos !== sepEnd) {
      const at = value && value.pos === sepEnd ? value.pos : sepEnd;
      this.fail('missing-value', at, `"${word.text}" at ${word.pos + 1} has no value`, word.text);
    }
    this.i++;
    const spec = FIELDS[field];
    const op: CompareOp | ':' = sep.kind === 'op' ? sep.op : ':';
    if (spec.type === 'text') {
      if (op !== ':' && op !== '=') this.fail('compare-on-text', sep.pos, `"${word.text}" is text: compare it with ":" or "=", not "${op}"`, op);
      return { kind: 'text', field, value: value.text, exact: op === '=' };
    }
    const unit = this.peek();
    // "memory>4 GiB": a unit written apart from its number belongs to it (sizes only: "vcpus>2 t" is a count and a name)
    const joined = spec.type === 'size' && unit?.kind === 'word' && !unit.quoted && /^\d+(\.\d+)?$/.test(value.text) && /^[kmgt]i?b?$|^b$/i.test(unit.text);
    if (joined) this.i++;
    const number = readNumber(field, joined ? `${value.text}${unit.text}` : value.text);
    if (number === null) this.fail('bad-number', value.pos, `"${value.text}" at ${value.pos + 1} is not ${spec.type === 'size' ? 'a size (4GiB, 512MiB, 20 GB)' : 'a number'}`, value.text);
    return { kind: 'compare', field, op: op === ':' ? '=' : op, value: number };
  }
}

/** Sizes take units (a bare number is MiB, as hypervisors count memory); counts are whole numbers. */
function readNumber(field: FieldName, text: string): number | null {
  if (FIELDS[field].type === 'count') return /^\d+$/.test(text) ? Number(text) : null;
  const size = parseSize(text, 'mib');
  return size.ok ? size.bytes : null;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'word':
      return t.text;
    case 'colon':
      return ':';
    case 'lparen':
      return '(';
    case 'rparen':
      return ')';
    case 'not':
      return 'NOT';
    case 'and':
      return 'AND';
    case 'or':
      return 'OR';
    case 'op':
      return t.op;
  }
}
