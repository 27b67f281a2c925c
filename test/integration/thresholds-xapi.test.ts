// Threshold rules through the core against the XAPI simulator (issue 15): a rule on a
// running VM whose CPU series (the simulator's generator: every vCPU at 2 % or more)
// goes over the limit raises a Polyvisor alert carrying the value the simulator served
// at the breach's first reading; a VM the rule's scope leaves out raises none; the
// alert clears when the VM stops (checked in the simulator's own VM record), when the
// rule changes or is removed; a dismissed alert stays away; the rules live in
// thresholds.json, and an unusable one is kept aside and reported.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import type { Alert } from '../../shared/notifications';
import { POLYVISOR_ALERT_SOURCE, type ThresholdDraft } from '../../shared/thresholds';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { vmSources } from '../sim/xapi/rrd/series';
import { formatValue } from '../sim/xapi/rrd/rrd-updates';
import { waitFor } from './provider-mirror';

let sim: XapiSimulator;
let home: string;
let core: PolyvisorCore;
let serverId: string;
const changes: Array<{ upsert: Alert[]; remove: string[] }> = [];

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => toErrorInfo(e));
const node = async (check: (n: InventoryNode) => boolean) => waitFor(async () => (await core.invoke('inventory:get')).find(check), 'a node in the tree', 30_000);
const ownAlerts = async () => (await core.invoke('alerts:list')).filter((a) => a.serverId === POLYVISOR_ALERT_SOURCE);

/** The VM's CPU as the simulator's generator makes it at time t (5-second archive): the mean of its vCPUs, as served (4 decimals), in percent. */
function generatedCpu(vmRef: string, t: number): number {
  const cpus = vmSources(sim.db, sim.db.get('VM', vmRef)!).filter((s) => /^cpu\d+$/.test(s.name));
  return (cpus.reduce((sum, s) => sum + Number(formatValue(s.value(t, 5))), 0) / cpus.length) * 100;
}

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 } });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-thresholds-'));
  writeFileSync(path.join(home, 'thresholds.json'), '{"version": 1, "rules": [{"name": 3}]}');
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10, thresholds: { intervalMs: 300 } });
  core.on('alerts:changed', (d) => d.serverId === POLYVISOR_ALERT_SOURCE && changes.push(d));
  await core.start();
  const server = await core.invoke('servers:add', { type: 'xenserver', name: 'pool', host: sim.host, port: sim.port, username: 'root', password: 'password', rememberPassword: true });
  serverId = server.id;
  await failure(core.invoke('servers:connect', serverId));
  await core.invoke('certs:accept', serverId, sim.fingerprint256);
});

