// XAPI networks (issue 16): a network's tab (its PIFs per host, the VMs whose VIFs are
// on it), making a VLAN or a private network and deleting one, and a VM's VIFs — as
// XenCenter does it: a new external network is network.create then
// pool.create_VLAN_from_PIF on the master's NIC (a VLAN PIF on every host with that
// device); deleting one destroys its VLANs first, then the network; a new VIF is
// VIF.create at the lowest free device, plugged at once while the VM runs; a VIF is
// unplugged before VIF.destroy; VIF.move changes a VIF's network, live when plugged.

import { PolyvisorError } from '../../../../shared/errors';
import type { NetworkAttachment, NetworkCreateOptions, NetworkDraft, NetworkInterface, NicInfo, NetworkDetails } from '../../../../shared/networks';
import type { ActionResult, TaskReporter } from '../provider';
import type { GuestTarget, ProviderNetworks } from '../provider-networks';
import type { ActionContext } from './actions';
import { vmKind } from './mapping';
import { bool, isRef, map, num, refs, str, type XapiRecord } from './records';
import { XapiInt } from './transport';
import { isXapiFailure } from './errors';
import { bondDevices, bondMembersPerHost, bondOf, createBonds, destroyBondsOf } from './bonds';

export class XapiNetworks implements ProviderNetworks {
  constructor(
    private readonly ctx: ActionContext,
    private readonly log?: (level: 'warn', message: string) => void,
  ) {}

  private get cache() {
    return this.ctx.tracker.cache;
  }

  private id(kind: 'host' | 'network' | 'vm' | 'template' | 'snapshot', ref: string): string {
    return this.ctx.tracker.mapper.id(kind, ref);
  }

  async details(networkRef: string): Promise<Omit<NetworkDetails, 'nodeId'>> {
    const session = this.ctx.session();
    const network = map(await session.call('network.get_record', networkRef));
    const interfaces = await Promise.all(refs(network.PIFs).map((ref) => this.interfaceOf(ref)));
    const vifs = await Promise.all(refs(network.VIFs).map(async (ref) => map(await session.call('VIF.get_record', ref))));
    const attached: NetworkAttachment[] = [];
    for (const vif of vifs) {
      const vm = this.cache.vm.get(str(vif.VM));
      // the VMs on it, as XenCenter lists them: not the control domain, templates or snapshots
      if (!vm || bool(vm.is_control_domain) || vmKind(vm) !== 'vm') continue;
      attached.push({ guestId: this.id(vmKind(vm), str(vif.VM)), guestName: str(vm.name_label), device: str(vif.device), mac: str(vif.MAC) || null, ips: this.ipsOf(vm, str(vif.device)) });
    }
    interfaces.sort((a, b) => a.hostName.localeCompare(b.hostName) || a.device.localeCompare(b.device));
    attached.sort((a, b) => a.guestName.localeCompare(b.guestName) || a.device.localeCompare(b.device));
    return { interfaces, attached };
  }

  private async interfaceOf(ref: string): Promise<NetworkInterface> {
    const session = this.ctx.session();
    const pif = map(await session.call('PIF.get_record', ref));
    // XenCenter's link state: the PIF's metrics carrier, unknown without metrics
    const metrics = isRef(pif.metrics) ? await this.metricsOf(str(pif.metrics)) : undefined;
    const hostRef = str(pif.host);
    const host = this.cache.host.get(hostRef);
    const vlan = num(pif.VLAN) ?? -1;
    return {
      ref,
      hostId: host ? this.id('host', hostRef) : null,
      hostName: host ? str(host.name_label) : '',
      device: str(pif.device),
      mac: str(pif.MAC) || null,
      vlan: vlan >= 0 ? vlan : null,
      connected: metrics ? bool(metrics.carrier) : null,
      ip: str(pif.IP) || null,
      kind: vlan >= 0 ? 'vlan' : refs(pif.bond_master_of).length ? 'bond' : bool(pif.physical) ? 'physical' : 'virtual',
      ...(refs(pif.bond_master_of).length ? { bond: await bondOf(session, pif) } : {}),
    };
  }

