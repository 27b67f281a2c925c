// Live usage of containers: one `GET /containers/{id}/stats?stream=false` each (the
// engine reads twice, a second apart, so the answer carries the CPU change as
// `docker stats` shows it), a few at a time. The engine itself reports no usage.

import type Dockerode from 'dockerode';
import { mapLimited } from '../common/concurrency';
import type { ProviderUsage, ProviderUsageReading } from '../provider';
import { parseStatsLine } from './stats';

const IN_FLIGHT = 8;

export interface DockerUsageContext {
  docker(): Dockerode;
  where: string;
  log?: (level: 'warn', message: string) => void;
}

export class DockerUsage implements ProviderUsage {
  constructor(private readonly ctx: DockerUsageContext) {}

  async sample(targets: Array<{ nativeRef: string; kind: string }>): Promise<ProviderUsageReading[]> {
    const containers = targets.filter((t) => t.kind === 'container');
    const docker = this.ctx.docker();
    const readings = await mapLimited(containers, IN_FLIGHT, async (t): Promise<ProviderUsageReading | undefined> => {
      try {
        const raw: unknown = await docker.getContainer(t.nativeRef).stats({ stream: false });
        const sample = parseStatsLine(JSON.stringify(raw), this.ctx.where);
        if (!sample) return undefined;
        return {
          nativeRef: t.nativeRef,
          cpu: sample.cpuPercent === null ? undefined : sample.cpuPercent / 100 / onlineCpus(raw),
          memoryUsed: sample.memoryUsed ?? undefined,
          memoryTotal: sample.memoryLimit ?? undefined,
        };
      } catch (e) {
        // one container gone between the round's start and its request: the others still count
        this.ctx.log?.('warn', `Usage of container ${t.nativeRef.slice(0, 12)} on ${this.ctx.where}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    });
    return readings.filter((r): r is ProviderUsageReading => r !== undefined);
  }
}

/** `docker stats` counts 100 % per CPU; the columns show a share of all the CPUs the container may use. */
function onlineCpus(raw: unknown): number {
  const cpu = (raw as { cpu_stats?: { online_cpus?: unknown } }).cpu_stats;
  return typeof cpu?.online_cpus === 'number' && cpu.online_cpus > 0 ? cpu.online_cpus : 1;
}
