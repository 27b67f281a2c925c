// The fleet bench's measuring tools: the whole-app memory read from /proc without holding
// the core's thread, and the long blocks of a CPU profile with what ran inside them.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, test } from 'vitest';
import { descendantsRunning, MemoryWatch, pssBytes } from '../../bench/fleet/memory';
import { longBlocks, summarize, type CpuProfile } from '../../bench/lib/cpu-profile';

describe('whole-app memory', () => {
  const children: Array<ReturnType<typeof spawn>> = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill();
  });

  test('finds a child process by its program, reads its PSS, and 0 for a process that is gone', async () => {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(child);
    await once(child, 'spawn');
    expect(await descendantsRunning(process.pid, 'sleep')).toContain(child.pid);
    expect(await pssBytes(child.pid!)).toBeGreaterThan(0);
    child.kill();
    await once(child, 'exit');
    expect(await pssBytes(child.pid!)).toBe(0);
    expect(await descendantsRunning(process.pid, 'sleep')).not.toContain(child.pid);
  });

  test('a sample reads this process and keeps the peak; the thread stays free while /proc is read', async () => {
    const watch = new MemoryWatch();
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const sample = await watch.sampleNow();
    clearInterval(ticker);
    expect(sample.core).toBeGreaterThan(10 * 2 ** 20);
    expect(sample.total).toBe(sample.core + sample.chromium);
    expect(watch.peak).toEqual(sample);
    // the /proc walk is asynchronous: timers ran while it was read
    expect(turns).toBeGreaterThan(0);
  });
});

describe('CPU profile blocks', () => {
  // root(1) → idle(2), work(3) → inner(4); one sample per ms
  const profile = (samples: number[]): CpuProfile => ({
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0, columnNumber: 0 }, children: [2, 3] },
      { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: 0, columnNumber: 0 } },
      { id: 3, callFrame: { functionName: 'work', url: 'file:///app/work.js', lineNumber: 9, columnNumber: 0 }, children: [4] },
      { id: 4, callFrame: { functionName: 'inner', url: 'file:///app/inner.js', lineNumber: 0, columnNumber: 0 } },
    ],
    startTime: 0,
    endTime: samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  });

  test('busy stretches joined across short idle gaps, split at long ones; only the long ones kept', () => {
    // 30 ms busy, 2 ms idle, 30 ms busy, 20 ms idle, 10 ms busy
    const samples = [...Array(30).fill(4), 2, 2, ...Array(30).fill(3), ...Array(20).fill(2), ...Array(10).fill(4), 2];
    const blocks = longBlocks(profile(samples), 50, 5);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ from: 0, to: 61 });
    expect(blocks[0]!.ms).toBeCloseTo(62, 5);
    expect(longBlocks(profile(samples), 5, 5).map((b) => Math.round(b.ms))).toEqual([62, 10]);
  });

  test('the summary inside blocks counts only their samples, self and including callees', () => {
    const samples = [...Array(30).fill(4), ...Array(20).fill(2), ...Array(60).fill(3), 2];
    const p = profile(samples);
    const lines = summarize(p, 5, longBlocks(p, 50));
    expect(lines[0]).toBe('busy 60 ms of 60 ms');
    expect(lines).toContain('       60 ms  work work.js:10');
    expect(lines.join('\n')).not.toContain('inner');
    expect(summarize(p, 5).join('\n')).toMatch(/90 ms {2}work work\.js:10/);
  });
});
