// What each client of the XAPI bench (bench/xapi.bench.ts) reports, and the helpers they
// measure it with.
import { withTimeout } from '../../electron/core/providers/common/concurrency';

export interface Measurement {
  ms: number;
  /** the client's own CPU time (user + system): robust on a machine others load too */
  cpuMs: number;
  objects: number;
  peakRssMb: number;
  heapAfterMb: number;
}

export const MINUTE = 60_000;

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Every wait has a deadline and says what it was waiting for. */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  return withTimeout(p, ms, () => new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`));
}

export async function heapAfterGc(): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export function peakRssMb(): number {
  return mb(process.resourceUsage().maxRSS * 1024);
}

/** How a client tells the parent its numbers (one line on stdout). */
export function report(result: Measurement): void {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
