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
const INTERFACE_FIELDS = ['bridge_ports', 'bridge_vlan_aware', 'cidr', 'gateway', 'comments', 'mtu', 'autostart', 'slaves', 'bond_mode', 'bond-primary', 'bond_xmit_hash_policy', 'vlan-id', 'vlan-raw-device'] as const;
const PORT_LISTS = ['bridge_ports', 'ovs_ports', 'slaves', 'ovs_bonds'] as const;
const portsOf = (i: Partial<Record<(typeof PORT_LISTS)[number], unknown>>) => PORT_LISTS.flatMap((k) => String(i[k] ?? '').split(/[\s,;]+/).filter(Boolean));

/** PVE::API2::Network's check_duplicate_ports: a port already in another bond or bridge is refused, named after the first port list given. */
function refuseUsedPorts(iface: string, p: Params, existing: SimInterface[]): void {
  const key = PORT_LISTS.find((k) => p[k]);
  const wanted = new Set(portsOf(p as Record<string, unknown>));
  if (!key || !wanted.size) return;
  for (const other of existing) {
    if (other.iface === iface) continue;
    const used = portsOf(other as unknown as Record<string, unknown>).find((port) => wanted.has(port));
    if (used) throw new ParamError({ [key]: `${used} is already used on interface '${other.iface}'.` });
  }
}

/** What PVE::INotify's writer dies on when it writes the new file (an HTTP 500 with its message). */
function refuseUnwritable(i: SimInterface, existing: SimInterface[]): void {
  const byName = new Map(existing.map((x) => [x.iface, x]));
  if (i.type === 'bond') {
    const slaves = (i.slaves ?? '').split(/\s+/).filter(Boolean);
    for (const s of slaves) {
      const n = byName.get(s);
      if (!n) throw new SimHttpError(500, `bond '${i.iface}' - unable to find slave '${s}'`);
      if (n.type !== 'eth' && n.type !== 'bond') throw new SimHttpError(500, `bond '${i.iface}' - wrong interface type on slave '${s}' ('${n.type}' != 'eth or bond')`);
    }
    if (i['bond-primary'] && !slaves.includes(i['bond-primary'])) throw new SimHttpError(500, `bond '${i.iface}' - bond-primary interface is not a slave`);
  }
  if (i.type === 'bridge') {
    for (const port of (i.bridge_ports ?? '').split(/\s+/).filter(Boolean)) {
      const n = byName.get(port);
      if (!n && VLAN_NAME.test(port)) continue; // the writer makes a VLAN port it does not know
      if (!n) throw new SimHttpError(500, `bridge '${i.iface}' - unable to find bridge port '${port}'`);
      if (n.cidr) throw new SimHttpError(500, `iface ${port} - ip address can't be set on interface if bridged in ${i.iface}`);
    }
  }
}

/** The writer keeps bond-primary only on an active-backup bond and the hash policy only on balance-xor and 802.3ad: elsewhere they are not in the file. */
function dropUnwritten(i: SimInterface): void {
  if (i.bond_mode !== 'active-backup') delete i['bond-primary'];
  if (i.bond_mode !== 'balance-xor' && i.bond_mode !== '802.3ad') delete i.bond_xmit_hash_policy;
}

/** An interface from POST/PUT parameters, with PVE's checks (PVE::API2::Network and the file writer PVE::INotify). */
export function interfaceFromParams(node: string, p: Params, existing: SimInterface[], base?: SimInterface): SimInterface {
  const iface = String(p.iface);
  const type = String(p.type) as SimInterface['type'];
  const out: SimInterface = { ...(base ?? {}), node, iface, type };
  for (const key of INTERFACE_FIELDS) {
    const v = p[key];
    if (v === undefined) continue;
    (out as unknown as Record<string, unknown>)[key] = typeof v === 'boolean' ? (v ? 1 : 0) : key === 'slaves' || key === 'bridge_ports' ? String(v).split(/[\s,;]+/).filter(Boolean).join(' ') : v;
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
  if (p.gateway) {
    const other = existing.find((i) => i.iface !== iface && i.gateway);
    if (other) throw new ParamError({ gateway: `Default gateway already exists on interface '${other.iface}'.` });
  }
  refuseUsedPorts(iface, p, existing);
  refuseUnwritable(out, existing);
  dropUnwritten(out);
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
