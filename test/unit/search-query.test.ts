import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery, completeQuery, formatQuery, parseQuery, type FieldName, type Query, type SearchSubject } from '../../shared/search';

const GiB = 1024 ** 3;
const t = (value: string, field: FieldName | null = null, exact = false): Query => ({ kind: 'text', field, value, exact });

describe('search language: parsing', () => {
  it.each<[string, Query | null]>([
    ['', null],
    ['   ', null],
    ['web', t('web')],
    ['type:vm', t('vm', 'type')],
    ['TYPE:vm', t('vm', 'type')],
    ['name=web-01', t('web-01', 'name', true)],
    ['server:"lab pool"', t('lab pool', 'server')],
    ['name:"say \\"hi\\""', t('say "hi"', 'name')],
    ['memory>4GiB', { kind: 'compare', field: 'memory', op: '>', value: 4 * GiB }],
    ['memory>=4 GiB', { kind: 'compare', field: 'memory', op: '>=', value: 4 * GiB }],
    ['memory<4GB', { kind: 'compare', field: 'memory', op: '<', value: 4e9 }],
    ['memory<=512', { kind: 'compare', field: 'memory', op: '<=', value: 512 * 1024 ** 2 }],
    ['memory:1TiB', { kind: 'compare', field: 'memory', op: '=', value: 1024 ** 4 }],
    ['disk>20KiB', { kind: 'compare', field: 'disk', op: '>', value: 20 * 1024 }],
    ['vcpus=2', { kind: 'compare', field: 'vcpus', op: '=', value: 2 }],
    ['a b', { kind: 'and', items: [t('a'), t('b')] }],
    ['a AND b', { kind: 'and', items: [t('a'), t('b')] }],
    ['a && b || c', { kind: 'or', items: [{ kind: 'and', items: [t('a'), t('b')] }, t('c')] }],
    ['a OR b c', { kind: 'or', items: [t('a'), { kind: 'and', items: [t('b'), t('c')] }] }],
    ['(a OR b) c', { kind: 'and', items: [{ kind: 'or', items: [t('a'), t('b')] }, t('c')] }],
    ['NOT a', { kind: 'not', item: t('a') }],
    ['-tag:test', { kind: 'not', item: t('test', 'tag') }],
    ['NOT NOT a', { kind: 'not', item: { kind: 'not', item: t('a') } }],
    ['web-01', t('web-01')],
    ['and or', { kind: 'and', items: [t('and'), t('or')] }],
    ['"tag:x"', t('tag:x')],
    ['name:web*', t('web*', 'name')],
  ])('%j', (text, query) => {
    expect(parseQuery(text)).toEqual({ ok: true, query });
  });

  it('reads the issue example', () => {
    const r = parseQuery('type:vm state:running server:"lab pool" tag:prod host:dt16 os:windows memory>4GiB name:web*');
    expect(r.ok && r.query?.kind === 'and' && r.query.items.length).toBe(8);
  });
});

describe('search language: malformed queries', () => {
  it.each<[string, string, number, string?]>([
    ['(a', 'unclosed-paren', 0, '('],
    ['a (b OR (c)', 'unclosed-paren', 2, '('],
    ['a)', 'unopened-paren', 1, ')'],
    ['()', 'missing-operand', 1, ')'],
    ['"abc', 'unclosed-quote', 0, '"'],
    ['name:"abc', 'unclosed-quote', 5, '"'],
    ['foo:bar', 'unknown-field', 0, 'foo'],
    ['a colour:red', 'unknown-field', 2, 'colour'],
    ['name:', 'missing-value', 5, 'name'],
    ['name: web', 'missing-value', 5, 'name'],
    ['tag:(x)', 'missing-value', 4, 'tag'],
    ['AND a', 'missing-operand', 0, 'AND'],
    ['a OR', 'missing-operand', 4, undefined],
    ['a OR OR b', 'missing-operand', 5, 'OR'],
    ['NOT', 'missing-operand', 3, undefined],
    ['memory>lots', 'bad-number', 7, 'lots'],
    ['memory>4.5.5GiB', 'bad-number', 7, '4.5.5GiB'],
    ['memory> 4GiB', 'missing-value', 7, 'memory'],
    ['memory>4XB', 'bad-number', 7, '4XB'],
    ['vcpus>2.5', 'bad-number', 6, '2.5'],
    ['name>3', 'compare-on-text', 4, '>'],
    ['tag<=x', 'compare-on-text', 3, '<='],
    [':x', 'unexpected', 0, ':'],
    ['a :', 'unknown-field', 0, 'a'],
    ['>4', 'unexpected', 0, '>'],
  ])('%j: %s at %d', (text, code, position, token) => {
    const r = parseQuery(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code, position });
    if (token !== undefined) expect(r.error.token).toBe(token);
    expect(r.error.message).toMatch(/\S/);
  });
});

