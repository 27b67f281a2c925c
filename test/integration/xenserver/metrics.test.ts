// Performance data through the provider against the simulator's GET /rrd_updates:
// the numbers the provider hands on are the ones the simulator served — read back
// independently from the raw xport document (fast-xml-parser) and from the
// simulator's own series generator — with xapi's steps per timeframe, a VM's vCPUs,
// disks and interfaces, a host's memory, and no data for a halted VM.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../../shared/metrics';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { vmSources } from '../../sim/xapi/rrd/series';
import { rawXport as readRawXport } from '../../sim/xapi/rrd/raw-xport';
import { Harness } from './harness';

describe('XenServer performance data (rrd_updates)', () => {
  let sim: XapiSimulator;
  let harness: Harness;
  let running: string;
  let halted: string;
  let hostRef: string;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 0 } });
    harness = new Harness(sim);
    await harness.provider.connect();
    const guests = [...sim.db.records('VM')].filter(([, v]) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain);
    running = guests.find(([, v]) => v.power_state === 'Running')![0];
    halted = guests.find(([, v]) => v.power_state === 'Halted')![0];
    hostRef = [...sim.db.records('host').keys()][0]!;
  });

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  const query = (ref: string, kind: 'vm' | 'host', timeframe: '10m' | '1h' | '1d' | '1w' | '1mo') =>
    harness.provider.metrics!.query({ nativeRef: ref, kind }, timeframe);
  const byId = (series: MetricSeries[], id: string) => series.find((s) => s.id === id);

  /** The raw answer, read with an independent XML parser. */
  const rawXport = (params: Record<string, string>) => readRawXport(sim, params);

  it('gives a running VM its vCPUs, memory, disk and network as the simulator served them', async () => {
    const vm = sim.db.get('VM', running)!;
    const uuid = vm.uuid as string;
    const answer = await query(running, 'vm', '10m');
    const raw = await rawXport({ start: String(Math.floor(Date.now() / 1000) - 600), cf: 'AVERAGE', interval: '5', vm_uuid: uuid });
    expect(answer.stepSeconds).toBe(5);
    expect(raw.step).toBe(5);
    expect(answer.times.length).toBeGreaterThanOrEqual(119);
    expect([...answer.times].sort((a, b) => a - b)).toEqual(answer.times);
    const vcpus = Number(sim.db.get('VM_metrics', vm.metrics as string)!.VCPUs_number);
    expect(answer.series.filter((s) => s.metric === 'cpu').map((s) => s.instance)).toEqual(Array.from({ length: vcpus }, (_v, i) => String(i)));
    expect(new Set(answer.series.map((s) => s.id))).toEqual(
      new Set([...raw.legend.map((e) => e.split(':')[3]!), 'memory_used', 'cpu_avg']),
    );
    // every time both answers have: the same numbers (cpu as a percentage, free memory in bytes)
    let compared = 0;
    for (const row of raw.rows) {
      const i = answer.times.indexOf(row.t);
      if (i < 0) continue;
      raw.legend.forEach((entry, c) => {
        const name = entry.split(':')[3]!;
        const served = Number(row.v[c]);
        const scale = name.startsWith('cpu') ? 100 : name === 'memory_internal_free' ? 1024 : 1;
        expect(byId(answer.series, name)!.values[i]).toBeCloseTo(served * scale, 6);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(raw.legend.length * 100);
    // and they are the simulator's own series, four decimals as xapi writes them
    const sources = vmSources(sim.db, vm);
    const cpu0 = sources.find((s) => s.name === 'cpu0')!;
    answer.times.forEach((t, i) => expect(byId(answer.series, 'cpu0')!.values[i]).toBeCloseTo(Number(cpu0.value(t, 5).toFixed(4)) * 100, 6));
    expect(byId(answer.series, 'memory')!.values.at(-1)).toBe(Number(sim.db.get('VM_metrics', vm.metrics as string)!.memory_actual));
    expect(byId(answer.series, 'vbd_xvda_read')).toMatchObject({ metric: 'diskRead', instance: 'xvda', kind: 'disk', unit: 'bytesPerSecond' });
    expect(byId(answer.series, 'vbd_xvda_iops_read')).toMatchObject({ metric: 'diskReadOps', instance: 'xvda', unit: 'opsPerSecond' });
    expect(byId(answer.series, 'vif_0_tx')).toMatchObject({ metric: 'netTx', instance: '0', kind: 'network', unit: 'bytesPerSecond' });
    const used = byId(answer.series, 'memory_used')!.values.at(-1)!;
    expect(used).toBe(byId(answer.series, 'memory')!.values.at(-1)! - byId(answer.series, 'memory_internal_free')!.values.at(-1)!);
  });

  it('reads each timeframe from the archive xapi keeps for it', async () => {
    const steps = { '10m': 5, '1h': 60, '1d': 3600, '1w': 3600, '1mo': 86_400 } as const;
    for (const [timeframe, step] of Object.entries(steps) as Array<[keyof typeof steps, number]>) {
      const answer = await query(running, 'vm', timeframe);
      expect(answer.stepSeconds, timeframe).toBe(step);
      const span = answer.times.at(-1)! - answer.times[0]!;
      expect(span, timeframe).toBeGreaterThan(0);
      expect(answer.times.every((t) => t % step === 0), timeframe).toBe(true);
    }
    // the client asks from 5 s short of a day ago: one row fewer in an hour's last 5 s, one
    // more when an hour begins between the question and the answer
    expect([23, 24, 25]).toContain((await query(running, 'vm', '1d')).times.length);
    expect([167, 168]).toContain((await query(running, 'vm', '1w')).times.length); // the archive's rows (one fewer in an hour's last seconds)
  });

  it('gives a host its CPUs and memory as its host_metrics has it', async () => {
    const host = sim.db.get('host', hostRef)!;
    const answer = await query(hostRef, 'host', '1h');
    expect(answer.stepSeconds).toBe(60);
    const metrics = sim.db.get('host_metrics', host.metrics as string)!;
    expect(byId(answer.series, 'memory_total_kib')!.values.at(-1)).toBe(Math.round(Number(metrics.memory_total) / 1024) * 1024);
    expect(answer.series.filter((s) => s.metric === 'cpu')).toHaveLength(Number((host.cpu_info as Record<string, string>).cpu_count));
    expect(byId(answer.series, 'cpu_avg')).toMatchObject({ metric: 'cpuTotal', unit: 'percent' });
    expect(byId(answer.series, 'pif_eth0_rx')).toMatchObject({ metric: 'netRx', instance: 'eth0' });
    // only this host's columns, although the answer carries every host's and VM's
    expect(answer.series.every((s) => !s.id.startsWith('vbd_'))).toBe(true);
  });

  it('has nothing for a halted VM', async () => {
    const answer = await query(halted, 'vm', '10m');
    expect(answer.series).toEqual([]);
    expect(answer.empty).toBe('not-running');
    const raw = await rawXport({ start: String(Math.floor(Date.now() / 1000) - 600), interval: '5', vm_uuid: sim.db.get('VM', halted)!.uuid as string });
    expect(raw.legend ?? []).toEqual([]);
  });
});
