// What every route module shares: the route shape, the common path parameters,
// finding the node and guest a path names the way PVE answers when they are not
// there, and starting a worker task for a guest.

import type { AuthService, Identity } from './auth';
import { SimHttpError } from './guest-ops';
import { P, type ParamSpecs, type Params } from './params';
import type { ClusterState, GuestType, SimGuest, SimNode } from './state';
import type { TaskManager, TaskWork } from './tasks';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteContext {
  params: Params;
  state: ClusterState;
  tasks: TaskManager;
  auth: AuthService;
  identity: Identity | null;
  /** extra envelope fields next to `data` (e.g. `total`) */
  extra: Record<string, unknown>;
}

export interface Route {
  method: Method;
  /** path below /api2/json, exactly as in the schema */
  path: string;
  params: ParamSpecs;
  /** served without authentication (login) */
  public?: true;
  handler(ctx: RouteContext): unknown;
}

export const GUEST_PARAMS = { node: P.node, vmid: P.vmid } as const;
export const SNAP_PARAMS = { ...GUEST_PARAMS, snapname: P.snapname } as const;

export function requireNode(state: ClusterState, name: string): SimNode {
  const node = state.node(name);
  if (!node) throw new SimHttpError(500, `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`);
  return node;
}

export function requireGuest(state: ClusterState, type: GuestType, p: Params): SimGuest {
  const node = String(p.node);
  requireNode(state, node);
  const g = state.guest(Number(p.vmid));
  if (!g || g.type !== type || g.node !== node) {
    const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
    throw new SimHttpError(500, `Configuration file 'nodes/${node}/${dir}/${p.vmid}.conf' does not exist`);
  }
  return g;
}

export function taskUser(ctx: RouteContext): string {
  const id = ctx.identity;
  if (!id) return 'root@pam';
  return id.tokenid ? `${id.user}!${id.tokenid}` : id.user;
}

export function runTask(ctx: RouteContext, g: SimGuest, type: string, work: TaskWork): string {
  return ctx.tasks.start(g.node, type, String(g.vmid), taskUser(ctx), work).upid;
}
