// The xport reader (XAPI rrd_updates) against documents written as xapi writes them:
// any legend and rows, cut into any chunks, read back to the same numbers in time
// order, only the kept columns; a document out of shape, cut short or over a limit
// is a PolyvisorError, never another exception or a guess.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../shared/errors';
import { XportReader } from '../../electron/core/providers/xenserver/metrics/xport-reader';
import { formatValue } from '../sim/xapi/rrd/rrd-updates';

interface Doc {
  step: number;
  legend: string[];
  /** newest first, as xapi writes them */
  rows: Array<{ t: number; v: number[] }>;
}

function write(doc: Doc): string {
  const times = doc.rows.map((r) => r.t);
  let xml = `<?xml version="1.0" encoding="UTF-8"?><xport><meta><start>${times.at(-1) ?? 0}</start><step>${doc.step}</step><end>${times[0] ?? 0}</end>`;
  xml += `<rows>${doc.rows.length}</rows><columns>${doc.legend.length}</columns><legend>${doc.legend.map((e) => `<entry>${e}</entry>`).join('')}</legend></meta><data>`;
  for (const r of doc.rows) xml += `<row><t>${r.t}</t>${r.v.map((v) => `<v>${formatValue(v)}</v>`).join('')}</row>`;
  return `${xml}</data></xport>`;
}

const uuid = fc.uuid();
const entry = fc.tuple(fc.constantFrom('vm', 'host'), uuid, fc.constantFrom('cpu0', 'cpu1', 'memory', 'vbd_xvda_read', 'vif_0_tx', 'memory_free_kib')).map(([type, id, name]) => `AVERAGE:${type}:${id}:${name}`);
const value = fc.oneof(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.constant(Number.NaN));
const doc: fc.Arbitrary<Doc> = fc
  .record({ step: fc.constantFrom(5, 60, 3600, 86_400), legend: fc.uniqueArray(entry, { maxLength: 8 }), count: fc.nat(30), end: fc.integer({ min: 1_000_000, max: 2_000_000_000 }) })
  .chain(({ step, legend, count, end }) =>
    fc.array(fc.array(value, { minLength: legend.length, maxLength: legend.length }), { minLength: count, maxLength: count }).map((values) => ({
      step,
      legend,
      rows: values.map((v, i) => ({ t: end - end % step - i * step, v })),
    })),
  );

function chunks(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const c of at) {
    out.push(text.slice(from, c));
    from = c;
  }
  out.push(text.slice(from));
  return out;
}

function read(pieces: Array<string | Buffer>, keep?: (e: string) => boolean) {
  const reader = new XportReader('test:443', keep);
  for (const p of pieces) reader.push(p);
  return reader.finish();
}

describe('xport reader', () => {
  it('reads back what xapi wrote, in any chunks, oldest first', () => {
    fc.assert(
      fc.property(doc, fc.array(fc.nat(), { maxLength: 12 }), (d, cuts) => {
        const text = write(d);
        const bytes = Buffer.from(text, 'utf8');
        const parsed = read(chunks(text, cuts).map((c) => Buffer.from(c, 'utf8')));
        expect(read([bytes]).values).toEqual(parsed.values);
        expect(parsed.step).toBe(d.step);
        expect(parsed.legend).toEqual(d.legend);
        const ascending = [...d.rows].reverse();
        expect(parsed.times).toEqual(ascending.map((r) => r.t));
        d.legend.forEach((_e, c) => {
          parsed.values[c]!.forEach((v, i) => {
            const written = Number(formatValue(ascending[i]!.v[c]!));
            if (Number.isNaN(written)) expect(v).toBeNaN();
            else expect(v).toBe(written);
          });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps only the columns asked for', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const keep = (e: string) => e.includes(':vm:');
        const parsed = read([write(d)], keep);
        expect(parsed.legend).toEqual(d.legend.filter(keep));
        expect(parsed.values).toHaveLength(parsed.legend.length);
      }),
    );
  });

  it('refuses a document cut short, out of shape or over its limits with a PolyvisorError', () => {
    fc.assert(
      fc.property(doc, fc.nat(), fc.string({ maxLength: 6 }), (d, at, junk) => {
        const text = write(d);
        const cut = at % text.length;
        const mutated = text.slice(0, cut) + junk + text.slice(cut + 1);
        try {
          read([mutated]);
        } catch (e) {
          expect(isPolyvisorError(e)).toBe(true);
        }
        expect(() => read([text.slice(0, Math.max(0, text.length - 1 - (at % 10)))])).toThrow(/cannot read/);
      }),
      { numRuns: 300 },
    );
    const one: Doc = { step: 5, legend: ['AVERAGE:vm:u:cpu0'], rows: [{ t: 10, v: [1] }] };
    expect(() => read([write(one).replace('<v>1.0000</v>', '<v>1</v><v>2</v>')])).toThrow(/more values/);
    expect(() => read([write(one).replace('<v>1.0000</v>', '<v>one</v>')])).toThrow(/not a number/);
    expect(() => new XportReader('t', undefined, { maxRows: 1, maxColumns: 10, maxTokenChars: 100 }).push(write({ ...one, rows: [...one.rows, ...one.rows] }))).toThrow(/more than 1 rows/);
    expect(() => new XportReader('t', undefined, { maxRows: 10, maxColumns: 10, maxTokenChars: 100 }).push(`<xport><meta><legend><entry>${'x'.repeat(200)}`)).toThrow(/too long/);
  });
});
