// The renderer's side of issue 13: "spread over the pool" (each VM to the host with
// the most free memory left, equal hosts taking turns), one host for many VMs, child
// tasks under their parent, and the Migrate… and host commands' can't-run reasons
// (the platform lacks it, the server does not allow it now) and their labels.
import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../shared/contract';
import type { MigrationPlan } from '../../shared/migration';
import type { InventoryNode } from '../../shared/model';
import { commandById } from '../../renderer/src/commands/registry';
import { taskLines } from '../../renderer/src/components/task-order';
import { freeMemoryOf, sharedTarget, spreadOverPool } from '../../renderer/src/migration/spread';
import { appInfo, canRun, ctxOf, server, state, vm } from './helpers/renderer-state';

const GiB = 1024 ** 3;
const host = (name: string, memoryTotal: number, extra: Partial<InventoryNode> = {}): InventoryNode => ({
  ...vm('x', name),
  id: `x:host:${name}`,
  kind: 'host',
  allowed: [],
  props: { memoryTotal },
  ...extra,
});
const guest = (name: string, on: string, memory: number, extra: Partial<InventoryNode> = {}) =>
  vm('x', name, { parentId: `x:host:${on}`, props: { memory }, allowed: ['migrate'], ...extra });

function lookups(nodes: InventoryNode[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    node: (id: string) => byId.get(id),
    children: (id: string) => nodes.filter((n) => n.parentId === id).map((n) => n.id),
  };
}

const ok = (hostId: string) => ({ hostId, ok: true });
const refused = (hostId: string, serverCode: string) => ({
  hostId,
  ok: false,
  reason: { code: 'SERVER_ERROR' as const, message: serverCode, serverCode },
});

describe('spread over the pool', () => {
  const a = host('a', 16 * GiB);
  const b = host('b', 16 * GiB);
  const c = host('c', 8 * GiB);
  const busy = guest('busy', 'b', 6 * GiB);
  const stopped = guest('stopped', 'a', 12 * GiB, { state: 'halted' });
  const vms = [1, 2, 3, 4].map((i) => guest(`vm${i}`, 'c', 2 * GiB));
  const { node, children } = lookups([a, b, c, busy, stopped, ...vms]);

  it("takes a host's free memory from the server, else its total less its running guests", () => {
    expect(freeMemoryOf(a, node, children)).toBe(16 * GiB);
    expect(freeMemoryOf(b, node, children)).toBe(10 * GiB);
    expect(freeMemoryOf({ ...a, props: { memoryTotal: 16 * GiB, memoryFree: GiB } }, node, children)).toBe(GiB);
  });

  it('places each VM on the ok host with the most free memory left, counting the ones placed', () => {
    const plan: MigrationPlan = { vms: vms.map((v) => ({ vmId: v.id, targets: [ok(a.id), ok(b.id)] })) };
    // a: 16 free, b: 10 free → a, a, a (16→14→12→10), then a and b are equal at 10: b has had fewer
    expect(spreadOverPool(plan, node, children).map((p) => p.hostId)).toEqual([a.id, a.id, a.id, b.id]);
  });

  it('equal hosts take turns; a VM no host can take keeps the reason; other servers are not spread to', () => {
    const twin = host('twin', 16 * GiB);
    const { node: n2, children: c2 } = lookups([a, twin, ...vms]);
    const plan: MigrationPlan = {
      vms: [
        { vmId: vms[0].id, targets: [ok(a.id), ok(twin.id)] },
        { vmId: vms[1].id, targets: [ok(a.id), ok(twin.id)] },
        { vmId: vms[2].id, targets: [refused(a.id, 'VM_REQUIRES_SR'), { ...ok('y:host:far'), crossServer: true }] },
      ],
    };
    const placed = spreadOverPool(plan, n2, c2);
    expect(placed.map((p) => p.hostId)).toEqual([a.id, twin.id, undefined]);
    expect(placed[2].reason?.serverCode).toBe('VM_REQUIRES_SR');
  });

  it('one host for all: ok only where every VM may go, else the first VM refused and why', () => {
    const plan: MigrationPlan = {
      vms: [
        { vmId: 'v1', targets: [ok('h1'), ok('h2')] },
        { vmId: 'v2', targets: [ok('h1'), refused('h2', 'HOST_NOT_ENOUGH_FREE_MEMORY')] },
      ],
    };
    expect(sharedTarget(plan, 'h1').ok).toBe(true);
    expect(sharedTarget(plan, 'h2')).toMatchObject({ ok: false, vmId: 'v2', reason: { serverCode: 'HOST_NOT_ENOUGH_FREE_MEMORY' } });
  });
});

