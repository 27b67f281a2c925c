// The worker-task routes: a task's status, its log (paged, with a total) and
// stopping it, found by UPID on the node that runs it.

import { SimHttpError } from './guest-ops';
import { P } from './params';
import { requireNode, type Route, type RouteContext } from './route-kit';
import type { SimTask } from './tasks';

/** What every task listing says of a task, as in its UPID. */
export function taskFields(t: SimTask): Record<string, unknown> {
  return { upid: t.upid, node: t.node, pid: t.pid, pstart: t.pstart, starttime: t.starttime, type: t.type, id: t.id, user: t.user };
}

function findTask(ctx: RouteContext) {
  requireNode(ctx.state, String(ctx.params.node));
  const upid = String(ctx.params.upid);
  const task = ctx.tasks.tasks.get(upid);
  if (!task || task.node !== ctx.params.node) {
    if (!/^UPID:[^:]+:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:[^:]+:[^:]*:[^:]+:$/.test(upid)) throw new SimHttpError(500, 'unable to parse worker upid');
    throw new SimHttpError(500, 'no such task');
  }
  return task;
}

export const TASK_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/tasks/{upid}',
    params: { node: P.node, upid: P.upid },
    handler(ctx) {
      findTask(ctx);
      return [{ name: 'log' }, { name: 'status' }];
    },
  },
  {
    method: 'GET',
    path: '/nodes/{node}/tasks/{upid}/status',
    params: { node: P.node, upid: P.upid },
    handler(ctx) {
      const t = findTask(ctx);
      const out: Record<string, unknown> = { ...taskFields(t), status: t.status };
      if (t.status === 'stopped') out.exitstatus = t.exitstatus;
      return out;
    },
  },
  {
    method: 'GET',
    path: '/nodes/{node}/tasks/{upid}/log',
    params: {
      download: P.optBool,
      limit: { type: 'integer', minimum: 0, optional: true },
      node: P.node,
      start: { type: 'integer', minimum: 0, optional: true },
      upid: P.upid,
    },
    handler(ctx) {
      const t = findTask(ctx);
      const lines = [`task started by ${t.user}`, ...t.log];
      const start = Number(ctx.params.start ?? 0);
      const limit = Number(ctx.params.limit ?? 50);
      ctx.extra.total = lines.length;
      return lines.slice(start, start + limit).map((text, i) => ({ n: start + i + 1, t: text }));
    },
  },
  {
    method: 'DELETE',
    path: '/nodes/{node}/tasks/{upid}',
    params: { node: P.node, upid: P.upid },
    handler(ctx) {
      const t = findTask(ctx);
      ctx.tasks.stop(t.upid);
      return null;
    },
  },
];
