// The reconnect wait: full jitter under a capped exponential ceiling.
import { describe, expect, it } from 'vitest';
import { fullJitter } from '../../electron/core/util/timing';

describe('fullJitter', () => {
  it('is anywhere from 0 to the current delay: first, then doubling, never over the cap', () => {
    expect(fullJitter(1, 1000, 30_000, () => 0)).toBe(0);
    expect(fullJitter(1, 1000, 30_000, () => 0.999999)).toBe(1000);
    expect(fullJitter(2, 1000, 30_000, () => 0.5)).toBe(1000);
    expect(fullJitter(4, 1000, 30_000, () => 0.999999)).toBe(8000);
    expect(fullJitter(10, 1000, 30_000, () => 0.999999)).toBe(30_000);
    expect(fullJitter(500, 1000, 30_000, () => 0.999999)).toBe(30_000);
  });

  it('spreads a thousand servers over the whole first window', () => {
    const waits = Array.from({ length: 1000 }, () => fullJitter(1, 1000, 30_000)).sort((a, b) => a - b);
    expect(waits[0]).toBeGreaterThanOrEqual(0);
    expect(waits[999]).toBeLessThanOrEqual(1000);
    // about a tenth in each tenth of the window (uniform), none crowded
    for (let tenth = 0; tenth < 10; tenth++) {
      const inIt = waits.filter((w) => w >= tenth * 100 && w < (tenth + 1) * 100).length;
      expect(inIt).toBeGreaterThan(50);
      expect(inIt).toBeLessThan(160);
    }
  });
});
