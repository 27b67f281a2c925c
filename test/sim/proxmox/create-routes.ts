// POST /nodes/{node}/qemu and /nodes/{node}/lxc: a new guest in a qmcreate /
// vzcreate worker (guest-create.ts), parameters exactly as the PVE schema has them.

import { LXC_CREATE_PARAMS, QEMU_CREATE_PARAMS } from './config-params';
import { createWork } from './guest-create';
import { requireNode, taskUser, type Route } from './route-kit';
import type { GuestType } from './state';

function createRoute(type: GuestType): Route {
  return {
    method: 'POST',
    path: `/nodes/{node}/${type}`,
    params: type === 'qemu' ? QEMU_CREATE_PARAMS : LXC_CREATE_PARAMS,
    handler(ctx) {
      const node = String(ctx.params.node);
      requireNode(ctx.state, node);
      const work = createWork(ctx.state, type, ctx.params);
      return ctx.tasks.start(node, type === 'qemu' ? 'qmcreate' : 'vzcreate', String(ctx.params.vmid), taskUser(ctx), work).upid;
    },
  };
}

export const CREATE_ROUTES: Route[] = [createRoute('qemu'), createRoute('lxc')];
