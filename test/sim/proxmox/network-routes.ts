// A node's network interfaces (issue 16): GET /nodes/{node}/network lists them (the
// pending file's when there is one, `changes` beside `data`), POST makes one, PUT and
// DELETE …/network/{iface} change or remove one — all into the pending file — and PUT
// /nodes/{node}/network applies it in a `srvreload` task, DELETE reverts it. Parameters
// as the PVE API schema declares them; Sys.Modify on /nodes/{node} is checked from the schema.

import { P, type ParamSpec, type ParamSpecs } from './params';
import { requireNode, taskUser, type Route, type RouteContext } from './route-kit';
import type { SimInterface } from './state';
import {
  applyPending,
  changesText,
  configuredInterfaces,
  editPending,
  interfaceFromParams,
  refuseInUse,
  requireConfigured,
  revertPending,
  runningInterfaces,
} from './node-network';
import { ParamError } from './params';

const TYPES = ['bridge', 'bond', 'eth', 'alias', 'vlan', 'fabric', 'OVSBridge', 'OVSBond', 'OVSPort', 'OVSIntPort', 'vnet', 'unknown'] as const;
const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb', 'balance-slb', 'lacp-balance-slb', 'lacp-balance-tcp'];
const iface: ParamSpec = { type: 'string', format: 'pve-iface', maxLength: 20 };
const str = (format?: string): ParamSpec => (format ? { type: 'string', format, optional: true } : { type: 'string', optional: true });
const ifaceList = str('pve-iface-list');

/** What POST and PUT take besides node, iface and type (schema: create_network / update_network). */
const INTERFACE_PARAMS: ParamSpecs = {
  address: { ...str('ipv4'), requires: 'netmask' },
  address6: { ...str('ipv6'), requires: 'netmask6' },
  autostart: P.optBool,
  'bond-primary': str('pve-iface'),
  bond_mode: { type: 'string', enum: BOND_MODES, optional: true },
  bond_xmit_hash_policy: { type: 'string', enum: ['layer2', 'layer2+3', 'layer3+4'], optional: true },
  bridge_ports: ifaceList,
  bridge_vids: str('pve-vlan-id-or-range-list'),
  bridge_vlan_aware: P.optBool,
  cidr: str('CIDRv4'),
  cidr6: str('CIDRv6'),
  comments: str(),
  comments6: str(),
  gateway: str('ipv4'),
  gateway6: str('ipv6'),
  mtu: { type: 'integer', minimum: 1280, maximum: 65520, optional: true },
  netmask: { ...str('ipv4mask'), requires: 'address' },
  netmask6: { type: 'integer', minimum: 0, maximum: 128, optional: true, requires: 'address6' },
  node: P.node,
  ovs_bonds: ifaceList,
  ovs_bridge: str('pve-iface'),
  ovs_options: { type: 'string', maxLength: 1024, optional: true },
  ovs_ports: ifaceList,
  ovs_tag: { type: 'integer', minimum: 1, maximum: 4094, optional: true },
  slaves: ifaceList,
  type: { type: 'string', enum: TYPES },
  'vlan-id': { type: 'integer', minimum: 1, maximum: 4094, optional: true },
  'vlan-raw-device': str('pve-iface'),
  iface,
};

/** An interface as GET lists it: `active` only where it runs now (a pending new one does not). */
function listed(ctx: RouteContext, node: string, i: SimInterface): Record<string, unknown> {
  const { node: _node, ...fields } = i;
  const running = runningInterfaces(ctx.state, node).some((r) => r.iface === i.iface);
  return {
    ...fields,
    ...(running ? { active: 1 } : {}),
    autostart: i.autostart ?? 1,
    families: ['inet'],
    method: i.cidr ? 'static' : 'manual',
    method6: 'manual',
    priority: i.type === 'bridge' ? 5 : 3,
    ...(i.type === 'bridge' ? { bridge_fd: '0', bridge_stp: 'off' } : i.type === 'eth' ? { exists: 1 } : {}),
  };
}

function nodeOf(ctx: RouteContext): string {
  const node = String(ctx.params.node);
  requireNode(ctx.state, node);
  return node;
}

export const NETWORK_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/network',
    params: {
      node: P.node,
      type: {
        type: 'string',
        enum: ['bridge', 'bond', 'eth', 'alias', 'vlan', 'fabric', 'OVSBridge', 'OVSBond', 'OVSPort', 'OVSIntPort', 'vnet', 'any_bridge', 'any_local_bridge', 'include_sdn'],
        optional: true,
      },
    },
    handler(ctx) {
      const node = nodeOf(ctx);
      const want = ctx.params.type;
      const bridges = want === 'any_bridge' || want === 'any_local_bridge';
      const changes = changesText(ctx.state, node);
      if (changes) ctx.extra.changes = changes;
      return configuredInterfaces(ctx.state, node)
        .filter((i) => want === undefined || want === 'include_sdn' || i.type === want || (bridges && (i.type === 'bridge' || i.type === 'OVSBridge')))
        .map((i) => listed(ctx, node, i));
    },
  },
  {
    method: 'POST',
    path: '/nodes/{node}/network',
    params: INTERFACE_PARAMS,
    handler(ctx) {
      const node = nodeOf(ctx);
      const existing = configuredInterfaces(ctx.state, node);
      if (existing.some((i) => i.iface === ctx.params.iface)) throw new ParamError({ iface: 'interface already exists' });
      const made = interfaceFromParams(node, ctx.params, existing);
      editPending(ctx.state, node, (ifaces) => [...ifaces, made]);
      return null;
    },
  },
  {
    method: 'PUT',
    path: '/nodes/{node}/network/{iface}',
    params: { ...INTERFACE_PARAMS, delete: str('pve-configid-list') },
    handler(ctx) {
      const node = nodeOf(ctx);
      const old = requireConfigured(ctx.state, node, String(ctx.params.iface));
      if (old.type !== ctx.params.type) throw new ParamError({ type: `interface type '${ctx.params.type}' does not match '${old.type}'` });
      const existing = configuredInterfaces(ctx.state, node);
      const changed = interfaceFromParams(node, ctx.params, existing, old);
      for (const key of String(ctx.params.delete ?? '').split(/[,;\s]+/).filter(Boolean)) delete (changed as unknown as Record<string, unknown>)[key];
      editPending(ctx.state, node, (ifaces) => ifaces.map((i) => (i.iface === old.iface ? changed : i)));
      return null;
    },
  },
  {
    method: 'DELETE',
    path: '/nodes/{node}/network/{iface}',
    params: { node: P.node, iface },
    handler(ctx) {
      const node = nodeOf(ctx);
      const name = String(ctx.params.iface);
      requireConfigured(ctx.state, node, name);
      refuseInUse(ctx.state, node, name);
      editPending(ctx.state, node, (ifaces) => ifaces.filter((i) => i.iface !== name));
      return null;
    },
  },
  {
    method: 'PUT',
    path: '/nodes/{node}/network',
    params: { node: P.node, 'regenerate-frr': P.optBool },
    handler(ctx) {
      const node = nodeOf(ctx);
      // the new file is in place at once; the worker runs ifreload -a
      applyPending(ctx.state, node);
      return ctx.tasks.start(node, 'srvreload', 'networking', taskUser(ctx), { begin() {}, finish() {}, lines: ['ifreload -a'] }).upid;
    },
  },
  {
    method: 'DELETE',
    path: '/nodes/{node}/network',
    params: { node: P.node },
    handler(ctx) {
      revertPending(ctx.state, nodeOf(ctx));
      return null;
    },
  },
];
