// What a vSphere PerformanceManager offers: its counters (resolved by name, as
// group.name.rollup — "cpu.usage.average" — never by a fixed id: ids differ between
// servers), their units, and the historical intervals it keeps.

import { PolyvisorError } from '../../../../shared/errors';
import { retrieveOne } from './property-collector';
import type { VimClient } from './vim-client';
import { child, childText, children, readMoRef, readNumber, type ManagedObjectReference } from './xml';

export interface PerfCounter {
  key: number;
  /** group.name.rollup, e.g. cpu.usage.average */
  name: string;
  /** percent (hundredths), kiloBytes, kiloBytesPerSecond, number, megaHertz, … */
  unit: string;
}

export interface PerfInterval {
  samplingPeriod: number;
  /** seconds of history kept at this period */
  length: number;
  enabled: boolean;
}

export interface PerfCatalog {
  manager: ManagedObjectReference;
  counters: Map<string, PerfCounter>;
  intervals: PerfInterval[];
}

const SERVICE_INSTANCE: ManagedObjectReference = { type: 'ServiceInstance', value: 'ServiceInstance' };

export async function readPerfCatalog(client: VimClient): Promise<PerfCatalog> {
  const content = await client.call('RetrieveServiceContent', SERVICE_INSTANCE, []);
  const manager = readMoRef(child(content, 'perfManager'));
  if (!manager) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'This vSphere server has no PerformanceManager.' });
  const props = await retrieveOne(client, manager, ['perfCounter', 'historicalInterval']);
  const counters = new Map<string, PerfCounter>();
  for (const info of children(props?.get('perfCounter'), 'PerfCounterInfo')) {
    const key = readNumber(child(info, 'key'));
    const name = [childText(child(info, 'groupInfo'), 'key'), childText(child(info, 'nameInfo'), 'key'), childText(info, 'rollupType')];
    if (key === undefined || name.some((n) => !n)) continue;
    const full = name.join('.');
    // several levels may carry one name: the first (lowest key) wins, as govc resolves it
    if (!counters.has(full)) counters.set(full, { key, name: full, unit: childText(child(info, 'unitInfo'), 'key') ?? '' });
  }
  const intervals = children(props?.get('historicalInterval'), 'PerfInterval')
    .map((i) => ({ samplingPeriod: readNumber(child(i, 'samplingPeriod')) ?? 0, length: readNumber(child(i, 'length')) ?? 0, enabled: childText(i, 'enabled') !== 'false' }))
    .filter((i) => i.samplingPeriod > 0);
  return { manager, counters, intervals };
}
