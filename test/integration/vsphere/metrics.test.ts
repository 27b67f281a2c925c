// vSphere performance data against vcsim 0.24's PerformanceManager. What vcsim models:
// QueryPerfProviderSummary (realtime, refresh rate 20 s, for VMs and hosts), the
// counter catalogue (perfCounter) and QueryPerf; its values are recorded samples of a
// real vCenter replayed with random noise on every call, and its samples come newest
// first; it keeps no historicalInterval list (the provider falls back to vCenter's
// defaults: 300 s, 1800 s, 7200 s). So the checks are: counters resolved by name match
// the catalogue an independent SOAP client reads, the step and sample count are what
// an independent QueryPerf gets, times run forward, units are converted (percent from
// hundredths, KB and KB/s to bytes) — the levels agree with the raw answer's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsAnswer } from '../../../shared/metrics';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, skipVcsim, startConnected, TEST_TIMEOUT, type ConnectedPeer } from './harness';
import { text, type RawSoap } from './raw-soap';

type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe.skipIf(skipVcsim)('vSphere performance data (PerformanceManager)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let raw: RawSoap;
  let vm: string;
  let perfManager: { type: string; value: string };
  const counterIds = new Map<string, { key: number; unit: string }>();

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, raw } = peer);
    const vms = await raw.objects('VirtualMachine', ['runtime.powerState']);
    vm = vms.find((v) => text(v.props['runtime.powerState']) === 'poweredOn')!.ref.value;
    const content = (await raw.call('RetrieveServiceContent', { type: 'ServiceInstance', value: 'ServiceInstance' }, '')).returnval as Node;
    perfManager = { type: 'PerformanceManager', value: text(content.perfManager)! };
    const pc = { type: 'PropertyCollector', value: text(content.propertyCollector)! };
    const spec = `<specSet><propSet><type>PerformanceManager</type><pathSet>perfCounter</pathSet></propSet><objectSet><obj type="PerformanceManager">${perfManager.value}</obj><skip>false</skip></objectSet></specSet><options></options>`;
    const objects = ((await raw.call('RetrievePropertiesEx', pc, spec)).returnval as Node).objects as Node;
    const perfCounter = list(objects.propSet as Node | Node[]).find((p) => text(p.name) === 'perfCounter')!.val as Node;
    for (const c of list(perfCounter.PerfCounterInfo as Node[])) {
      const name = `${text((c.groupInfo as Node).key)}.${text((c.nameInfo as Node).key)}.${text(c.rollupType)}`;
      if (!counterIds.has(name)) counterIds.set(name, { key: Number(text(c.key)), unit: text((c.unitInfo as Node).key)! });
    }
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  /** An independent QueryPerf of one counter (aggregate instance), values as vcsim sent them, in its order. */
  async function rawQuery(entity: { type: string; value: string }, counter: string, interval: number, seconds: number) {
    const start = new Date(Date.now() - seconds * 1000).toISOString();
    const spec = `<querySpec><entity type="${entity.type}">${entity.value}</entity><startTime>${start}</startTime><maxSample>${Math.ceil(seconds / interval) + 1}</maxSample><metricId><counterId>${counterIds.get(counter)!.key}</counterId><instance></instance></metricId><intervalId>${interval}</intervalId></querySpec>`;
    const metric = (await raw.call('QueryPerf', perfManager, spec)).returnval as Node;
    const times = list(metric.sampleInfo as Node[]).map((s) => Date.parse(text(s.timestamp)!) / 1000);
    const values = list(((metric.value as Node).value as unknown[]) ?? []).map((v) => Number(text(v)));
    return { times, values };
  }

  const series = (a: Omit<MetricsAnswer, 'nodeId'>, id: string) => a.series.find((s) => s.id === id)!;

  it("reads a VM's realtime counters, resolved by name, at vcsim's 20-second refresh rate", async () => {
    const answer = await provider.metrics!.query({ nativeRef: vm, kind: 'vm' }, '10m');
    expect(answer.stepSeconds).toBe(20);
    expect(answer.series.map((s) => s.id)).toEqual(['cpu.usage.average', 'mem.consumed.average', 'disk.read.average', 'disk.write.average', 'net.received.average', 'net.transmitted.average']);
    expect(answer.series.map((s) => s.unit)).toEqual(['percent', 'bytes', 'bytesPerSecond', 'bytesPerSecond', 'bytesPerSecond', 'bytesPerSecond']);
    expect(counterIds.get('cpu.usage.average')!.unit).toBe('percent');
    expect(counterIds.get('mem.consumed.average')!.unit).toBe('kiloBytes');
    // forward in time, 20 s apart, as many samples as vcsim gives an independent client
    const rawCpu = await rawQuery({ type: 'VirtualMachine', value: vm }, 'cpu.usage.average', 20, 600);
    expect(answer.times.length).toBe(rawCpu.times.length);
    expect(rawCpu.times[0]!).toBeGreaterThan(rawCpu.times.at(-1)!); // vcsim: newest first
    answer.times.slice(1).forEach((t, i) => expect(t - answer.times[i]!).toBeCloseTo(20, 3));
    // units converted: the levels agree with the raw answer's (vcsim adds random noise to each call)
    const cpu = series(answer, 'cpu.usage.average').values.filter((v): v is number => v !== null);
    expect(median(cpu)).toBeGreaterThan((median(rawCpu.values) / 100) * 0.4);
    expect(median(cpu)).toBeLessThan((median(rawCpu.values) / 100) * 2.5);
    const rawMem = await rawQuery({ type: 'VirtualMachine', value: vm }, 'mem.consumed.average', 20, 600);
    const mem = series(answer, 'mem.consumed.average').values.filter((v): v is number => v !== null);
    expect(median(mem)).toBeGreaterThan(median(rawMem.values) * 1024 * 0.4);
    expect(median(mem)).toBeLessThan(median(rawMem.values) * 1024 * 2.5);
  });

  it('reads history at the historical intervals and a host like a VM', async () => {
    const day = await provider.metrics!.query({ nativeRef: vm, kind: 'vm' }, '1d');
    expect(day.stepSeconds).toBe(300);
    expect(day.times.length).toBe((await rawQuery({ type: 'VirtualMachine', value: vm }, 'cpu.usage.average', 300, 86_400)).times.length);
    expect((await provider.metrics!.query({ nativeRef: vm, kind: 'vm' }, '1mo')).stepSeconds).toBe(7200);
    const hosts = await raw.objects('HostSystem', ['name']);
    const host = await provider.metrics!.query({ nativeRef: hosts[0]!.ref.value, kind: 'host' }, '1h');
    expect(host.stepSeconds).toBe(20);
    expect(host.times.length).toBe(181);
    expect(series(host, 'net.received.average').values.some((v) => v !== null && v > 0)).toBe(true);
  });
});