const subject = (over: Partial<SearchSubject>): SearchSubject => ({ type: 'vm', name: 'web-01', tags: [], ips: [], ...over });

describe('search language: matching', () => {
  const match = (text: string, s: SearchSubject) => {
    const r = parseQuery(text);
    if (!r.ok) throw new Error(r.error.message);
    return compileQuery(r.query)(s);
  };
  const win = subject({ name: 'Web-01', state: 'running', server: 'Lab Pool', host: 'dt16', os: 'Windows Server 2019', memory: 8 * GiB, vcpus: 4, tags: ['prod', 'web'], folder: '/Production/Web', ips: ['10.0.0.5'] });

  it('matches the issue example on a subject that has it all, and not when one part differs', () => {
    const q = 'type:vm state:running server:"lab pool" tag:prod host:dt16 os:windows memory>4GiB name:web*';
    expect(match(q, win)).toBe(true);
    expect(match(q, { ...win, state: 'halted' })).toBe(false);
    expect(match(q, { ...win, memory: 4 * GiB })).toBe(false);
    expect(match(q, { ...win, tags: ['production'] })).toBe(false);
    expect(match(q, { ...win, name: 'db-web' })).toBe(false);
  });

  it('bare words are name substrings, case-insensitive; wildcards anchor; "=" is the whole value', () => {
    expect(match('EB-0', win)).toBe(true);
    expect(match('name:web?01', win)).toBe(true);
    expect(match('name:eb*', win)).toBe(false);
    expect(match('name=web', win)).toBe(false);
    expect(match('name=WEB-01', win)).toBe(true);
  });

  it('exact fields compare whole values; lists match on any element', () => {
    expect(match('type:v', win)).toBe(false);
    expect(match('tag:WEB', win)).toBe(true);
    expect(match('tag:pro*', win)).toBe(true);
    expect(match('ip:10.0.0', win)).toBe(true);
    expect(match('folder:/Production', win)).toBe(true);
  });

  it('a field the object lacks never matches (and NOT of it does)', () => {
    const bare = subject({});
    expect(match('memory>0', bare)).toBe(false);
    expect(match('NOT memory>0', bare)).toBe(true);
    expect(match('os:linux', bare)).toBe(false);
  });

  it('AND, OR, NOT and parentheses', () => {
    expect(match('tag:nope OR tag:prod', win)).toBe(true);
    expect(match('tag:nope OR (tag:prod NOT state:running)', win)).toBe(false);
    expect(match('-tag:test vcpus>=4 vcpus<=4 vcpus=4', win)).toBe(true);
  });
});

