// Moving VMs inside a pool through the provider, against the simulator: the plan
// gives each host ok or the server's reason (codes and parameters as xapi raises
// them), a migrate moves the VM (in the simulator's own records, in Xen Orchestra's
// independent client and in the provider's tree), reports progress and can be
// cancelled through the server's task.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error xen-api ships no type declarations
import { Xapi } from 'xen-api';
import { isPolyvisorError } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, reporter } from './harness';

const GiB = 1024 ** 3;

describe('XenServer migration within a pool', () => {
  let sim: XapiSimulator;
  let harness: Harness;
  const rec = (ref: string) => sim.db.get('VM', ref)!;
  const guests = () => harness.ofKind('vm').filter((n) => !n.controlDomain);
  const hosts = () => harness.ofKind('host');
  const srOfDisk = (vm: string) => {
    const vbd = (rec(vm).VBDs as string[]).map((b) => sim.db.get('VBD', b)!).find((b) => b.type === 'Disk')!;
    return sim.db.get('VDI', vbd.VDI as string)!.SR as string;
  };
  const hasCd = (vm: string) => (rec(vm).VBDs as string[]).some((b) => sim.db.get('VBD', b)!.type === 'CD');
  const movable = () => guests().find((n) => n.state === 'running' && sim.db.get('SR', srOfDisk(n.nativeRef))!.shared && !hasCd(n.nativeRef))!;
  const planFor = async (vm: InventoryNode) => (await harness.provider.migration!.plan([vm.nativeRef]))[0]!.targets;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 3, vms: 12, snapshots: 0, localDiskVms: 1, localCdVms: 1 }, taskDurationMs: 400 });
    harness = new Harness(sim);
    await harness.provider.connect();
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('offers migrate on running VMs only (the server allows pool_migrate)', () => {
    for (const vm of guests()) {
      expect(vm.allowed.includes('migrate'), vm.name).toBe((rec(vm.nativeRef).allowed_operations as string[]).includes('pool_migrate'));
    }
    expect(guests().filter((n) => n.allowed.includes('migrate')).length).toBeGreaterThan(0);
  });

  it('plans every other host: ok, or VM_REQUIRES_SR for a local disk and for a CD in a host drive', async () => {
    const ok = movable();
    const targets = await planFor(ok);
    expect(targets.map((t) => t.hostRef).sort()).toEqual(hosts().map((h) => h.nativeRef).filter((h) => h !== rec(ok.nativeRef).resident_on).sort());
    expect(targets.every((t) => t.ok)).toBe(true);

    const local = guests().find((n) => n.state === 'running' && !sim.db.get('SR', srOfDisk(n.nativeRef))!.shared)!;
    for (const t of await planFor(local)) {
      expect(t.ok).toBe(false);
      expect(t.reason).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'VM_REQUIRES_SR', serverParams: [local.nativeRef, srOfDisk(local.nativeRef)] });
    }
    const cd = guests().find((n) => hasCd(n.nativeRef))!;
    const cdVbd = (rec(cd.nativeRef).VBDs as string[]).map((b) => sim.db.get('VBD', b)!).find((b) => b.type === 'CD')!;
    const cdSr = sim.db.get('VDI', cdVbd.VDI as string)!.SR as string;
    expect(sim.db.get('SR', cdSr)!.type).toBe('udev');
    for (const t of await planFor(cd)) expect(t.reason).toMatchObject({ serverCode: 'VM_REQUIRES_SR', serverParams: [cd.nativeRef, cdSr] });
  });

  it('plans VM_BAD_POWER_STATE for a halted VM, HOST_DISABLED and HOST_NOT_ENOUGH_FREE_MEMORY per host', async () => {
    const halted = guests().find((n) => n.state === 'halted')!;
    for (const t of await planFor(halted)) expect(t.reason).toMatchObject({ serverCode: 'VM_BAD_POWER_STATE', serverParams: [halted.nativeRef, 'running', 'halted'] });

    const vm = movable();
    const [disabled, small] = hosts().filter((h) => h.nativeRef !== rec(vm.nativeRef).resident_on);
    sim.db.set('host', disabled!.nativeRef, 'enabled', false);
    const smallMetrics = sim.db.get('host', small!.nativeRef)!.metrics as string;
    const total = sim.db.get('host_metrics', smallMetrics)!.memory_total;
    sim.db.set('host_metrics', smallMetrics, 'memory_total', 5 * GiB);
    try {
      const targets = await planFor(vm);
      expect(targets.find((t) => t.hostRef === disabled!.nativeRef)).toMatchObject({ ok: false, reason: { serverCode: 'HOST_DISABLED', serverParams: [disabled!.nativeRef] } });
      const free = 5 * GiB - (sim.db.get('host', small!.nativeRef)!.resident_VMs as string[]).reduce((n, v) => n + Number(rec(v).memory_static_max), 0);
      const needed = Number(rec(vm.nativeRef).memory_static_max);
      expect(needed).toBeGreaterThan(Math.max(0, free));
      expect(targets.find((t) => t.hostRef === small!.nativeRef)).toMatchObject({
        ok: false,
        reason: { serverCode: 'HOST_NOT_ENOUGH_FREE_MEMORY', serverParams: [String(needed), String(Math.max(0, free))] },
      });
      expect(targets.find((t) => t.hostRef === small!.nativeRef)!.reason!.message).toContain(`needs ${Math.round(needed / 1024 ** 2)} MiB`);
    } finally {
      sim.db.set('host', disabled!.nativeRef, 'enabled', true);
      sim.db.set('host_metrics', smallMetrics, 'memory_total', total);
    }
  });

  it('migrates live with progress: the simulator, Xen Orchestra\'s client and the tree see the VM on the new host', async () => {
    const vm = movable();
    const from = rec(vm.nativeRef).resident_on as string;
    const to = hosts().find((h) => h.nativeRef !== from)!;
    const xo = new Xapi({ url: sim.url, auth: { user: 'root', password: 'password' }, allowUnauthorized: true, debounce: 20 });
    await xo.connect();
    void xo.watchEvents();
    await xo.objectsFetched;
    try {
      const task = reporter();
      await harness.provider.runAction(vm, 'migrate', { targetRef: to.nativeRef }, task);
      expect(task.cancellableSeen).toBe(true);
      expect(task.progressValues.length).toBeGreaterThan(1);
      expect(task.progressValues.at(-1)).toBe(1);
      expect(rec(vm.nativeRef).resident_on).toBe(to.nativeRef);
      expect(rec(vm.nativeRef).power_state).toBe('Running');
      await harness.until(() => harness.nodes.get(vm.id)?.parentId === to.id, 15_000, 'the VM under its new host');
      const seen = await new Promise<string>((resolve, reject) => {
        const deadline = Date.now() + 20_000;
        const tick = () => {
          const o = (xo.objects.all as Record<string, { $ref: string; resident_on: string }>)[vm.nativeRef] ?? Object.values(xo.objects.all as Record<string, { $ref: string; resident_on: string }>).find((x) => x.$ref === vm.nativeRef);
          if (o?.resident_on === to.nativeRef) resolve(o.resident_on);
          else if (Date.now() > deadline) reject(new Error('xen-api never saw the move'));
          else setTimeout(tick, 50);
        };
        tick();
      });
      expect(seen).toBe(to.nativeRef);
    } finally {
      await xo.disconnect();
    }
  });

  it('cancels a migration through the server task: the VM stays where it was', async () => {
    const vm = movable();
    const from = rec(vm.nativeRef).resident_on as string;
    const to = hosts().find((h) => h.nativeRef !== from)!;
    sim.faults.delay(300, 'task.get_record');
    const task = reporter();
    const run = harness.provider.runAction(vm, 'migrate', { targetRef: to.nativeRef }, task);
    await task.cancellable();
    await task.cancel();
    task.abort();
    const err = await run.catch((e: unknown) => e);
    sim.faults.clear();
    expect(isPolyvisorError(err, 'CANCELLED')).toBe(true);
    expect(rec(vm.nativeRef).resident_on).toBe(from);
    expect(rec(vm.nativeRef).current_operations).toEqual({});
  });

  it('a refused migration carries the server code (VM_REQUIRES_SR) and changes nothing', async () => {
    const local = guests().find((n) => n.state === 'running' && !sim.db.get('SR', srOfDisk(n.nativeRef))!.shared)!;
    const from = rec(local.nativeRef).resident_on as string;
    const to = hosts().find((h) => h.nativeRef !== from)!;
    const err = await harness.provider.runAction(local, 'migrate', { targetRef: to.nativeRef }, reporter()).catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'SERVER_ERROR') && err.info.serverCode).toBe('VM_REQUIRES_SR');
    expect(rec(local.nativeRef).resident_on).toBe(from);
  });
});
