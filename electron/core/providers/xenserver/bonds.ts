// XAPI bonds (issue 16), as XenCenter's New Network → Bonded Network makes them in a
// pool: one network, then one Bond.create per host with that host's PIFs of the chosen
// devices (the first member's MAC, the chosen mode, no properties). Deleting a bonded
// network destroys each host's bond first, then the network. The server's refusals
// (PIF_ALREADY_BONDED, PIF_IS_VLAN …) are passed on as they come.

import { PolyvisorError } from '../../../../shared/errors';
import type { NetworkChoice, NetworkDraft } from '../../../../shared/networks';
import { bool, isRef, map, num, refs, str, type XapiCache, type XapiRecord } from './records';
import type { XapiSession } from './session';

const MIN_MEMBERS = 2;
const MAX_MEMBERS = 4;

function bondable(pif: XapiRecord): boolean {
  return bool(pif.physical) && !isRef(pif.bond_slave_of) && (num(pif.VLAN) ?? -1) < 0 && str(pif.device) !== '';
}

/** The NICs a bond may join: physical, not yet bonded, untagged — by device across the pool. */
export function bondDevices(cache: XapiCache): NetworkChoice[] {
  const devices = new Set<string>();
  for (const pif of cache.pif.values()) if (bondable(pif)) devices.add(str(pif.device));
  return [...devices].sort().map((device) => ({ value: device, label: device }));
}

/** Each host's PIFs of the chosen devices, in the order given; a host lacking one is refused before anything is made. */
export function bondMembersPerHost(cache: XapiCache, draft: NetworkDraft): Map<string, string[]> {
  const devices = draft.members ?? [];
  if (devices.length < MIN_MEMBERS || devices.length > MAX_MEMBERS || new Set(devices).size !== devices.length) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'members', message: `A bond joins ${MIN_MEMBERS} to ${MAX_MEMBERS} different NICs.` });
  }
  const perHost = new Map<string, string[]>();
  for (const hostRef of cache.host.keys()) {
    const onHost = [...cache.pif].filter(([, pif]) => pif.host === hostRef && bool(pif.physical) && (num(pif.VLAN) ?? -1) < 0);
    const members = devices.map((device) => onHost.find(([, pif]) => str(pif.device) === device)?.[0]);
    const missing = devices.filter((_, i) => !members[i]);
    if (missing.length) {
      const host = str(cache.host.get(hostRef)?.name_label);
      throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'members', message: `Host ${host} has no NIC ${missing.join(', ')} to bond.` });
    }
    perHost.set(hostRef, members as string[]);
  }
  return perHost;
}

/** One Bond.create per host on the network; returns the bonds made, so a failure can take them away again. */
export async function createBonds(session: XapiSession, network: string, perHost: Map<string, string[]>, mode: string, made: string[]): Promise<void> {
  for (const members of perHost.values()) {
    made.push(await session.call<string>('Bond.create', network, members, '', mode, {}));
  }
}

/** Destroys the bonds whose master PIFs carry the network (one per host). */
export async function destroyBondsOf(session: XapiSession, pifs: string[]): Promise<void> {
  for (const pif of pifs) {
    for (const bond of await session.call<string[]>('PIF.get_bond_master_of', pif)) await session.call('Bond.destroy', bond);
  }
}

/** A bond master PIF's mode and its members' devices, for the network tab. */
export async function bondOf(session: XapiSession, pif: XapiRecord): Promise<{ mode: string; members: string[] } | undefined> {
  const [bondRef] = refs(pif.bond_master_of);
  if (!bondRef) return undefined;
  const bond = map(await session.call('Bond.get_record', bondRef));
  const members = await Promise.all(refs(bond.slaves).map((slave) => session.call<string>('PIF.get_device', slave)));
  return { mode: str(bond.mode), members: members.sort() };
}
