// The slots shared by every Proxmox VE server's background snapshot-list reads: never more
// in flight than the limit, first come first served, a slot given back whether the read
// succeeds or fails.
import { describe, expect, it } from 'vitest';
import { SharedSlots } from '../../electron/core/providers/proxmox/background-reads';

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SharedSlots', () => {
  it('runs at most `limit` at once, the waiting ones in the order they asked, and frees a slot on failure', async () => {
    const slots = new SharedSlots(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        most = Math.max(most, ++inFlight);
        try {
          await g.promise;
        } finally {
          inFlight--;
        }
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1].reject(new Error('refused'));
    await expect(runs[1]).rejects.toThrow('refused');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    await Promise.all([runs[0], runs[2]]);
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3].resolve();
    gates[4].resolve();
    await Promise.all(runs.filter((_, i) => i !== 1));
    expect(most).toBe(2);
  });
});
