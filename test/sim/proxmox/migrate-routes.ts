// Migration routes: the precondition answers (GET …/migrate), moving one guest
// (POST …/migrate as a qmigrate/vzmigrate worker) and the node's bulk migrate
// (POST /nodes/{node}/migrateall), parameters as in the PVE schema.

import { P, ParamError, type ParamSpec } from './params';
import { SimHttpError } from './guest-ops';
import { localResources, localVolumes, unavailableStorages } from './migrate-checks';
import { startMigration, type MigrateRequest } from './migrate-ops';
import { GUEST_PARAMS, requireGuest, requireNode, taskUser, type Route, type RouteContext } from './route-kit';
import type { ClusterState, GuestType, SimGuest } from './state';

const optional = (spec: ParamSpec): ParamSpec => ({ ...spec, optional: true });
const storagePairs: ParamSpec = { type: 'string', format: 'storage-pair-list', optional: true };
/** how often the bulk migrate looks whether a worker slot is free (PVE: every second) */
const BULK_TICK_MS = 25;

const otherNodes = (s: ClusterState, g: SimGuest) => [...s.nodes.keys()].filter((n) => n !== g.node);

/** PVE's migrate_vm_precondition: the target lists only for a stopped VM (offline migration). */
export function qemuPrecondition(s: ClusterState, g: SimGuest): Record<string, unknown> {
  const running = g.status === 'running';
  const res: Record<string, unknown> = {
    running: running ? 1 : 0,
    'has-dbus-vmstate': 0,
    local_disks: localVolumes(s, g).map((v) => ({
      volid: v.volid,
      size: v.size,
      cdrom: v.cdrom ? 1 : 0,
      is_unused: v.unused ? 1 : 0,
      referenced_in_config: v.unused ? 0 : 1,
      ...(v.unused ? {} : { drivename: v.key }),
      replicate: 0,
      shared: 0,
    })),
    local_resources: localResources(g),
    'mapped-resources': [],
    'mapped-resource-info': {},
  };
  if (!running) {
    const checked: Record<string, Record<string, unknown>> = {};
    const allowed: string[] = [];
    for (const node of otherNodes(s, g)) {
      const missing = unavailableStorages(s, g, node);
      checked[node] = missing.length ? { unavailable_storages: missing } : {};
      if (!missing.length) allowed.push(node);
    }
    res.allowed_nodes = allowed;
    res.not_allowed_nodes = checked;
  }
  return res;
}

function bool(v: unknown): boolean {
  return v === true;
}

function migrateRoutes(type: GuestType): Route[] {
  const isQemu = type === 'qemu';
  const base = `/nodes/{node}/${type}/{vmid}/migrate`;
  return [
    {
      method: 'GET',
      path: base,
      params: { ...GUEST_PARAMS, target: optional(P.node) },
      handler(ctx) {
        const g = requireGuest(ctx.state, type, ctx.params);
        if (ctx.params.target !== undefined) requireNode(ctx.state, String(ctx.params.target));
        if (isQemu) return qemuPrecondition(ctx.state, g);
        // no HA affinity rules in the simulator: nothing blocks a container from any other node
        return { running: g.status === 'running' ? 1 : 0, 'allowed-nodes': otherNodes(ctx.state, g), 'not-allowed-nodes': {} };
      },
    },
    {
      method: 'POST',
      path: base,
      params: isQemu
        ? {
            ...GUEST_PARAMS,
            bwlimit: { type: 'integer', minimum: 0, optional: true },
            force: P.optBool,
            migration_network: { type: 'string', format: 'CIDR', optional: true },
            migration_type: { type: 'string', enum: ['secure', 'insecure'], optional: true },
            online: P.optBool,
            target: P.node,
            targetstorage: storagePairs,
            'with-conntrack-state': P.optBool,
            'with-local-disks': P.optBool,
          }
        : {
            ...GUEST_PARAMS,
            bwlimit: { type: 'number', minimum: 0, optional: true },
            online: P.optBool,
            restart: P.optBool,
            target: P.node,
            'target-storage': storagePairs,
            timeout: { type: 'integer', optional: true },
          },
      handler(ctx) {
        const g = requireGuest(ctx.state, type, ctx.params);
        const p = ctx.params;
        const storage = p[isQemu ? 'targetstorage' : 'target-storage'];
        const req: MigrateRequest = {
          target: String(p.target),
          online: bool(p.online),
          restart: bool(p.restart),
          withLocalDisks: bool(p['with-local-disks']),
          force: bool(p.force),
          targetStorage: storage === undefined ? undefined : String(storage),
        };
        return startMigration(ctx.state, ctx.tasks, taskUser(ctx), g, req);
      },
    },
  ];
}

