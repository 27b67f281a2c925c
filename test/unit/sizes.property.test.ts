import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSize, parseSize, parseSizeRange } from '../../shared/sizes';

describe('parseSize', () => {
  it('reads binary and decimal units', () => {
    expect(parseSize('4GiB')).toEqual({ ok: true, bytes: 4 * 1024 ** 3 });
    expect(parseSize('4 GB')).toEqual({ ok: true, bytes: 4e9 });
    expect(parseSize('512m')).toEqual({ ok: true, bytes: 512 * 1024 ** 2 });
    expect(parseSize('1.5 GiB')).toEqual({ ok: true, bytes: 1.5 * 1024 ** 3 });
    expect(parseSize('2048', 'mib')).toEqual({ ok: true, bytes: 2 * 1024 ** 3 });
  });

  it('names the problem with a bad size or unit', () => {
    expect(parseSize('four gigs')).toMatchObject({ ok: false, problem: expect.stringContaining('not a size') });
    expect(parseSize('4 GiBs')).toMatchObject({ ok: false, problem: expect.stringContaining('not a unit') });
    expect(parseSize('-1GiB')).toMatchObject({ ok: false });
    expect(parseSize('99999999999 TiB')).toMatchObject({ ok: false, problem: expect.stringContaining('too large') });
  });

  it('reads back what formatSize writes, for whole MiB', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 * 1024 * 1024 }), (mib) => {
        const bytes = mib * 1024 ** 2;
        const back = parseSize(formatSize(bytes));
        expect(back.ok).toBe(true);
        // formatSize rounds to two decimals of its unit
        if (back.ok) expect(Math.abs(back.bytes - bytes) / bytes).toBeLessThan(0.01);
      }),
    );
  });
});

describe('parseSizeRange', () => {
  it('reads MIN..MAX and refuses a range that starts above its end', () => {
    expect(parseSizeRange('2GiB..4GiB')).toEqual({ ok: true, min: 2 * 1024 ** 3, max: 4 * 1024 ** 3 });
    expect(parseSizeRange('4GiB..2GiB')).toMatchObject({ ok: false, problem: expect.stringContaining('starts above') });
    expect(parseSizeRange('4GiB')).toMatchObject({ ok: false, problem: expect.stringContaining('not a range') });
  });
});
