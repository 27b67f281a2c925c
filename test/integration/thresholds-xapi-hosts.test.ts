// Threshold rules on XAPI read one rrd_updates per host per round (issue 15), not one
// per watched VM: a rule over every VM of a pool whose members answer for their own
// data (memberHosts) raises an alert for each running VM — judged from the server's
// 10-minute history on the first round, so a 5-minute rule fires at once when the
// history shows 5 minutes past the limit — with the value the simulator's generator
// served; the simulator's request log shows at most one request per host per round,
// and after the first round each asks only what is newer than the readings taken in.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../shared/errors';
import type { Alert } from '../../shared/notifications';
import { POLYVISOR_ALERT_SOURCE } from '../../shared/thresholds';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { formatValue } from '../sim/xapi/rrd/rrd-updates';
import { vmSources } from '../sim/xapi/rrd/series';
import { waitFor } from './provider-mirror';

let sim: XapiSimulator;
let home: string;
let core: PolyvisorCore;

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => toErrorInfo(e));
const ownAlerts = async () => (await core.invoke('alerts:list')).filter((a) => a.serverId === POLYVISOR_ALERT_SOURCE);

function generatedCpu(vmRef: string, t: number): number {
  const cpus = vmSources(sim.db, sim.db.get('VM', vmRef)!).filter((s) => /^cpu\d+$/.test(s.name));
  return (cpus.reduce((sum, s) => sum + Number(formatValue(s.value(t, 5))), 0) / cpus.length) * 100;
}

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 3, vms: 24, snapshots: 0 }, memberHosts: true });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-thresholds-hosts-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10, thresholds: { intervalMs: 500 } });
  await core.start();
  const server = await core.invoke('servers:add', { type: 'xenserver', name: 'pool', host: sim.host, port: sim.port, username: 'root', password: 'password', rememberPassword: true });
  await failure(core.invoke('servers:connect', server.id));
  await core.invoke('certs:accept', server.id, sim.fingerprint256);
  await waitFor(async () => ((await core.invoke('inventory:get')).some((n) => n.kind === 'vm') ? true : undefined), 'the pool in the tree', 30_000);
});

afterAll(async () => {
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('threshold rules on XAPI, one read per host', () => {
  it('raises every running VM from the server history, asking each host once per round', async () => {
    const running = [...sim.db.records('VM')].filter(([, v]) => v.power_state === 'Running' && !v.is_control_domain && !v.is_a_template && !v.is_a_snapshot);
    const hosts = new Set(running.map(([, v]) => String(v.resident_on)));
    expect(hosts.size).toBeGreaterThan(1);
    const before = sim.rrdRequests.length;
    // every vCPU of the generator is at 2 % or more: the whole 10-minute history is past 1 %
    await core.invoke('thresholds:create', { name: 'Any VM busy', metric: 'cpu', comparison: 'above', value: 1, durationSeconds: 300, scope: { kind: 'all' }, kinds: ['vm'], severity: 'minor' });
    const alerts = await waitFor(async () => {
      const a = await ownAlerts();
      return a.length >= running.length ? a : undefined;
    }, 'an alert per running VM', 60_000);
    expect(alerts.length).toBe(running.length);
    for (const alert of alerts as Alert[]) {
      const [ref] = running.find(([, v]) => v.name_label === alert.objectName)!;
      // the breach began at the history's first reading, at least the rule's 5 minutes before it was raised;
      // raised by the reading 5 minutes after, with the value served then
      expect(alert.time - alert.threshold!.since).toBeGreaterThanOrEqual(300_000);
      // to one decimal on both sides, from the same served values summed on two float paths: a value
      // half-way between tenths may round either way (as in cli-grid)
      expect(Math.abs(alert.threshold!.observed - Math.round(generatedCpu(ref, alert.threshold!.since / 1000 + 300) * 10) / 10)).toBeLessThanOrEqual(0.1 + 1e-9);
    }

    // a few more rounds, then the request log: rrd_updates only, host=true, at most one per host per round
    const roundsSeen = sim.rrdRequests.length;
    await waitFor(async () => (sim.rrdRequests.length >= roundsSeen + 3 * hosts.size ? true : undefined), 'three more rounds', 30_000);
    const requests = sim.rrdRequests.slice(before);
    expect(requests.every((r) => r.path === '/rrd_updates')).toBe(true);
    expect(requests.every((r) => r.query.get('host') === 'true' && !r.query.has('vm_uuid'))).toBe(true);
    const perHost = new Map<string, number[]>();
    for (const r of requests) perHost.set(String(r.hostRef), [...(perHost.get(String(r.hostRef)) ?? []), Number(r.query.get('start'))]);
    expect(new Set(perHost.keys())).toEqual(new Set([...sim.db.records('host').keys()].filter((h) => hosts.has(h) || perHost.has(h))));
    const counts = [...perHost.values()].map((starts) => starts.length);
    // the same number of requests to each host (give or take the round under way)
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(requests.length).toBeLessThan(running.length * 3);
    // the first answer reaches 10 minutes back, the later ones only a little before the last reading taken in
    const now = Math.floor(sim.clock.now().getTime() / 1000);
    for (const starts of perHost.values()) {
      expect(starts[0]).toBeLessThanOrEqual(now - 500);
      expect(starts.at(-1)).toBeGreaterThanOrEqual(now - 120);
    }
  });
});
