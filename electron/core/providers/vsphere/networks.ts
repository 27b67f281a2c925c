// vSphere networks (issue 16): a network's or port group's VMs (their adapters on it, with
// the MAC and the addresses VMware Tools reports), a port group made on a distributed
// switch (AddDVPortgroup_Task with the VLAN as its default port setting) and removed
// (Destroy_Task), and a VM's adapters: added (a VMXNET 3), removed, or repointed to
// another network in one ReconfigVM_Task. A standard network is a port group of the hosts'
// vSwitches, made and removed host by host (standard-networks.ts).

import { PolyvisorError } from '../../../../shared/errors';
import { nodeId } from '../../../../shared/model';
import type { NetworkAttachment, NetworkCreateOptions, NetworkDraft, NetworkKind, NicInfo } from '../../../../shared/networks';
import type { ActionResult, TaskReporter } from '../provider';
import type { GuestTarget, ProviderNetworks } from '../provider-networks';
import { addNic, repointNic, type NetworkTarget } from './config-spec';
import { resolveNetwork } from './datacenter-resources';
import { connectState, nicsOf, readDevices, type VmNicDevice } from './devices';
import { runVmTask } from './guest-actions';
import { networkRef } from './network-refs';
import { retrieveObjects, retrieveOne } from './property-collector';
import { VsphereStandardNetworks, type StandardNetworkDeps } from './standard-networks';
import { followTask, taskRef } from './tasks';
import type { VimClient } from './vim-client';
import { child, children, el, readMoRefArray, text, type ManagedObjectReference, type Xml, type XmlNode } from './xml';

interface Deps extends StandardNetworkDeps {
  serverId: () => string;
  client: () => VimClient;
  reread: (refs: ManagedObjectReference[]) => Promise<void>;
  /** the distributed switches in the tree */
  switches: () => Array<{ ref: string; name: string }>;
  /** the VMs of the tree (a network's own `vm` list is not kept current by vcsim 0.24 after a reconfigure) */
  vms: () => ManagedObjectReference[];
  /** an object of the tree by its id, with its type */
  objectRef: (value: string) => ManagedObjectReference | undefined;
}

const vmRef = (value: string): ManagedObjectReference => ({ type: 'VirtualMachine', value });

/** An adapter is on this network: a standard network's moref, or a distributed port group's key. */
function onNetwork(nic: VmNicDevice, ref: string, portgroupKey: string | undefined): boolean {
  return nic.network?.value === ref || (portgroupKey !== undefined && nic.portgroupKey === portgroupKey);
}

/** guest.net: the addresses VMware Tools reports per adapter MAC. */
function addressesByMac(guestNet: XmlNode | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const info of guestNet ? children(guestNet, 'GuestNicInfo') : []) {
    const mac = text(child(info, 'macAddress'))?.trim().toLowerCase();
    if (!mac) continue;
    out.set(mac, children(info, 'ipAddress').map((a) => text(a)?.trim() ?? '').filter(Boolean));
  }
  return out;
}

export class VsphereNetworks implements ProviderNetworks {
  private readonly standard: VsphereStandardNetworks;

  constructor(private readonly deps: Deps) {
    this.standard = new VsphereStandardNetworks(deps);
  }