afterAll(async () => {
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('threshold rules on XAPI', () => {
  it('keeps an unusable thresholds.json aside and reports it', async () => {
    const info = await core.invoke('app:info');
    const problem = info.storeProblems.find((p) => p.file.endsWith('thresholds.json'));
    expect(problem?.keptAs).toMatch(/thresholds\.json\.corrupt-/);
    expect(readdirSync(home).some((f) => f.startsWith('thresholds.json.corrupt-'))).toBe(true);
    expect(await core.invoke('thresholds:list')).toEqual([]);
  });

  it("raises an alert when a VM's CPU series goes over the limit, with the value the simulator served", async () => {
    const running = await node((n) => n.kind === 'vm' && n.state === 'running' && !n.controlDomain);
    const other = await node((n) => n.kind === 'vm' && n.state === 'running' && !n.controlDomain && n.id !== running.id);
    const draft: ThresholdDraft = { name: 'Busy VM', metric: 'cpu', comparison: 'above', value: 1, durationSeconds: 0, scope: { kind: 'node', nodeId: running.id }, severity: 'major' };
    const rule = await core.invoke('thresholds:create', draft);
    expect(rule).toMatchObject({ ...draft, enabled: true, kinds: [] });
    const saved = JSON.parse(readFileSync(path.join(home, 'thresholds.json'), 'utf8'));
    expect(saved).toMatchObject({ version: 1, rules: [{ id: rule.id, name: 'Busy VM', value: 1 }] });

    const [alert] = await waitFor(async () => {
      const a = await ownAlerts();
      return a.length ? a : undefined;
    }, 'the threshold alert', 30_000);
    expect(alert).toMatchObject({ nodeId: running.id, objectName: running.name, severity: 'major', dismissable: true, threshold: { ruleId: rule.id, metric: 'cpu', limit: 1 } });
    const t = alert!.threshold!.since / 1000;
    expect(alert!.threshold!.observed).toBeCloseTo(Math.round(generatedCpu(running.nativeRef, t) * 10) / 10, 5);
    expect(alert!.threshold!.observed).toBeGreaterThan(1);
    // the other running VM is outside the rule's scope
    expect((await ownAlerts()).some((a) => a.nodeId === other.id)).toBe(false);
    // listed under the VM's server too
    expect((await core.invoke('alerts:list', { serverId })).map((a) => a.id)).toContain(alert!.id);
  });

  it('clears the alert when the VM stops (the simulator says it halted)', async () => {
    const [alert] = await ownAlerts();
    const vm = (await core.invoke('inventory:get')).find((n) => n.id === alert!.nodeId)!;
    const [task] = await core.invoke('actions:run', { nodeIds: [vm.id], action: 'force_shutdown' });
    expect((await core.waitForTask(task!.id)).status).toBe('success');
    expect(sim.db.get('VM', vm.nativeRef)?.power_state).toBe('Halted');
    await waitFor(async () => ((await ownAlerts()).length === 0 ? true : undefined), 'the alert to clear', 30_000);
    expect(changes.some((c) => c.remove.includes(alert!.id))).toBe(true);
  });

  it('a dismissed alert stays away while its condition lasts; a changed or removed rule clears its alerts', async () => {
    const running = await node((n) => n.kind === 'vm' && n.state === 'running' && !n.controlDomain);
    const rule = await core.invoke('thresholds:create', { name: 'Any VM', metric: 'cpu', comparison: 'above', value: 1, durationSeconds: 0, scope: { kind: 'server', serverId }, kinds: ['vm'], severity: 'warning' });
    const alert = await waitFor(async () => (await ownAlerts()).find((a) => a.nodeId === running.id && a.threshold?.ruleId === rule.id), 'an alert of the server-wide rule', 30_000);
    expect(await core.invoke('alerts:dismiss', [alert.id])).toEqual({ dismissed: [alert.id], failed: [] });
    expect((await ownAlerts()).some((a) => a.id === alert.id)).toBe(false);
    // a second rule on the same VM: once its alert is up, a round has run since the dismissal
    const probe = await core.invoke('thresholds:create', { name: 'Probe', metric: 'cpu', comparison: 'above', value: 1, durationSeconds: 0, scope: { kind: 'node', nodeId: running.id }, severity: 'info' });
    const probeAlert = await waitFor(async () => (await ownAlerts()).find((a) => a.threshold?.ruleId === probe.id), "the probe rule's alert", 30_000);
    expect((await ownAlerts()).some((a) => a.id === alert.id)).toBe(false);

    // a changed rule starts afresh: its alert is cleared at once (and a limit of 100 % is never passed)
    await core.invoke('thresholds:update', probe.id, { value: 100 });
    expect((await core.invoke('thresholds:list')).find((r) => r.id === probe.id)?.value).toBe(100);
    expect(changes.some((c) => c.remove.includes(probeAlert.id))).toBe(true);
    expect((await ownAlerts()).some((a) => a.id === probeAlert.id)).toBe(false);

    for (const id of [rule.id, probe.id]) await core.invoke('thresholds:delete', id);
    expect(await core.invoke('thresholds:list')).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(home, 'thresholds.json'), 'utf8')).rules.map((r: { name: string }) => r.name)).toEqual(['Busy VM']);
    expect((await ownAlerts()).some((a) => a.threshold?.ruleId === rule.id || a.threshold?.ruleId === probe.id)).toBe(false);
  });

  it('refuses a rule out of bounds, naming the field', async () => {
    const bad = await failure(core.dispatch('thresholds:create', [{ name: 'x', metric: 'cpu', comparison: 'above', value: 150, durationSeconds: 0, scope: { kind: 'all' }, severity: 'info' }]));
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('value') });
    const none = await failure(core.invoke('thresholds:create', { name: 'x', metric: 'diskFree', comparison: 'below', value: 5, durationSeconds: 0, scope: { kind: 'all' }, kinds: ['vm'], severity: 'info' }));
    expect(none).toMatchObject({ code: 'INVALID_INPUT', field: 'kinds' });
  });
});