  private async metricsOf(ref: string): Promise<XapiRecord | undefined> {
    try {
      return map(await this.ctx.session().call('PIF_metrics.get_record', ref));
    } catch (e) {
      // a pool database may name metrics that are gone (state1.xml does): the link is then unknown, as in XenCenter
      if (isXapiFailure(e, 'HANDLE_INVALID')) return undefined;
      throw e;
    }
  }

  /** What the guest agent reports for a VIF: "<device>/ip", "<device>/ipv4/<n>", "<device>/ipv6/<n>". */
  private ipsOf(vm: XapiRecord, device: string): string[] {
    const metrics = isRef(vm.guest_metrics) ? this.cache.vm_guest_metrics.get(vm.guest_metrics) : undefined;
    const networks = map(metrics?.networks);
    return Object.keys(networks)
      .filter((k) => k === `${device}/ip` || k.startsWith(`${device}/ipv4/`) || k.startsWith(`${device}/ipv6/`))
      .sort()
      .map((k) => str(networks[k]))
      .filter((ip, i, all) => ip !== '' && all.indexOf(ip) === i);
  }

  async createOptions(): Promise<NetworkCreateOptions> {
    // a VLAN goes on a NIC or bond (not on a VLAN, not on a bond's member), by device name across the pool
    const hostsOf = new Map<string, Set<string>>();
    for (const pif of this.cache.pif.values()) {
      if ((num(pif.VLAN) ?? -1) >= 0 || isRef(pif.bond_slave_of)) continue;
      const device = str(pif.device);
      if (!device) continue;
      hostsOf.set(device, (hostsOf.get(device) ?? new Set()).add(str(pif.host)));
    }
    const devices = [...hostsOf.keys()].sort().map((device) => ({ value: device, label: device }));
    return { kinds: ['vlan', 'internal', 'bond'], devices, parents: [], drivers: [], bondDevices: bondDevices(this.cache) };
  }