  async details(ref: string): Promise<{ interfaces: []; attached: NetworkAttachment[] }> {
    const client = this.deps.client();
    const obj = networkRef(ref);
    if (obj.type.endsWith('DistributedVirtualSwitch')) return { interfaces: [], attached: [] };
    const props = await retrieveOne(client, obj, obj.type === 'DistributedVirtualPortgroup' ? ['name', 'key'] : ['name']);
    if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has network ${ref}.` });
    const key = obj.type === 'DistributedVirtualPortgroup' ? text(props.get('key'))?.trim() || ref : undefined;
    // every VM's adapters, as the server has them now
    const vms = await retrieveObjects(client, this.deps.vms(), { VirtualMachine: ['name', 'config.template', 'config.hardware.device', 'guest.net'] });
    const attached: NetworkAttachment[] = [];
    for (const vm of vms) {
      if (text(vm.props.get('config.template')) === 'true') continue;
      const ips = addressesByMac(vm.props.get('guest.net'));
      for (const nic of nicsOf(readDevices(vm.props.get('config.hardware.device')))) {
        if (!onNetwork(nic, ref, key)) continue;
        attached.push({ guestId: nodeId(this.deps.serverId(), 'vm', vm.obj.value), guestName: text(vm.props.get('name'))?.trim() ?? vm.obj.value, device: nic.label, mac: nic.mac ?? null, ips: ips.get(nic.mac?.toLowerCase() ?? '') ?? [] });
      }
    }
    return { interfaces: [], attached: attached.sort((a, b) => a.guestName.localeCompare(b.guestName)) };
  }

  async createOptions(): Promise<NetworkCreateOptions> {
    const parents = this.deps.switches().map((s) => ({ value: s.ref, label: s.name })).sort((a, b) => a.label.localeCompare(b.label));
    const { places, vswitches } = await this.standard.options();
    const kinds: NetworkKind[] = [...(parents.length ? ['dvportgroup' as const] : []), ...(places.length && vswitches.length ? ['standard' as const] : [])];
    return { kinds, devices: [], parents, drivers: [], standardPlaces: places, vswitches };
  }

  async create(draft: NetworkDraft, task: TaskReporter): Promise<ActionResult> {
    if (draft.kind === 'standard') return this.standard.create(draft, task);
    if (draft.kind !== 'dvportgroup') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `vSphere networks here are standard or distributed port groups, not ${draft.kind}.` });
    if (!draft.parent) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'parent', message: 'A port group needs its distributed switch.' });
    const client = this.deps.client();
    const dvs = this.deps.objectRef(draft.parent);
    if (!dvs || !dvs.type.endsWith('DistributedVirtualSwitch')) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'parent', message: `${draft.parent} is not a distributed switch of this server.` });
    const vlan = draft.vlan ?? 0;
    const spec: Xml = el('spec', [
      el('name', draft.name),
      draft.description ? el('description', draft.description) : undefined,
      el('numPorts', 8),
      el('defaultPortConfig', el('vlan', [el('inherited', false), el('vlanId', vlan)], { 'xsi:type': 'VmwareDistributedVirtualSwitchVlanIdSpec' }), { 'xsi:type': 'VMwareDVSPortSetting' }),
      el('type', 'earlyBinding'),
    ]);
    const returned = await client.call('AddDVPortgroup_Task', dvs, [spec]);
    await followTask(client, taskRef(returned, 'AddDVPortgroup_Task'), task, `Add port group ${draft.name}`);
    const props = await retrieveOne(client, dvs, ['portgroup']);
    const groups = await retrieveObjects(client, readMoRefArray(props?.get('portgroup')), { DistributedVirtualPortgroup: ['name'] });
    const made = groups.find((g) => text(g.props.get('name'))?.trim() === draft.name);
    if (made) await this.deps.reread([dvs, made.obj]);
    return made ? { resultId: nodeId(this.deps.serverId(), 'network', made.obj.value) } : {};
  }

  async destroy(ref: string, task: TaskReporter): Promise<ActionResult> {
    const obj = this.deps.objectRef(ref) ?? networkRef(ref);
    if (obj.type === 'Network') return this.standard.destroy(ref, task);
    if (obj.type !== 'DistributedVirtualPortgroup') throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'Polyvisor deletes port groups; a distributed switch stays.' });
    const client = this.deps.client();
    const returned = await client.call('Destroy_Task', obj, []);
    await followTask(client, taskRef(returned, 'Destroy_Task'), task, `Delete port group ${ref}`);
    return {};
  }

  async nics(guest: GuestTarget): Promise<NicInfo[]> {
    const client = this.deps.client();
    const props = await retrieveOne(client, vmRef(guest.nativeRef), ['config.hardware.device', 'guest.net']);
    if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has VM ${guest.nativeRef}.` });
    const ips = addressesByMac(props.get('guest.net'));
    const nics = nicsOf(readDevices(props.get('config.hardware.device')));
    const groups = await retrieveObjects(client, await this.portgroupRefs(nics), { DistributedVirtualPortgroup: ['name', 'key'], Network: ['name'] });
    const byKey = new Map(groups.map((g) => [text(g.props.get('key'))?.trim() || g.obj.value, g]));
    return nics.map((nic) => {
      const network = nic.network ? groups.find((g) => g.obj.value === nic.network!.value) : nic.portgroupKey ? byKey.get(nic.portgroupKey) : undefined;
      return {
        id: String(nic.key),
        device: nic.label,
        networkId: network ? nodeId(this.deps.serverId(), 'network', network.obj.value) : null,
        networkName: network ? (text(network.props.get('name'))?.trim() ?? '') : (nic.deviceName ?? ''),
        mac: nic.mac ?? null,
        ips: ips.get(nic.mac?.toLowerCase() ?? '') ?? [],
        connected: connectState(nic).connected,
        model: nic.type,
      };
    });
  }

  /** The networks and port groups the adapters are on (a port group by key: its moref is the key on vCenter and vcsim alike). */
  private async portgroupRefs(nics: VmNicDevice[]): Promise<ManagedObjectReference[]> {
    return nics.flatMap((n) => (n.network ? [n.network] : n.portgroupKey ? [{ type: 'DistributedVirtualPortgroup', value: n.portgroupKey }] : []));
  }

  async addNic(guest: GuestTarget, networkRef: string, task: TaskReporter): Promise<ActionResult> {
    const target = await this.target(networkRef);
    await this.reconfigure(guest, [addNic(-1, target)], task, `Add a network adapter on ${target.name}`);
    return {};
  }

  async removeNic(guest: GuestTarget, nicId: string, task: TaskReporter): Promise<ActionResult> {
    const nic = await this.nicOf(guest, nicId);
    await this.reconfigure(guest, [el('deviceChange', [el('operation', 'remove'), el('device', [el('key', nic.key)], { 'xsi:type': nic.type })])], task, `Remove ${nic.label}`);
    return {};
  }

  async moveNic(guest: GuestTarget, nicId: string, networkRef: string, task: TaskReporter): Promise<ActionResult> {
    const nic = await this.nicOf(guest, nicId);
    const target = await this.target(networkRef);
    await this.reconfigure(guest, [repointNic(nic, target)], task, `Move ${nic.label} to ${target.name}`);
    return {};
  }

  private async target(ref: string): Promise<NetworkTarget> {
    const obj = networkRef(ref);
    return resolveNetwork(this.deps.client(), `${obj.type}:${obj.value}`);
  }

  private async nicOf(guest: GuestTarget, nicId: string): Promise<VmNicDevice> {
    const props = await retrieveOne(this.deps.client(), vmRef(guest.nativeRef), ['config.hardware.device']);
    const nic = nicsOf(readDevices(props?.get('config.hardware.device'))).find((n) => String(n.key) === nicId);
    if (!nic) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'nicId', message: `The VM has no network adapter ${nicId}.` });
    return nic;
  }

  private async reconfigure(guest: GuestTarget, deviceChange: Xml[], task: TaskReporter, what: string): Promise<void> {
    await runVmTask(this.deps.client(), 'ReconfigVM_Task', vmRef(guest.nativeRef), [el('spec', deviceChange)], task, what);
    await this.deps.reread([vmRef(guest.nativeRef)]);
  }
}
