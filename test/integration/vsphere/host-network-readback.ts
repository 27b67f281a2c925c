// A vSphere host's standard networking as vcsim itself holds it, read through an independent
// SOAP session: each host's HostNetworkSystem (configManager.networkSystem) and its
// networkInfo port groups, and the datacenters' Network objects (issue 16, standard port groups).
import { text, type RawSoap, type Ref } from './raw-soap';

type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export interface HostNet {
  host: Ref;
  name: string;
  /** the host's parent: its cluster or compute resource */
  parent: string;
  system: Ref;
}

/** Every host with its HostNetworkSystem, by moref. */
export async function hostNetworking(raw: RawSoap): Promise<HostNet[]> {
  return (await raw.objects('HostSystem', ['name', 'configManager.networkSystem', 'parent']))
    .map((h) => ({ host: h.ref, name: text(h.props.name), parent: text(h.props.parent), system: { type: 'HostNetworkSystem', value: text(h.props['configManager.networkSystem']) } }))
    .sort((a, b) => a.host.value.localeCompare(b.host.value, undefined, { numeric: true }));
}

/** A host's port groups as its HostNetworkSystem has them: name → [vlanId, vswitchName]. */
export async function portgroups(raw: RawSoap, system: Ref): Promise<Record<string, [string, string]>> {
  const spec = `<specSet><propSet><type>HostNetworkSystem</type><pathSet>networkInfo</pathSet></propSet><objectSet><obj type="HostNetworkSystem">${system.value}</obj></objectSet></specSet><options></options>`;
  const res = await raw.call('RetrievePropertiesEx', (await raw.serviceContent()).propertyCollector, spec);
  const info = (((res.returnval as Node).objects as Node).propSet as Node).val as Node;
  return Object.fromEntries(
    list(info.portgroup as Node | Node[] | undefined).map((p) => {
      const s = p.spec as Node;
      return [text(s.name), [text(s.vlanId), text(s.vswitchName)]];
    }),
  );
}

/** The (standard) Network of that name, as the server has it. */
export async function networkNamed(raw: RawSoap, name: string): Promise<{ ref: Ref } | undefined> {
  return (await raw.objects('Network', ['name'])).find((n) => n.ref.type === 'Network' && text(n.props.name) === name);
}