  async create(draft: NetworkDraft, task: TaskReporter): Promise<ActionResult> {
    if (draft.kind !== 'vlan' && draft.kind !== 'internal' && draft.kind !== 'bond') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `XenServer makes VLANs, bonds and private networks, not ${draft.kind}.` });
    const pif = draft.kind === 'vlan' ? this.masterPifOf(draft) : undefined;
    const bondMembers = draft.kind === 'bond' ? bondMembersPerHost(this.cache, draft) : undefined;
    const session = this.ctx.session();
    const network = await session.call<string>('network.create', {
      name_label: draft.name,
      name_description: draft.description ?? '',
      MTU: new XapiInt(draft.mtu ?? 1500),
      other_config: {},
      tags: [],
    });
    task.progress(0.4);
    const bonds: string[] = [];
    try {
      if (pif) await session.call('pool.create_VLAN_from_PIF', pif, network, new XapiInt(draft.vlan!));
      if (bondMembers) await createBonds(session, network, bondMembers, draft.mode ?? 'balance-slb', bonds);
    } catch (e) {
      // the network alone is of no use: take it (and the bonds made on other hosts) away again, and report the server's refusal
      for (const bond of bonds) await session.call('Bond.destroy', bond).catch((cleanup: unknown) => this.log?.('warn', `Removing a bond after a failed bonded network failed: ${String(cleanup)}`));
      await session.call('network.destroy', network).catch((cleanup: unknown) => this.log?.('warn', `Removing the unused network after a failed ${draft.kind} failed: ${String(cleanup)}`));
      throw e;
    }
    task.progress(1);
    return { resultId: this.id('network', network) };
  }

  /** The master's PIF on the chosen device (or any host's where the master has none). */
  private masterPifOf(draft: NetworkDraft): string {
    if (draft.vlan === undefined) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'vlan', message: 'A VLAN needs its tag (0–4094).' });
    if (!draft.device) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'device', message: 'A VLAN needs the NIC it goes on.' });
    const poolRef = this.ctx.tracker.mapper.poolRef();
    const master = poolRef ? str(this.cache.pool.get(poolRef)?.master) : '';
    const candidates = [...this.cache.pif].filter(([, pif]) => str(pif.device) === draft.device && (num(pif.VLAN) ?? -1) < 0 && !isRef(pif.bond_slave_of));
    const chosen = candidates.find(([, pif]) => pif.host === master) ?? candidates[0];
    if (!chosen) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'device', message: `No host has a NIC ${draft.device} to put a VLAN on.` });
    return chosen[0];
  }

  async destroy(networkRef: string, task: TaskReporter): Promise<ActionResult> {
    const session = this.ctx.session();
    const pifs = await session.call<string[]>('network.get_PIFs', networkRef);
    // XenCenter: a bonded network's bonds go first (each takes its master PIF with it)
    await destroyBondsOf(session, pifs);
    for (const [i, ref] of (await session.call<string[]>('network.get_PIFs', networkRef)).entries()) {
      const vlan = await session.call<string>('PIF.get_VLAN_master_of', ref);
      if (isRef(vlan)) await session.call('VLAN.destroy', vlan);
      task.progress((i + 1) / (pifs.length + 1));
    }
    // a physical NIC or bond on it, or a VM's VIF, and xapi refuses here with its own code
    await session.call('network.destroy', networkRef);
    task.progress(1);
    return {};
  }

  async nics(guest: GuestTarget): Promise<NicInfo[]> {
    const session = this.ctx.session();
    const vm = this.cache.vm.get(guest.nativeRef);
    const vifs = await Promise.all((await session.call<string[]>('VM.get_VIFs', guest.nativeRef)).map(async (ref) => ({ ref, vif: map(await session.call('VIF.get_record', ref)) })));
    vifs.sort((a, b) => Number(str(a.vif.device)) - Number(str(b.vif.device)));
    return vifs.map(({ ref, vif }) => {
      const networkRef = str(vif.network);
      const network = this.cache.network.get(networkRef);
      const shown = network ? this.ctx.tracker.mapper.network(networkRef) : null;
      return {
        id: ref,
        device: str(vif.device),
        networkId: shown?.id ?? null,
        networkName: shown?.name ?? str(network?.name_label),
        mac: str(vif.MAC) || null,
        ips: vm ? this.ipsOf(vm, str(vif.device)) : [],
        connected: bool(vif.currently_attached),
      };
    });
  }

  async addNic(guest: GuestTarget, networkRef: string, task: TaskReporter): Promise<ActionResult> {
    const session = this.ctx.session();
    const taken = new Set(await Promise.all((await session.call<string[]>('VM.get_VIFs', guest.nativeRef)).map((ref) => session.call<string>('VIF.get_device', ref))));
    let device = 0;
    while (taken.has(String(device))) device++;
    const mtu = num(this.cache.network.get(networkRef)?.MTU) ?? 1500;
    const vif = await session.call<string>('VIF.create', {
      device: String(device),
      network: networkRef,
      VM: guest.nativeRef,
      MAC: '',
      MTU: new XapiInt(mtu),
      other_config: {},
      qos_algorithm_type: '',
      qos_algorithm_params: {},
    });
    task.progress(0.5);
    if (this.running(guest)) await session.call('VIF.plug', vif);
    task.progress(1);
    return {};
  }

  async removeNic(guest: GuestTarget, nicId: string, task: TaskReporter): Promise<ActionResult> {
    const session = this.ctx.session();
    await this.ownVif(guest, nicId);
    if (await session.call<boolean>('VIF.get_currently_attached', nicId).then(bool)) await session.call('VIF.unplug', nicId);
    task.progress(0.5);
    await session.call('VIF.destroy', nicId);
    task.progress(1);
    return {};
  }

  async moveNic(guest: GuestTarget, nicId: string, networkRef: string, task: TaskReporter): Promise<ActionResult> {
    await this.ownVif(guest, nicId);
    await this.ctx.session().call('VIF.move', nicId, networkRef);
    task.progress(1);
    return {};
  }

  private async ownVif(guest: GuestTarget, vif: string): Promise<void> {
    const vm = await this.ctx.session().call<string>('VIF.get_VM', vif);
    if (vm !== guest.nativeRef) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'nicId', message: 'That NIC is not one of this VM’s.' });
  }

  private running(guest: GuestTarget): boolean {
    return str(this.cache.vm.get(guest.nativeRef)?.power_state) === 'Running';
  }
}
