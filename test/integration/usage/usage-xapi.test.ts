// Live usage through the core against the XAPI simulator: `usage:read` gives a running
// VM's and a host's CPU and memory from the last 5-second rows of rrd_updates — the
// numbers the simulator served (its own deterministic series recomputed for the last
// rows) — a halted VM says it is not running, a pool that it has no source; and
// `usage:watch` makes the sampler send `usage:changed` for exactly the watched rows.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import type { UsageReading } from '../../../shared/usage';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { xenServerProviderFactory } from '../../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { hostSources, vmSources, type DataSource } from '../../sim/xapi/rrd/series';
import { waitFor } from '../provider-mirror';

let sim: XapiSimulator;
let home: string;
let core: PolyvisorCore;

const node = async (check: (n: InventoryNode) => boolean) => waitFor(async () => (await core.invoke('inventory:get')).find(check), 'a node in the tree', 30_000);

/** What the simulator served for the last few 5-second rows: xapi writes four decimals. */
function servedRows(sources: DataSource[], read: (value: (name: string) => number) => number): number[] {
  const now = Math.floor(Date.now() / 1000 / 5) * 5;
  return [0, 5, 10, 15, 20].map((back) => read((name) => Number(sources.find((s) => s.name === name)!.value(now - back, 5).toFixed(4))));
}

const near = (value: number | undefined, candidates: number[], tolerance: number) => candidates.some((c) => Math.abs((value ?? NaN) - c) <= tolerance);

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 0 } });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-usage-xapi-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
  const server = await core.invoke('servers:add', { type: 'xenserver', name: 'pool', host: sim.host, port: sim.port, username: 'root', password: 'password', rememberPassword: true });
  await core.invoke('servers:connect', server.id).catch((e: unknown) => toErrorInfo(e));
  await core.invoke('certs:accept', server.id, sim.fingerprint256);
});

afterAll(async () => {
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('live usage of XAPI VMs and hosts', { timeout: 90_000 }, () => {
  it("reads a running VM's and the host's usage as the simulator served it", async () => {
    const vm = await node((n) => n.kind === 'vm' && n.state === 'running');
    const host = await node((n) => n.kind === 'host');
    const [vmReading, hostReading] = await core.invoke('usage:read', [vm.id, host.id]);

    const vmRecord = sim.db.get('VM', vm.nativeRef)!;
    const vmSrc = vmSources(sim.db, vmRecord);
    const cpus = vmSrc.filter((s) => /^cpu\d+$/.test(s.name)).map((s) => s.name);
    const vmCpu = servedRows(vmSrc, (v) => cpus.reduce((sum, c) => sum + v(c), 0) / cpus.length);
    const vmUsed = servedRows(vmSrc, (v) => v('memory') - v('memory_internal_free') * 1024);
    expect(vmReading).toMatchObject({ nodeId: vm.id, memoryTotal: Number(vmSrc.find((s) => s.name === 'memory')!.value(0, 5).toFixed(4)) });
    expect(vmReading!.missing).toBeUndefined();
    expect(near(vmReading!.cpu, vmCpu, 1e-6), `cpu ${vmReading!.cpu} served ${vmCpu.join(', ')}`).toBe(true);
    expect(near(vmReading!.memoryUsed, vmUsed, 1), `memory ${vmReading!.memoryUsed} served ${vmUsed.join(', ')}`).toBe(true);

    const hostSrc = hostSources(sim.db, sim.db.get('host', host.nativeRef)!);
    expect(near(hostReading!.cpu, servedRows(hostSrc, (v) => v('cpu_avg')), 1e-6)).toBe(true);
    expect(hostReading!.memoryTotal).toBe(servedRows(hostSrc, (v) => v('memory_total_kib') * 1024)[0]);
    expect(near(hostReading!.memoryUsed, servedRows(hostSrc, (v) => (v('memory_total_kib') - v('memory_free_kib')) * 1024), 1)).toBe(true);
  });

  it('says why a halted VM and a pool have no usage, without asking the server', async () => {
    const halted = await node((n) => n.kind === 'vm' && n.state === 'halted');
    const pool = await node((n) => n.kind === 'pool');
    expect(await core.invoke('usage:read', [halted.id, pool.id, 'no-such-node'])).toMatchObject([
      { nodeId: halted.id, missing: 'not-running' },
      { nodeId: pool.id, missing: 'no-source' },
      { nodeId: 'no-such-node', missing: 'no-source' },
    ]);
  });

  it('sends usage:changed for the rows a window watches, and stops when it watches none', async () => {
    const vms = (await core.invoke('inventory:get')).filter((n) => n.kind === 'vm' && n.state === 'running');
    const watched = vms.slice(0, 1).map((n) => n.id);
    const rounds: UsageReading[][] = [];
    const off = core.on('usage:changed', (p) => rounds.push(p.readings));
    await core.invoke('usage:watch', { watcher: 'test-window', nodeIds: watched });
    await waitFor(async () => rounds.length >= 1 || undefined, 'a round of readings', 30_000);
    expect(rounds[0]!.map((r) => r.nodeId)).toEqual(watched);
    expect(rounds[0]![0]!.cpu).toBeGreaterThan(0);
    await core.invoke('usage:watch', { watcher: 'test-window', nodeIds: [] });
    const count = rounds.length;
    // the next round would be due within 5 s: none comes
    await new Promise((r) => setTimeout(r, 7000));
    expect(rounds.length).toBe(count);
    off();
  });

  it('checks its arguments', async () => {
    const error = await core.dispatch('usage:watch', [{ watcher: '', nodeIds: [] }]).then(() => undefined, (e: unknown) => toErrorInfo(e));
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