describe('search language: completion', () => {
  it('offers field names, then known values quoted when needed', () => {
    expect(completeQuery('type:vm ta', 10, {}).map((c) => c.label)).toEqual(['tag:']);
    const values = completeQuery('type:vm tag:p', 13, { tag: ['test', 'prod', 'pre prod', 'PROD'] });
    expect(values.map((c) => c.label)).toEqual(['pre prod', 'prod']);
    expect(values[0]).toEqual({ label: 'pre prod', text: 'type:vm tag:"pre prod"', cursor: 22 });
  });

  it('replaces the term under the cursor and keeps the rest', () => {
    const [first] = completeQuery('ser state:running', 3, {});
    expect(first).toEqual({ label: 'server:', text: 'server: state:running', cursor: 7 });
    expect(completeQuery('-st', 3, {})[0]?.text).toBe('-state:');
    expect(completeQuery('nope:x', 6, { tag: ['x1'] })).toEqual([]);
    // a word after a count is a name, never a unit (fast-check found "vcpus>0 t" read as 0 TiB)
    expect(parseQuery('vcpus>0 t')).toEqual({ ok: true, query: { kind: 'and', items: [{ kind: 'compare', field: 'vcpus', op: '>', value: 0 }, { kind: 'text', field: null, value: 't', exact: false }] } });
    // a finished term (a name with parentheses, a space) opens no list over the tree
    expect(completeQuery('Windows XP SP2 (1)', 18, {})).toEqual([]);
    expect(completeQuery('web ', 4, {})).toEqual([]);
  });

  it('gathers the known values only when a field value is completed (a plain name is the usual keystroke)', () => {
    let gathered = 0;
    const lazy = () => {
      gathered++;
      return { tag: ['prod'] };
    };
    expect(completeQuery('web-01', 6, lazy)).toEqual([]);
    expect(completeQuery('ta', 2, lazy).map((c) => c.label)).toEqual(['tag:']);
    expect(gathered).toBe(0);
    expect(completeQuery('tag:pr', 6, lazy).map((c) => c.label)).toEqual(['prod']);
    expect(gathered).toBe(1);
  });
});

// ----- properties -----
const word = fc.stringMatching(/^[a-z0-9][a-z0-9.*_-]{0,6}$/);
const value = fc.oneof(word, fc.string({ maxLength: 8 }));
const term: fc.Arbitrary<Query> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), field: fc.constantFrom(null, 'name', 'type', 'tag', 'server', 'folder'), value, exact: fc.boolean() }).map((q) => (q.field === null ? { ...q, exact: false } : q) as Query),
  fc.record({ kind: fc.constant('compare' as const), field: fc.constantFrom('memory', 'disk'), op: fc.constantFrom('>', '>=', '<', '<=', '='), value: fc.nat({ max: 2 ** 40 }) }) as fc.Arbitrary<Query>,
  fc.record({ kind: fc.constant('compare' as const), field: fc.constant('vcpus'), op: fc.constantFrom('>', '<', '='), value: fc.nat({ max: 512 }) }) as fc.Arbitrary<Query>,
);
// a query as the parser builds it: no AND directly inside AND, no OR inside OR
const { query } = fc.letrec<{ query: Query; and: Query; or: Query; not: Query }>((tie) => ({
  query: fc.oneof({ depthSize: 'small', withCrossShrink: true }, term, tie('and'), tie('or'), tie('not')),
  and: fc.array(fc.oneof(term, tie('or'), tie('not')), { minLength: 2, maxLength: 3 }).map((items) => ({ kind: 'and', items })),
  or: fc.array(fc.oneof(term, tie('and'), tie('not')), { minLength: 2, maxLength: 3 }).map((items) => ({ kind: 'or', items })),
  not: fc.oneof(term, tie('and'), tie('or'), tie('not')).map((item) => ({ kind: 'not', item })),
}));

describe('search language: properties', () => {
  it('formatting a query and parsing it again gives the same query', () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(parseQuery(formatQuery(q))).toEqual({ ok: true, query: q });
      }),
      { numRuns: 400 },
    );
  });

  it('never throws: any text parses or names a problem at a position inside it', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', ':', '(', ')', '"', '\\', '>', '<', '=', '-', '*', 'AND', 'OR', 'NOT', 'tag', 'memory', '4GiB', 'é', '中');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 12 }).map((parts) => parts.join(''))), (text) => {
        const r = parseQuery(text);
        if (!r.ok) {
          expect(r.error.position).toBeGreaterThanOrEqual(0);
          expect(r.error.position).toBeLessThanOrEqual(text.length);
        } else {
          expect(() => compileQuery(r.query)(subject({}))).not.toThrow();
        }
        expect(() => completeQuery(text, text.length, { tag: ['x'] })).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});
