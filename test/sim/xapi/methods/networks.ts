// Networks, VLANs and a VM's VIFs as xapi handles them (Xapi_network, Xapi_vlan,
// Xapi_pool.create_VLAN_from_PIF, Xapi_vif plug/unplug/move), issue 16:
// network.create gives a network with no PIF (a private network until a VLAN or a
// bond puts one on it; xapi names the bridge `xapiN`); VLAN.create puts a VLAN PIF
// on the tagged PIF's host (VLAN_TAG_INVALID [tag] outside 0..4094, PIF_IS_VLAN
// [pif] on a VLAN PIF, PIF_VLAN_EXISTS [pif] for a tag it already carries);
// network.destroy refuses a network still in use (NETWORK_CONTAINS_VIF [vifs],
// NETWORK_CONTAINS_PIF [pifs]). A VIF plugs only into a running VM.
import type { SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';
import { NULL_REF } from '../model';
import { liveRef, recordArg } from './records-in';
import { SESSION } from './vm';

const NETWORK_OPERATIONS = ['attaching'];

function nextBridge(core: SimCore): string {
  const taken = new Set([...core.db.records('network').values()].map((n) => String(n.bridge)));
  let n = 0;
  while (taken.has(`xapi${n}`)) n++;
  return `xapi${n}`;
}

export function createNetwork(core: SimCore, fields: XapiRecord): string {
  return core.db.add('network', {
    MTU: 1500,
    managed: true,
    ...fields,
    bridge: String(fields.bridge ?? '') || nextBridge(core),
    allowed_operations: NETWORK_OPERATIONS,
    current_operations: {},
  });
}

function assertTag(tag: unknown): number {
  const n = Number(tag);
  if (!Number.isInteger(n) || n < 0 || n > 4094) throw new XapiFailure('VLAN_TAG_INVALID', String(tag));
  return n;
}

/** Xapi_vlan.create: the VLAN's own (untagged) PIF on the tagged PIF's host, on `network`. */
export function createVlan(core: SimCore, taggedPif: string, tagArg: unknown, network: string): string {
  const tag = assertTag(tagArg);
  const tagged = core.db.get('PIF', taggedPif)!;
  if (Number(tagged.VLAN) >= 0) throw new XapiFailure('PIF_IS_VLAN', taggedPif);
  for (const vlanRef of (tagged.VLAN_slave_of as string[]) ?? []) {
    if (Number(core.db.get('VLAN', vlanRef)?.tag) === tag) throw new XapiFailure('PIF_VLAN_EXISTS', taggedPif);
  }
  const vlan = core.db.add('VLAN', { tagged_PIF: taggedPif, untagged_PIF: NULL_REF, tag, other_config: {} });
  const untagged = core.db.add('PIF', {
    device: tagged.device,
    network,
    host: tagged.host,
    MAC: tagged.MAC,
    MTU: core.db.get('network', network)!.MTU ?? tagged.MTU,
    VLAN: tag,
    physical: false,
    currently_attached: true,
    ip_configuration_mode: 'None',
    VLAN_master_of: vlan,
    bond_slave_of: NULL_REF,
    managed: true,
  });
  core.db.update('VLAN', vlan, { untagged_PIF: untagged });
  return vlan;
}

function destroyVlan(core: SimCore, vlan: string): void {
  const record = core.db.get('VLAN', vlan)!;
  if (core.db.get('PIF', String(record.untagged_PIF))) core.db.remove('PIF', String(record.untagged_PIF));
  core.db.remove('VLAN', vlan);
}

function vifOf(core: SimCore, vif: string): XapiRecord {
  return core.db.get('VIF', vif)!;
}

export function assertVmRunning(core: SimCore, vm: string): void {
  const state = String(core.db.get('VM', vm)?.power_state ?? 'Halted');
  if (state !== 'Running') throw new XapiFailure('VM_BAD_POWER_STATE', vm, 'running', state.toLowerCase());
}

export function registerNetworkMethods(core: SimCore): void {
  core.register({
    name: 'network.create',
    params: [SESSION, ['network record', 'args']],
    errors: [],
    async: true,
    run: ({ core: c }, [, args]) => createNetwork(c, recordArg(c, 'network', args)),
  });
  core.register({
    name: 'network.destroy',
    params: [SESSION, ['network ref', 'self']],
    errors: ['NETWORK_CONTAINS_VIF', 'NETWORK_CONTAINS_PIF'],
    async: true,
    run: ({ core: c }, [, network]) => {
      const record = c.db.get('network', network as string)!;
      const vifs = (record.VIFs as string[]) ?? [];
      if (vifs.length) throw new XapiFailure('NETWORK_CONTAINS_VIF', ...vifs);
      const pifs = (record.PIFs as string[]) ?? [];
      if (pifs.length) throw new XapiFailure('NETWORK_CONTAINS_PIF', ...pifs);
      c.db.remove('network', network as string);
      return undefined;
    },
  });

  core.register({
    name: 'VLAN.create',
    params: [SESSION, ['PIF ref', 'tagged_PIF'], ['int', 'tag'], ['network ref', 'network']],
    errors: ['VLAN_TAG_INVALID', 'PIF_IS_VLAN', 'PIF_VLAN_EXISTS'],
    async: true,
    run: ({ core: c }, [, pif, tag, network]) => createVlan(c, pif as string, tag, network as string),
  });
  core.register({
    name: 'VLAN.destroy',
    params: [SESSION, ['VLAN ref', 'self']],
    errors: [],
    async: true,
    run: ({ core: c }, [, vlan]) => {
      destroyVlan(c, vlan as string);
      return undefined;
    },
  });
  core.register({
    name: 'pool.create_VLAN_from_PIF',
    params: [SESSION, ['PIF ref', 'pif'], ['network ref', 'network'], ['int', 'VLAN']],
    errors: ['VLAN_TAG_INVALID', 'PIF_IS_VLAN', 'PIF_VLAN_EXISTS'],
    async: true,
    run: ({ core: c }, [, pif, network, tag]) => {
      // every host's PIF with the same device that is not itself a VLAN (Xapi_pool.create_VLAN_from_PIF)
      const device = c.db.get('PIF', pif as string)!.device;
      assertTag(tag);
      if (Number(c.db.get('PIF', pif as string)!.VLAN) >= 0) throw new XapiFailure('PIF_IS_VLAN', pif as string);
      const out: string[] = [];
      for (const [ref, record] of c.db.records('PIF')) {
        if (record.device !== device || Number(record.VLAN) >= 0) continue;
        const vlan = createVlan(c, ref, tag, network as string);
        out.push(String(c.db.get('VLAN', vlan)!.untagged_PIF));
      }
      return out;
    },
  });

  core.register({
    name: 'VIF.plug',
    params: [SESSION, ['VIF ref', 'self']],
    errors: ['DEVICE_ALREADY_ATTACHED'],
    async: true,
    run: ({ core: c }, [, vif]) => {
      const record = vifOf(c, vif as string);
      assertVmRunning(c, String(record.VM));
      if (record.currently_attached) throw new XapiFailure('DEVICE_ALREADY_ATTACHED', vif as string);
      c.db.update('VIF', vif as string, { currently_attached: true, allowed_operations: ['unplug', 'unplug_force'] });
      return undefined;
    },
  });
  core.register({
    name: 'VIF.unplug',
    params: [SESSION, ['VIF ref', 'self']],
    errors: ['DEVICE_ALREADY_DETACHED'],
    async: true,
    run: ({ core: c }, [, vif]) => {
      const record = vifOf(c, vif as string);
      assertVmRunning(c, String(record.VM));
      if (!record.currently_attached) throw new XapiFailure('DEVICE_ALREADY_DETACHED', vif as string);
      c.db.update('VIF', vif as string, { currently_attached: false, allowed_operations: ['attach', 'plug'] });
      return undefined;
    },
  });
  core.register({
    name: 'VIF.move',
    params: [SESSION, ['VIF ref', 'self'], ['network ref', 'network']],
    errors: [],
    async: true,
    // a plugged VIF is moved live (xapi unplugs it from the old bridge and plugs it into the new one)
    run: ({ core: c }, [, vif, network]) => {
      c.db.update('VIF', vif as string, { network: liveRef(c, 'network', network) });
      return undefined;
    },
  });
}
