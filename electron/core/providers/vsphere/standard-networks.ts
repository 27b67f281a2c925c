// Standard-switch port groups (issue 16), as the vSphere Client's Add Networking does it host
// by host: HostNetworkSystem.AddPortGroup (name, VLAN id, the host's standard vSwitch) on one
// host or on every host of a cluster; if one host refuses, the port groups already made are
// removed again and the server's fault is shown. Deleting removes the port group
// (RemovePortGroup) from every host of the network's datacenter that has it; ESXi refuses
// while a VM's adapter uses it (vcsim 0.24 does not check).

import { isPolyvisorError, PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import { nodeId, type InventoryNode } from '../../../../shared/model';
import type { NetworkChoice, NetworkDraft } from '../../../../shared/networks';
import type { ActionResult, TaskReporter } from '../provider';
import { retrieveObjects, retrieveOne } from './property-collector';
import type { VimClient } from './vim-client';
import { child, children, el, readMoRef, readMoRefArray, text, type ManagedObjectReference } from './xml';

export interface StandardNetworkDeps {
  serverId: () => string;
  client: () => VimClient;
  reread: (refs: ManagedObjectReference[]) => Promise<void>;
  /** objects the server destroyed at our request leave the tree now */
  forget: (refs: ManagedObjectReference[]) => void;
  /** the tree's nodes (hosts under their cluster) */
  nodes: () => InventoryNode[];
  /** the datacenter holding an object of the tree */
  datacenterOf: (ref: ManagedObjectReference) => ManagedObjectReference | null;
}

interface HostNetworking {
  host: ManagedObjectReference;
  name: string;
  system: ManagedObjectReference;
  vswitches: string[];
  portgroups: string[];
}

const hostRef = (value: string): ManagedObjectReference => ({ type: 'HostSystem', value });

/** Each host's HostNetworkSystem with its standard vSwitches and port groups (networkInfo), as the server has them now. */
async function networking(client: VimClient, hosts: ManagedObjectReference[]): Promise<HostNetworking[]> {
  const read = await retrieveObjects(client, hosts, { HostSystem: ['name', 'configManager.networkSystem'] });
  const systems = read.flatMap((h) => {
    const system = readMoRef(h.props.get('configManager.networkSystem'));
    return system ? [{ host: h.obj, name: text(h.props.get('name'))?.trim() || h.obj.value, system }] : [];
  });
  const infos = await retrieveObjects(client, systems.map((s) => s.system), { HostNetworkSystem: ['networkInfo'] });
  return systems.map((s) => {
    const info = infos.find((i) => i.obj.value === s.system.value)?.props.get('networkInfo');
    return {
      ...s,
      vswitches: children(info, 'vswitch').flatMap((v) => text(child(v, 'name'))?.trim() ?? []),
      portgroups: children(info, 'portgroup').flatMap((p) => text(child(child(p, 'spec'), 'name'))?.trim() ?? []),
    };
  });
}

export class VsphereStandardNetworks {
  constructor(private readonly deps: StandardNetworkDeps) {}

  /** Where a standard port group can go: each host, and each cluster (all its hosts); the vSwitch names the hosts have. */
  async options(): Promise<{ places: NetworkChoice[]; vswitches: string[] }> {
    const nodes = this.deps.nodes();
    const hosts = nodes.filter((n) => n.kind === 'host');
    const clusters = nodes.filter((n) => n.kind === 'cluster' && hosts.some((h) => h.parentId === n.id));
    const places = [...clusters, ...hosts].map((n) => ({ value: n.nativeRef, label: n.name })).sort((a, b) => a.label.localeCompare(b.label));
    const found = hosts.length ? await networking(this.deps.client(), hosts.map((h) => hostRef(h.nativeRef))) : [];
    return { places, vswitches: [...new Set(found.flatMap((h) => h.vswitches))].sort() };
  }

  async create(draft: NetworkDraft, task: TaskReporter): Promise<ActionResult> {
    if (!draft.parent) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'parent', message: 'A standard port group needs its host or cluster.' });
    if (!draft.device) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'device', message: 'A standard port group needs the standard vSwitch it goes on (vSwitch0).' });
    const client = this.deps.client();
    const hosts = this.hostsOf(draft.parent);
    const targets = await networking(client, hosts);
    const made: HostNetworking[] = [];
    for (const [i, target] of targets.entries()) {
      try {
        await client.call('AddPortGroup', target.system, [portgroupSpec(draft.name, draft.vlan ?? 0, draft.device)]);
      } catch (err) {
        throw await this.undo(client, made, draft.name, target, err);
      }
      made.push(target);
      task.progress((i + 1) / targets.length);
    }
    const network = await this.networkNamed(hosts[0]!, draft.name);
    await this.deps.reread(network ? [...made.map((m) => m.host), network] : made.map((m) => m.host));
    return network ? { resultId: nodeId(this.deps.serverId(), 'network', network.value) } : {};
  }

  /** RemovePortGroup on every host of the network's datacenter that has a port group of its name. */
  async destroy(ref: string, task: TaskReporter): Promise<ActionResult> {
    const client = this.deps.client();
    const network: ManagedObjectReference = { type: 'Network', value: ref };
    const name = text((await retrieveOne(client, network, ['name']))?.get('name'))?.trim();
    if (!name) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has network ${ref}.` });
    const datacenter = this.deps.datacenterOf(network);
    const hosts = this.deps.nodes().filter((n) => n.kind === 'host' && (!datacenter || this.deps.datacenterOf(hostRef(n.nativeRef))?.value === datacenter.value));
    const having = (await networking(client, hosts.map((h) => hostRef(h.nativeRef)))).filter((h) => h.portgroups.includes(name));
    if (!having.length) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `No host has a standard port group named ${name}: ${name} is not a standard network Polyvisor can delete.` });
    for (const [i, host] of having.entries()) {
      try {
        await client.call('RemovePortGroup', host.system, [el('pgName', name)]);
      } catch (err) {
        const info = toErrorInfo(err);
        const done = having.slice(0, i).map((h) => h.name);
        throw new PolyvisorError({ ...info, message: `${host.name} refused to remove the port group ${name}: ${info.message}${done.length ? ` (already removed on ${done.join(', ')})` : ''}` }, { cause: err });
      }
      task.progress((i + 1) / having.length);
    }
    await this.deps.reread(having.map((h) => h.host));
    // the last host's port group gone, the server drops the Network: gone from the tree now, not at the next poll
    if (!(await stillThere(client, network))) this.deps.forget([network]);
    return {};
  }

  /** The hosts a port group goes on: the host, or every host of the cluster (by moref, else by name), by moref. */
  private hostsOf(place: string): ManagedObjectReference[] {
    const nodes = this.deps.nodes().filter((n) => n.kind === 'host' || n.kind === 'cluster');
    const chosen = nodes.find((n) => n.nativeRef === place) ?? nodes.find((n) => n.name === place);
    if (chosen?.kind === 'host') return [hostRef(chosen.nativeRef)];
    const hosts = chosen ? nodes.filter((n) => n.kind === 'host' && n.parentId === chosen.id).map((n) => hostRef(n.nativeRef)) : [];
    if (!hosts.length) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'parent', message: `${place} is not a host or a cluster with hosts on this server.` });
    return hosts.sort((a, b) => a.value.localeCompare(b.value, undefined, { numeric: true }));
  }

  /** Removes the port groups made before `failed` refused, and returns the server's fault naming the host (and any removal that failed too). */
  private async undo(client: VimClient, made: HostNetworking[], name: string, failed: HostNetworking, err: unknown): Promise<PolyvisorError> {
    const left: string[] = [];
    for (const host of made) {
      try {
        await client.call('RemovePortGroup', host.system, [el('pgName', name)]);
      } catch (undoErr) {
        left.push(`${host.name} (${toErrorInfo(undoErr).message})`);
      }
    }
    if (made.length) await this.deps.reread(made.map((m) => m.host));
    const info = toErrorInfo(err);
    const undone = made.length ? ` The port group made on ${made.map((m) => m.name).join(', ')} was removed again.` : '';
    const kept = left.length ? ` Removing it again failed on ${left.join(', ')}: remove it there by hand.` : '';
    return new PolyvisorError({ ...info, message: `${failed.name} refused the port group ${name}: ${info.message}.${left.length ? kept : undone}` }, { cause: err });
  }

  /** The Network the port group made in the host's datacenter (its networkFolder's child of that name). */
  private async networkNamed(host: ManagedObjectReference, name: string): Promise<ManagedObjectReference | undefined> {
    const client = this.deps.client();
    const datacenter = this.deps.datacenterOf(host);
    if (!datacenter) return undefined;
    const folder = readMoRef((await retrieveOne(client, datacenter, ['networkFolder']))?.get('networkFolder'));
    if (!folder) return undefined;
    const entries = readMoRefArray((await retrieveOne(client, folder, ['childEntity']))?.get('childEntity')).filter((r) => r.type === 'Network');
    const found = await retrieveObjects(client, entries, { Network: ['name'] });
    return found.find((f) => text(f.props.get('name'))?.trim() === name)?.obj;
  }
}

/** The server still has the object (it answers ManagedObjectNotFound once it is gone). */
async function stillThere(client: VimClient, obj: ManagedObjectReference): Promise<boolean> {
  try {
    return (await retrieveOne(client, obj, ['name'])) !== null;
  } catch (err) {
    if (isPolyvisorError(err, 'NOT_FOUND')) return false;
    throw err;
  }
}

/** HostPortGroupSpec: name, vlanId, vswitchName and a policy (empty: the vSwitch's own). */
function portgroupSpec(name: string, vlan: number, vswitch: string) {
  return el('portgrp', [el('name', name), el('vlanId', vlan), el('vswitchName', vswitch), el('policy', [])]);
}
