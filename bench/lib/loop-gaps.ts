// The longest time the event loop went without a turn while some work ran: a 1 ms timer
// chain notes each gap between two of its ticks, in wall time and in the main thread's CPU
// time (on a machine others load too, a wall gap also counts time we were not scheduled;
// the CPU gap is what this thread spent, its GC pauses included, parse workers not).
import { existsSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopGaps {
  /** the longest wall time between two turns */
  longestMs: number;
  /** the most main-thread CPU time spent in any one stretch between two turns */
  longestCpuMs: number;
  /** turns taken (a loop held throughout takes a handful) */
  turns: number;
  /** stretches over 50 ms (the core's goal for its p99 delay) */
  over50: number;
  /** event-loop delay p99 (perf_hooks, 10 ms resolution) */
  p99Ms: number;
}

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
/** Linux tells each thread's CPU time (ns, first field); elsewhere the whole process's is what there is */
const perThread = existsSync(SCHEDSTAT);

function mainThreadCpuMs(): number {
  if (perThread) return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}

export function watchLoopGaps(): { stop(): LoopGaps } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lastWall = performance.now();
  let lastCpu = mainThreadCpuMs();
  let longestMs = 0;
  let longestCpuMs = 0;
  let turns = 0;
  let over50 = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const wall = performance.now();
    const cpu = mainThreadCpuMs();
    const gap = wall - lastWall;
    const cpuGap = cpu - lastCpu;
    turns++;
    if (gap > longestMs) longestMs = gap;
    if (cpuGap > longestCpuMs) longestCpuMs = cpuGap;
    if (gap > 50) over50++;
    lastWall = wall;
    lastCpu = cpu;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  let result: LoopGaps | undefined;
  return {
    /** Stops watching (again: the same numbers). */
    stop() {
      if (result) return result;
      clearTimeout(timer);
      tick();
      clearTimeout(timer);
      delay.disable();
      result = { longestMs, longestCpuMs, turns, over50, p99Ms: delay.percentile(99) / 1e6 };
      return result;
    },
  };
}