/** pve-vmid-list: ids separated by commas, spaces or semicolons. */
function vmidList(text: string | undefined): Set<number> | null {
  if (text === undefined) return null;
  const ids = text.split(/[,;\s]+/).filter(Boolean);
  if (ids.some((id) => !/^\d+$/.test(id))) throw new ParamError({ vms: `invalid format - value does not look like a valid VM ID\n` });
  return new Set(ids.map(Number));
}

/** One guest of a bulk migrate: PVE's create_migrate_worker (precondition check for VMs, restart mode for running CTs). */
function startBulkStep(ctx: RouteContext, g: SimGuest, target: string, withLocalDisks: boolean, log: (line: string) => void): string | null {
  const running = g.status === 'running';
  if (g.type === 'qemu') {
    const problems: string[] = [];
    const disks = localVolumes(ctx.state, g);
    if (running && !withLocalDisks && disks.length) problems.push(`  Has local disks: ${disks.map((d) => d.volid).join(', ')}`);
    const devices = localResources(g);
    if (devices.length) problems.push(`  Has local resources: ${devices.join(', ')}`);
    if (problems.length) {
      log(`Check VM ${g.vmid}: skip VM ${g.vmid} - precondition check failed:`);
      problems.forEach(log);
      return null;
    }
    log(`Check VM ${g.vmid}: precondition check passed`);
    log(`Migrating VM ${g.vmid}`);
  } else {
    log(`Migrating CT ${g.vmid}`);
  }
  const req: MigrateRequest = { target, online: g.type === 'qemu' && running, restart: g.type === 'lxc' && running, withLocalDisks, force: false };
  try {
    return startMigration(ctx.state, ctx.tasks, taskUser(ctx), g, req);
  } catch (e) {
    // PVE warns and goes on with the next guest
    log(e instanceof ParamError ? `${e.message} ${JSON.stringify(e.errors)}` : (e as Error).message);
    return null;
  }
}

const MIGRATE_ALL: Route = {
  method: 'POST',
  path: '/nodes/{node}/migrateall',
  params: {
    'max-workers': { type: 'integer', minimum: 1, maximum: 64, optional: true },
    maxworkers: { type: 'integer', minimum: 1, maximum: 64, optional: true },
    node: P.node,
    target: P.node,
    vms: { type: 'string', format: 'pve-vmid-list', optional: true },
    'with-local-disks': P.optBool,
  },
  handler(ctx) {
    const p = ctx.params;
    const node = requireNode(ctx.state, String(p.node)).name;
    const target = String(p.target);
    if (target === node) throw new ParamError({ target: 'target is local node.' });
    if (!ctx.state.node(target)) throw new SimHttpError(500, `no such cluster node '${target}'`);
    const maxWorkers = Number(p['max-workers'] ?? p.maxworkers ?? ctx.state.maxWorkers ?? 0);
    if (!maxWorkers) throw new SimHttpError(500, "either 'maxworkers' parameter or max_workers in datacenter.cfg must be set!");
    const only = vmidList(p.vms === undefined ? undefined : String(p.vms));
    const withLocalDisks = p['with-local-disks'] === true;

    let stopped = false;
    const task = ctx.tasks.startOpen(node, 'migrateall', '', taskUser(ctx), () => (stopped = true));
    const queue = [...ctx.state.guests.values()].filter((g) => g.node === node && (!only || only.has(g.vmid))).sort((a, b) => a.vmid - b.vmid);
    const log = (line: string) => task.log.push(line);
    if (!queue.length) {
      log('no virtual guests matched, nothing to do..');
      ctx.tasks.finishOpen(task, 'OK');
      return task.upid;
    }
    const running = new Set<string>();
    let started = 0;
    const tick = () => {
      if (stopped) return;
      for (const upid of [...running]) if (ctx.tasks.tasks.get(upid)?.status !== 'running') running.delete(upid);
      while (queue.length && running.size < maxWorkers) {
        const upid = startBulkStep(ctx, queue.shift()!, target, withLocalDisks, log);
        if (upid) {
          running.add(upid);
          started++;
        }
      }
      if (queue.length || running.size) return ctx.tasks.schedule(BULK_TICK_MS, tick);
      if (started === 0) return ctx.tasks.finishOpen(task, 'no migrations worker started...');
      log(`All jobs finished, used ${started} workers in total.`);
      ctx.tasks.finishOpen(task, 'OK');
    };
    tick();
    return task.upid;
  },
};

export const MIGRATE_ROUTES: Route[] = [...migrateRoutes('qemu'), ...migrateRoutes('lxc'), MIGRATE_ALL];
