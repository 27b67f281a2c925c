// A node's network configuration as PVE keeps it: /etc/network/interfaces (what runs,
// `state.interfaces`) and, once something was changed through the API, the whole new
// file /etc/network/interfaces.new (pending). Reads show the pending file when there is
// one, with `active` only on interfaces that run now and the difference in `changes`;
// "Apply Configuration" (PUT /nodes/{node}/network) makes it the running one, "Revert"
// (DELETE) drops it.

import { SimHttpError } from './guest-ops';
import { ParamError, type Params } from './params';
import type { ClusterState, SimInterface } from './state';

const pendingFiles = new WeakMap<ClusterState, Map<string, SimInterface[]>>();

function pendingOf(state: ClusterState): Map<string, SimInterface[]> {
  let m = pendingFiles.get(state);
  if (!m) pendingFiles.set(state, (m = new Map()));
  return m;
}

export const runningInterfaces = (state: ClusterState, node: string) => state.interfaces.filter((i) => i.node === node);

/** The configuration a read shows: the pending file if any, else the running one. */
export function configuredInterfaces(state: ClusterState, node: string): SimInterface[] {
  return pendingOf(state).get(node) ?? runningInterfaces(state, node);
}

export const hasPendingNetwork = (state: ClusterState, node: string) => pendingOf(state).has(node);

/** Starts (or continues) the pending file and changes it. */
export function editPending(state: ClusterState, node: string, change: (ifaces: SimInterface[]) => SimInterface[]): void {
  const current = configuredInterfaces(state, node).map((i) => ({ ...i }));
  pendingOf(state).set(node, change(current));
}

/** PUT /nodes/{node}/network: the pending file becomes /etc/network/interfaces. */
export function applyPending(state: ClusterState, node: string): void {
  const pending = pendingOf(state).get(node);
  if (!pending) return;
  const others = state.interfaces.filter((i) => i.node !== node);
  state.interfaces.splice(0, state.interfaces.length, ...others, ...pending);
  pendingOf(state).delete(node);
}

/** DELETE /nodes/{node}/network: interfaces.new is removed. */
export function revertPending(state: ClusterState, node: string): void {
  pendingOf(state).delete(node);
}

/** What the GUI shows as "Pending changes": lines of the running file gone (-) and new (+). */
export function changesText(state: ClusterState, node: string): string | undefined {
  const pending = pendingOf(state).get(node);
  if (!pending) return undefined;
  const stanza = (i: SimInterface) => {
    const { node: _n, iface, type: _t, ...rest } = i;
    return [`iface ${iface}`, ...Object.entries(rest).map(([k, v]) => `\t${k.replace(/_/g, '-')} ${v}`)].join('\n');
  };
  const before = new Set(runningInterfaces(state, node).map(stanza));
  const after = new Set(pending.map(stanza));
  const lines = [...[...before].filter((s) => !after.has(s)).map((s) => `-${s}`), ...[...after].filter((s) => !before.has(s)).map((s) => `+${s}`)];
  return lines.length ? `--- /etc/network/interfaces\n+++ /etc/network/interfaces.new\n${lines.join('\n')}\n` : undefined;
}

const VLAN_NAME = /^(\S+)\.(\d+)$/;
const INTERFACE_FIELDS = ['bridge_ports', 'bridge_vlan_aware', 'cidr', 'gateway', 'comments', 'mtu', 'autostart', 'slaves', 'bond_mode', 'vlan-id', 'vlan-raw-device'] as const;

/** An interface from POST/PUT parameters, with PVE's checks (PVE::API2::Network). */
export function interfaceFromParams(node: string, p: Params, existing: SimInterface[]): SimInterface {
  const iface = String(p.iface);
  const type = String(p.type) as SimInterface['type'];
  const out: SimInterface = { node, iface, type };
  for (const key of INTERFACE_FIELDS) {
    const v = p[key];
    if (v === undefined) continue;
    (out as unknown as Record<string, unknown>)[key] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  const names = new Set(existing.map((i) => i.iface));
  if (type === 'vlan') {
    const m = VLAN_NAME.exec(iface);
    if (m) {
      if (p['vlan-raw-device'] !== undefined || p['vlan-id'] !== undefined) throw new ParamError({ iface: `'vlan-raw-device' and 'vlan-id' are not allowed with interface name '${iface}'` });
      if (!names.has(m[1])) throw new ParamError({ iface: `vlan-raw-device ${m[1]} does not exist` });
    } else {
      if (p['vlan-raw-device'] === undefined) throw new ParamError({ 'vlan-raw-device': `vlan-raw-device is required for ${iface}` });
      if (p['vlan-id'] === undefined) throw new ParamError({ 'vlan-id': `vlan-id is required for ${iface}` });
      if (!names.has(String(p['vlan-raw-device']))) throw new ParamError({ 'vlan-raw-device': `vlan-raw-device ${p['vlan-raw-device']} does not exist` });
    }
  }
  for (const port of String(p.bridge_ports ?? p.slaves ?? '').split(/[\s,;]+/).filter(Boolean)) {
    if (!names.has(port) && !VLAN_NAME.test(port)) throw new ParamError({ [type === 'bond' ? 'slaves' : 'bridge_ports']: `unable to find ${type === 'bond' ? 'bond slave' : 'bridge port'} '${port}'` });
  }
  return out;
}

/** The tag of a VLAN interface, from its name or its vlan-id. */
export function vlanTagOf(i: SimInterface): number | undefined {
  if (i.type !== 'vlan') return undefined;
  return i['vlan-id'] ?? Number(VLAN_NAME.exec(i.iface)?.[2]);
}

export function requireConfigured(state: ClusterState, node: string, iface: string): SimInterface {
  const found = configuredInterfaces(state, node).find((i) => i.iface === iface);
  if (!found) throw new ParamError({ iface: 'interface does not exist' });
  return found;
}

export function refuseInUse(state: ClusterState, node: string, iface: string): void {
  const user = configuredInterfaces(state, node).find((i) => `${i.bridge_ports ?? ''} ${i.slaves ?? ''}`.split(/[\s,;]+/).includes(iface) || i['vlan-raw-device'] === iface);
  if (user) throw new SimHttpError(500, `interface '${iface}' is used by '${user.iface}'`);
}
