// The whole app's memory: the core (this process: the bench's core runs in it) and every
// Chromium process it started (browser, renderer, GPU, utility — what an Electron window
// costs too). Chromium's processes share pages, so they are summed by PSS, not RSS. Every
// /proc read is asynchronous: the core runs in this process, and the kernel's walk of a
// Chromium process's mappings for smaps_rollup held the core's thread for up to 413 ms per
// sample when read synchronously (issue 17's profile of a scale-0.1 start).
import { readdir, readFile } from 'node:fs/promises';

async function parentOf(pid: number): Promise<number | null> {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null; // the process ended while we looked: not ours any more
  }
}

/** Processes below `root` whose command line names `program`. */
export async function descendantsRunning(root: number, program: string): Promise<number[]> {
  const parents = new Map<number, number>();
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const ppids = await Promise.all(pids.map(parentOf));
  pids.forEach((pid, i) => {
    const ppid = ppids[i];
    if (ppid !== null && ppid !== undefined) parents.set(pid, ppid);
  });
  const isBelow = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  const below = [...parents.keys()].filter(isBelow);
  const named = await Promise.all(
    below.map(async (pid) => {
      try {
        return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')[0]!.includes(program);
      } catch {
        return false; // the process ended while we looked
      }
    }),
  );
  return below.filter((_, i) => named[i]);
}

/** Proportional set size of a process in bytes (0 once it has gone). */
export async function pssBytes(pid: number): Promise<number> {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface MemorySample {
  core: number;
  chromium: number;
  total: number;
  /** the core's own parts at that moment (this process's main isolate; the rest of its RSS is worker isolates, code and the allocator's free pages) */
  coreHeapUsed?: number;
  coreHeapTotal?: number;
  coreExternal?: number;
}

/** "core 750 MiB = V8 heap 300 MiB (200 used) + buffers 20 MiB + the rest 430 MiB" */
export function coreBreakdown(s: MemorySample): string {
  if (s.coreHeapTotal === undefined) return `core ${mib(s.core)}`;
  const rest = s.core - s.coreHeapTotal - (s.coreExternal ?? 0);
  return `core ${mib(s.core)} = main V8 heap ${mib(s.coreHeapTotal)} (${mib(s.coreHeapUsed ?? 0)} used) + external buffers ${mib(s.coreExternal ?? 0)} + the rest ${mib(rest)} (parse worker, code, allocator)`;
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * Samples the whole app's memory on a timer and keeps the peak. The list of Chromium
 * processes is read once every ten samples; a tick while a sample is still being read is skipped.
 */
export class MemoryWatch {
  peak: MemorySample = { core: 0, chromium: 0, total: 0 };
  private timer: NodeJS.Timeout | null = null;
  private pids: number[] = [];
  private samples = 0;
  private reading = false;

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      if (this.reading) return;
      this.reading = true;
      this.sampleNow()
        .catch((err: unknown) => console.error(`memory sample: ${(err as Error).message}`))
        .finally(() => (this.reading = false));
    }, everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async sampleNow(): Promise<MemorySample> {
    if (this.samples++ % 10 === 0) this.pids = await descendantsRunning(process.pid, 'chromium');
    const usage = process.memoryUsage();
    const chromium = (await Promise.all(this.pids.map(pssBytes))).reduce((n, b) => n + b, 0);
    const s = { core: usage.rss, chromium, total: usage.rss + chromium, coreHeapUsed: usage.heapUsed, coreHeapTotal: usage.heapTotal, coreExternal: usage.external };
    if (s.total > this.peak.total) this.peak = s;
    return s;
  }
}
