// The guest agent answers RDP and SSH need (issue 18): `GET …/qemu/{vmid}/agent/get-osinfo`
// and `…/agent/network-get-interfaces`, shaped as PVE 9 returns them (recorded answers:
// `{result: …}`). What a guest's agent reports is set by the test, as the guest would
// (`guestAgents(state).set(vmid, …)`); without it PVE says the agent is not running.

import { SimHttpError } from './guest-ops';
import { P } from './params';
import type { Route, RouteContext } from './routes';
import type { ClusterState } from './state';

export interface GuestAgentReport {
  /** get-osinfo's result: id, name, pretty-name, version, … */
  osinfo: Record<string, string>;
  /** network-get-interfaces' result */
  interfaces: Array<{ name: string; 'hardware-address': string; 'ip-addresses': Array<{ 'ip-address': string; 'ip-address-type': 'ipv4' | 'ipv6'; prefix: number }> }>;
}

const agents = new WeakMap<ClusterState, Map<number, GuestAgentReport>>();

/** The agents running in the cluster's VMs, by vmid. */
export function guestAgents(state: ClusterState): Map<number, GuestAgentReport> {
  let m = agents.get(state);
  if (!m) agents.set(state, (m = new Map()));
  return m;
}

function report(ctx: RouteContext): GuestAgentReport {
  const node = String(ctx.params.node);
  const vmid = Number(ctx.params.vmid);
  const g = ctx.state.guest(vmid);
  if (!g || g.type !== 'qemu' || g.node !== node) throw new SimHttpError(500, `Configuration file 'nodes/${node}/qemu-server/${vmid}.conf' does not exist`);
  if (g.status !== 'running') throw new SimHttpError(500, `VM ${vmid} is not running`);
  const answer = guestAgents(ctx.state).get(vmid);
  if (!answer) throw new SimHttpError(500, 'QEMU guest agent is not running');
  return answer;
}

export const AGENT_ROUTES: Route[] = [
  { method: 'GET', path: '/nodes/{node}/qemu/{vmid}/agent/get-osinfo', params: { node: P.node, vmid: P.vmid }, handler: (ctx) => ({ result: report(ctx).osinfo }) },
  { method: 'GET', path: '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', params: { node: P.node, vmid: P.vmid }, handler: (ctx) => ({ result: report(ctx).interfaces }) },
];
