// Docker keeps no history: while someone looks (the Performance tab polls, the CLI
// samples) the provider follows each container's stats stream and keeps the last
// 10 minutes of readings in a ring buffer. A container nobody asked about for a
// while is let go; its stream closes.

import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import type { MetricSeries, MetricsAnswer, MetricTimeframe } from '../../../../shared/metrics';
import { LineSplitter } from '../common/limits';
import type { ProviderMetrics } from '../provider';
import { unsupported } from './actions';
import { parseStatsLine, type StatsSample } from './stats';

/** the engine sends a reading about every second: 10 minutes of them */
const RING_SIZE = 600;
const WINDOW_S = 600;

export interface SamplerOptions {
  docker(): Dockerode;
  where: string;
  maxLineBytes: number;
  /** a container not asked about for this long is let go */
  idleMs?: number;
  /** how long a first query waits for two readings (CPU needs a previous one) */
  firstWaitMs?: number;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

class Sampler {
  readonly ring: StatsSample[] = [];
  lastAsked = Date.now();
  /** queries waiting for readings right now: never let go meanwhile */
  asking = 0;
  private stream: Readable | null = null;
  private waiters: Array<() => void> = [];
  failure: Error | null = null;

  constructor(
    private readonly id: string,
    private readonly opts: SamplerOptions,
  ) {}

  async start(): Promise<void> {
    const stream = (await this.opts.docker().getContainer(this.id).stats({ stream: true })) as unknown as Readable;
    this.stream = stream;
    const lines = new LineSplitter(`The Docker engine at ${this.opts.where} (stats of ${this.id.slice(0, 12)})`, this.opts.maxLineBytes);
    stream.on('data', (chunk: Buffer) => {
      try {
        for (const line of lines.push(chunk)) this.add(parseStatsLine(line, this.opts.where));
      } catch (e) {
        this.fail(e as Error);
      }
    });
    stream.on('error', (e) => this.fail(e));
    stream.on('close', () => this.wake());
  }

  private add(sample: StatsSample | null): void {
    if (!sample) return;
    this.ring.push(sample);
    if (this.ring.length > RING_SIZE) this.ring.splice(0, this.ring.length - RING_SIZE);
    this.wake();
  }

  private fail(e: Error): void {
    this.failure = e;
    this.opts.log?.('warn', `Docker stats of ${this.id.slice(0, 12)} at ${this.opts.where} stopped: ${e.message}`);
    this.stop();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once the ring holds `count` readings, the stream ended, or `ms` passed. */
  until(count: number, ms: number): Promise<void> {
    if (this.ring.length >= count || !this.stream || this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const check = () => (this.ring.length >= count || !this.stream || this.stream.destroyed ? done() : this.waiters.push(check));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(check);
    });
  }

  get open(): boolean {
    return !!this.stream && !this.stream.destroyed;
  }

  stop(): void {
    this.stream?.destroy();
    this.stream = null;
    this.wake();
  }
}

export class DockerStatsSampler implements ProviderMetrics {
  private readonly samplers = new Map<string, Sampler>();
  private sweep: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly opts: SamplerOptions) {}

  async query(target: { nativeRef: string; kind: string }, timeframe: MetricTimeframe): Promise<Omit<MetricsAnswer, 'nodeId'>> {
    if (target.kind !== 'container') throw unsupported(`A Docker ${target.kind} has no performance data here`);
    if (timeframe !== '10m') return { timeframe, stepSeconds: 0, times: [], series: [], empty: 'no-history' };
    const sampler = await this.samplerFor(target.nativeRef);
    sampler.asking++;
    try {
      await sampler.until(2, this.opts.firstWaitMs ?? 5_000);
    } finally {
      sampler.asking--;
      sampler.lastAsked = Date.now();
    }
    const now = Date.now() / 1000;
    const samples = sampler.ring.filter((s) => s.t >= now - WINDOW_S);
    if (samples.length === 0 && !sampler.open) return { timeframe, stepSeconds: 1, times: [], series: [], empty: 'not-running' };
    return { timeframe, stepSeconds: 1, ...toSeries(samples) };
  }

  close(): void {
    for (const s of this.samplers.values()) s.stop();
    this.samplers.clear();
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
  }

  /** Containers whose stats are being followed now (tests). */
  get following(): string[] {
    return [...this.samplers.entries()].filter(([, s]) => s.open).map(([id]) => id);
  }

  private async samplerFor(id: string): Promise<Sampler> {
    const existing = this.samplers.get(id);
    if (existing?.open) return existing;
    const sampler = new Sampler(id, this.opts);
    // keep what was sampled before the stream ended (a restarted container continues the chart)
    if (existing) sampler.ring.push(...existing.ring);
    this.samplers.set(id, sampler);
    await sampler.start();
    this.sweep ??= setInterval(() => this.letGo(), Math.min(10_000, this.opts.idleMs ?? 30_000));
    this.sweep.unref?.();
    return sampler;
  }

  private letGo(): void {
    const idleMs = this.opts.idleMs ?? 30_000;
    for (const [id, s] of this.samplers) {
      if (s.asking > 0 || Date.now() - s.lastAsked < idleMs) continue;
      s.stop();
      this.samplers.delete(id);
    }
  }
}

/** Rates from the cumulative counters between consecutive readings. */
export function toSeries(samples: StatsSample[]): { times: number[]; series: MetricSeries[] } {
  const times = samples.map((s) => Math.round(s.t * 1000) / 1000);
  const rate = (pick: (s: StatsSample) => number | undefined) =>
    samples.map((s, i) => {
      const prev = samples[i - 1];
      const now = pick(s);
      const before = prev ? pick(prev) : undefined;
      if (!prev || now === undefined || before === undefined || s.t <= prev.t || now < before) return null;
      return (now - before) / (s.t - prev.t);
    });
  const series: MetricSeries[] = [
    { id: 'cpu', metric: 'cpuTotal', kind: 'cpu', unit: 'percent', values: samples.map((s) => s.cpuPercent) },
    { id: 'memory_used', metric: 'memoryUsed', kind: 'memory', unit: 'bytes', values: samples.map((s) => s.memoryUsed) },
    { id: 'memory_limit', metric: 'memoryTotal', kind: 'memory', unit: 'bytes', values: samples.map((s) => s.memoryLimit) },
    { id: 'blkio_read', metric: 'diskRead', kind: 'disk', unit: 'bytesPerSecond', values: rate((s) => s.blkRead) },
    { id: 'blkio_write', metric: 'diskWrite', kind: 'disk', unit: 'bytesPerSecond', values: rate((s) => s.blkWrite) },
  ];
  const interfaces = [...new Set(samples.flatMap((s) => Object.keys(s.net)))].sort();
  for (const name of interfaces) {
    series.push({ id: `${name}_rx`, metric: 'netRx', instance: name, kind: 'network', unit: 'bytesPerSecond', values: rate((s) => s.net[name]?.rx) });
    series.push({ id: `${name}_tx`, metric: 'netTx', instance: name, kind: 'network', unit: 'bytesPerSecond', values: rate((s) => s.net[name]?.tx) });
  }
  return { times, series };
}
