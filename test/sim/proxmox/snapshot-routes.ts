// The snapshot routes of a guest type: list, take, read, describe (PUT …/config),
// roll back, delete. Each write runs as a worker task, except the description
// change, which PVE applies at once under the guest's config lock.

import { setSnapshotDescription, SimHttpError, snapshotCreateWork, snapshotDeleteWork, snapshotRollbackWork, taskPrefix } from './guest-ops';
import { P } from './params';
import { GUEST_PARAMS, requireGuest, runTask, SNAP_PARAMS, type Route, type RouteContext } from './route-kit';
import type { GuestType, SimGuest } from './state';

function snapshotList(g: SimGuest): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [...g.snapshots.values()]
    .sort((a, b) => a.snaptime - b.snaptime)
    .map((s) => ({
      name: s.name,
      description: s.description,
      snaptime: s.snaptime,
      ...(s.parent ? { parent: s.parent } : {}),
      ...(s.vmstate && g.type === 'qemu' ? { vmstate: 1 } : {}),
    }));
  const current: Record<string, unknown> = {
    name: 'current',
    description: 'You are here!',
    digest: '',
    running: g.status === 'running' ? 1 : 0,
  };
  if (g.parent) current.parent = g.parent;
  list.push(current);
  return list;
}

export function snapshotRoutes(type: GuestType): Route[] {
  const base = `/nodes/{node}/${type}/{vmid}`;
  const isQemu = type === 'qemu';
  const guest = (ctx: RouteContext) => requireGuest(ctx.state, type, ctx.params);
  return [
    {
      method: 'GET',
      path: `${base}/snapshot`,
      params: GUEST_PARAMS,
      handler(ctx) {
        const g = guest(ctx);
        const list = snapshotList(g);
        list[list.length - 1].digest = ctx.state.guestConfig(g).digest;
        return list;
      },
    },
    {
      method: 'POST',
      path: `${base}/snapshot`,
      params: isQemu
        ? { description: P.optString, node: P.node, snapname: P.snapname, vmid: P.vmid, vmstate: P.optBool }
        : { description: P.optString, node: P.node, snapname: P.snapname, vmid: P.vmid },
      handler(ctx) {
        const g = guest(ctx);
        const p = ctx.params;
        const work = snapshotCreateWork(ctx.state, g, String(p.snapname), String(p.description ?? ''), p.vmstate === true);
        return runTask(ctx, g, `${taskPrefix(g)}snapshot`, work);
      },
    },
    {
      method: 'GET',
      path: `${base}/snapshot/{snapname}`,
      params: SNAP_PARAMS,
      handler(ctx) {
        const g = guest(ctx);
        if (!g.snapshots.has(String(ctx.params.snapname))) throw new SimHttpError(500, `snapshot '${ctx.params.snapname}' does not exist`);
        return [{ cmd: 'rollback' }, { cmd: 'config' }];
      },
    },
    {
      method: 'GET',
      path: `${base}/snapshot/{snapname}/config`,
      params: SNAP_PARAMS,
      handler(ctx) {
        const g = guest(ctx);
        const snap = g.snapshots.get(String(ctx.params.snapname));
        if (!snap) throw new SimHttpError(500, `snapshot '${ctx.params.snapname}' does not exist`);
        return { ...snap.config };
      },
    },
    {
      method: 'PUT',
      path: `${base}/snapshot/{snapname}/config`,
      params: { ...SNAP_PARAMS, description: P.optString },
      handler(ctx) {
        const g = guest(ctx);
        // PVE returns before any check when there is nothing to change
        if (ctx.params.description === undefined) return null;
        setSnapshotDescription(g, String(ctx.params.snapname), String(ctx.params.description));
        return null;
      },
    },
    {
      method: 'POST',
      path: `${base}/snapshot/{snapname}/rollback`,
      params: { ...SNAP_PARAMS, start: P.optBool },
      handler(ctx) {
        const g = guest(ctx);
        const work = snapshotRollbackWork(ctx.state, g, String(ctx.params.snapname), ctx.params.start === true);
        return runTask(ctx, g, `${taskPrefix(g)}rollback`, work);
      },
    },
    {
      method: 'DELETE',
      path: `${base}/snapshot/{snapname}`,
      params: { ...SNAP_PARAMS, force: P.optBool },
      handler(ctx) {
        const g = guest(ctx);
        return runTask(ctx, g, `${taskPrefix(g)}delsnapshot`, snapshotDeleteWork(g, String(ctx.params.snapname)));
      },
    },
  ];
}
