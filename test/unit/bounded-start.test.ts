// Starting many servers: a bounded number in flight, in the connecting order, and a
// server that never answers gives its place back after the slot's time.
import { describe, expect, it } from 'vitest';
import { startBounded } from '../../electron/core/connections/bounded-start';
import { connectOrder } from '../../electron/core/connections/connect-order';

const settleAfter = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('startBounded', () => {
  it('keeps at most `limit` attempts in flight and starts them in the order given', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    await startBounded(
      Array.from({ length: 20 }, (_, i) => i),
      async (i) => {
        started.push(i);
        most = Math.max(most, ++inFlight);
        await settleAfter(5 + (i % 3) * 5);
        inFlight--;
      },
      { limit: 4 },
    );
    expect(most).toBe(4);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('a dead server holds its slot only for slotMs: the ones behind it are not held up', async () => {
    const t0 = Date.now();
    const doneAt = new Map<string, number>();
    let release!: () => void;
    const dead = new Promise<void>((r) => (release = r));
    const run = startBounded(
      ['dead', 'a', 'b', 'c'],
      async (name) => {
        if (name === 'dead') return dead;
        await settleAfter(10);
        doneAt.set(name, Date.now() - t0);
      },
      { limit: 1, slotMs: 100 },
    );
    await new Promise<void>((r) => {
      const check = setInterval(() => doneAt.size === 3 && (clearInterval(check), r()), 5);
    });
    expect(Math.max(...doneAt.values())).toBeLessThan(2_000);
    // it still waits for every attempt to settle
    let settled = false;
    void run.then(() => (settled = true));
    await settleAfter(20);
    expect(settled).toBe(false);
    release();
    await run;
  });

  it('a failing attempt frees its slot at once and does not stop the others', async () => {
    const ran: string[] = [];
    await startBounded(['x', 'y', 'z'], async (n) => {
      ran.push(n);
      if (n === 'x') throw new Error('refused');
    }, { limit: 1 });
    expect(ran).toEqual(['x', 'y', 'z']);
  });
});

describe('connectOrder', () => {
  const sizes: Record<string, number> = { big: 5000, small: 10, none: 0, mid: 300, small2: 10 };
  const names = Object.keys(sizes);
  it('smallest first (never seen counts as smallest), ties in the saved order', () => {
    expect(connectOrder(names, (n) => sizes[n])).toEqual(['none', 'small', 'small2', 'mid', 'big']);
  });
  it('largest first when asked', () => {
    expect(connectOrder(names, (n) => sizes[n], 'largest-first')).toEqual(['big', 'mid', 'small', 'small2', 'none']);
  });
});