describe('tasks panel order', () => {
  const task = (id: string, parentId?: string): TaskInfo => ({
    id,
    serverId: 'x',
    targetId: 't',
    targetName: id,
    action: 'migrate',
    status: 'running',
    progress: 0,
    startedAt: 0,
    cancellable: false,
    ...(parentId ? { parentId } : {}),
  });
  it("lists each task's children right under it; an orphan stands alone", () => {
    const lines = taskLines([task('p'), task('other'), task('c1', 'p'), task('c2', 'p'), task('orphan', 'gone')]);
    expect(lines.map((l) => `${l.task.id}:${l.depth}`)).toEqual(['p:0', 'c1:1', 'c2:1', 'other:0', 'orphan:0']);
  });
});

describe('Migrate… and the host commands', () => {
  const xen = server('x', 'xenserver');
  const h1 = host('h1', 8 * GiB, { allowed: ['maintenance_enter', 'evacuate', 'host_reboot', 'host_shutdown'] });
  const web = guest('web', 'h1', GiB);
  const live = appInfo({ xenserver: { migration: 'live', maintenanceMode: { en: 'maintenance mode', 'zh-CN': '维护模式' } } });
  const none = appInfo({ xenserver: { migration: 'none', crossServerMigration: false, maintenanceMode: undefined } });
  const base = (infoOf = live, nodes = [h1, web]) => state({ info: infoOf, servers: [xen], nodes });

  it('Migrate… runs on a VM the server lets move; says when the platform cannot or the server does not allow it', () => {
    expect(canRun('migrate', { ...base(), selection: [web.id] })).toEqual({ ok: true });
    expect(canRun('migrate', { ...base(none), selection: [web.id] })).toEqual({ ok: false, reason: 'XenServer / XCP-ng has no “Migrate”.' });
    const halted = { ...web, state: 'halted' as const, allowed: [] };
    expect(canRun('migrate', { ...base(live, [h1, halted]), selection: [web.id] })).toEqual({ ok: false, reason: 'web is Halted: the server does not allow “Migrate” now.' });
  });

  it('host commands: allowed now, or why not; maintenance named as the platform names it', () => {
    const s = { ...base(), selection: [h1.id] };
    expect(canRun('maintenance-enter', s)).toEqual({ ok: true });
    expect(canRun('maintenance-exit', s).ok).toBe(false);
    expect(canRun('evacuate-host', s)).toEqual({ ok: true });
    expect(canRun('maintenance-enter', { ...base(none), selection: [h1.id] })).toEqual({ ok: false, reason: 'XenServer / XCP-ng has no “Enter maintenance mode”.' });
    expect(canRun('evacuate-host', { ...base(none), selection: [h1.id] }).ok).toBe(false);
    expect(commandById('maintenance-enter')!.label(ctxOf(s, 'zh-CN'))).toBe('进入维护模式');
    expect(canRun('host-power-on', s)).toEqual({ ok: false, reason: 'h1 is Running: the server does not allow “Power on host” now.' });
  });

  it('rebooting a host with running VMs asks first and offers force, off by default', () => {
    const request = commandById('host-reboot')!.confirm!(ctxOf({ ...base(), selection: [h1.id] }));
    expect(request?.targets).toEqual(['h1']);
    expect(request?.options).toEqual([expect.objectContaining({ id: 'force', checked: false })]);
    const empty = commandById('host-reboot')!.confirm!(ctxOf({ ...base(live, [h1]), selection: [h1.id] }));
    expect(empty?.options).toBeUndefined();
  });
});
