// The whole app's memory: the core (this process: the bench's core runs in it) and every
// Chromium process it started (browser, renderer, GPU, utility — what an Electron window
// costs too). Chromium's processes share pages, so they are summed by PSS, not RSS.
import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid: number): number | null {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null; // the process ended while we looked: not ours any more
  }
}

/** Processes below `root` whose command line names `program`. */
export function descendantsRunning(root: number, program: string): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid !== null) parents.set(Number(name), ppid);
  }
  const isBelow = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return [...parents.keys()].filter((pid) => {
    if (!isBelow(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!.includes(program);
    } catch {
      return false;
    }
  });
}

/** Proportional set size of a process in bytes (0 once it has gone). */
export function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface MemorySample {
  core: number;
  chromium: number;
  total: number;
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * Samples the whole app's memory on a timer and keeps the peak. The list of Chromium
 * processes is read once every ten samples: walking /proc runs on the core's event loop.
 */
export class MemoryWatch {
  peak: MemorySample = { core: 0, chromium: 0, total: 0 };
  private timer: NodeJS.Timeout | null = null;
  private pids: number[] = [];
  private samples = 0;

  start(everyMs: number): void {
    this.timer = setInterval(() => this.sampleNow(), everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sampleNow(): MemorySample {
    if (this.samples++ % 10 === 0) this.pids = descendantsRunning(process.pid, 'chromium');
    const core = process.memoryUsage().rss;
    const chromium = this.pids.reduce((n, pid) => n + pssBytes(pid), 0);
    const s = { core, chromium, total: core + chromium };
    if (s.total > this.peak.total) this.peak = s;
    return s;
  }
}
