// GET /cluster/log: the cluster log, newest first (pve-api-schema.json: max ≥ 1).

import type { Route } from './route-kit';

export const LOG_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/cluster/log',
    params: { max: { type: 'integer', minimum: 1, optional: true } },
    handler: (ctx) => ctx.tasks.clusterLog.newest(ctx.params.max === undefined ? undefined : Number(ctx.params.max)),
  },
];
