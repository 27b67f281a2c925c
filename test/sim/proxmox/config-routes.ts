// A guest's configuration and its removal: GET …/config (pending values in place
// unless current=1), PUT …/config (at once; qemu's POST in a qmconfig worker),
// GET …/pending, and DELETE …/{vmid} (the guest and its disks; with
// destroy-unreferenced-disks also disks with its VMID that no config names).

import { QEMU_POST_PARAMS, QEMU_PUT_PARAMS, LXC_PUT_PARAMS } from './config-params';
import { pendingList, updateConfig, withPending } from './config-ops';
import { checkFileLock, label, SimHttpError } from './guest-ops';
import { guestVolumes } from './migrate-checks';
import { P } from './params';
import { GUEST_PARAMS, requireGuest, runTask, type Route } from './route-kit';
import type { ClusterState, GuestType, SimGuest } from './state';
import type { TaskWork } from './tasks';
import { unreferencedDisks } from './volumes';

function destroyWork(s: ClusterState, g: SimGuest, unreferenced: boolean): TaskWork {
  const disks = guestVolumes(g).filter((v) => !v.cdrom);
  return {
    begin() {
      if (g.status === 'running') {
        // lxc with force: stopped first
        g.status = 'stopped';
        g.startedAt = undefined;
        g.qmpstatus = undefined;
      }
      g.lock = 'destroyed';
    },
    finish() {
      s.removeGuest(g.vmid);
      if (!unreferenced) return;
      for (const v of unreferencedDisks(s, g)) s.looseVolumes.splice(s.looseVolumes.indexOf(v), 1);
    },
    abort() {
      if (g.lock === 'destroyed') g.lock = undefined;
    },
    lines: disks.map((v) => `Logical volume "${v.volid.split(':')[1]}" successfully removed.`),
  };
}

function destroyRoute(type: GuestType): Route {
  const isQemu = type === 'qemu';
  return {
    method: 'DELETE',
    path: `/nodes/{node}/${type}/{vmid}`,
    params: { ...GUEST_PARAMS, 'destroy-unreferenced-disks': P.optBool, purge: P.optBool, ...(isQemu ? { skiplock: P.optBool } : { force: P.optBool }) },
    handler(ctx) {
      const g = requireGuest(ctx.state, type, ctx.params);
      const p = ctx.params;
      // the early checks, made before the worker forks
      checkFileLock(g);
      if (g.lock && p.skiplock !== true) throw new SimHttpError(500, `${label(g)} is locked (${g.lock})`);
      if (g.status === 'running') {
        if (isQemu) throw new SimHttpError(500, `VM ${g.vmid} is running - destroy failed`);
        if (p.force !== true) throw new SimHttpError(500, `unable to destroy CT ${g.vmid} - container is running`);
      }
      return runTask(ctx, g, isQemu ? 'qmdestroy' : 'vzdestroy', destroyWork(ctx.state, g, p['destroy-unreferenced-disks'] === true));
    },
  };
}

export function configRoutes(type: GuestType): Route[] {
  const isQemu = type === 'qemu';
  const base = `/nodes/{node}/${type}/{vmid}`;
  const routes: Route[] = [
    {
      method: 'GET',
      path: `${base}/config`,
      params: { current: P.optBool, node: P.node, snapshot: { ...P.snapname, optional: true }, vmid: P.vmid },
      handler(ctx) {
        const g = requireGuest(ctx.state, type, ctx.params);
        if (ctx.params.snapshot !== undefined) {
          const snap = g.snapshots.get(String(ctx.params.snapshot));
          if (!snap) throw new SimHttpError(500, `snapshot '${ctx.params.snapshot}' does not exist`);
          return { ...snap.config, digest: ctx.state.guestConfig(g).digest };
        }
        const cfg = ctx.state.guestConfig(g);
        return ctx.params.current === true ? cfg : withPending(g, cfg);
      },
    },
    {
      method: 'PUT',
      path: `${base}/config`,
      params: isQemu ? QEMU_PUT_PARAMS : LXC_PUT_PARAMS,
      handler(ctx) {
        const g = requireGuest(ctx.state, type, ctx.params);
        updateConfig(ctx.state, g, ctx.params);
        return null;
      },
    },
    {
      method: 'GET',
      path: `${base}/pending`,
      params: GUEST_PARAMS,
      handler(ctx) {
        const g = requireGuest(ctx.state, type, ctx.params);
        const cfg = ctx.state.guestConfig(g);
        delete cfg.digest;
        return pendingList(g, cfg);
      },
    },
    destroyRoute(type),
  ];
  if (isQemu) {
    routes.push({
      method: 'POST',
      path: `${base}/config`,
      params: QEMU_POST_PARAMS,
      handler(ctx) {
        const g = requireGuest(ctx.state, type, ctx.params);
        // the update runs in the worker: a stale digest or a lock fails the task
        return runTask(ctx, g, 'qmconfig', { begin: () => updateConfig(ctx.state, g, ctx.params), finish() {} });
      },
    });
  }
  return routes;
}
