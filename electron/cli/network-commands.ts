// `polyvisor network list|show|create|delete` and `polyvisor nic list|add|remove|set-network`:
// the same channels as the app (the inventory's network nodes, networks:*, nics:*), each
// change followed as a task.

import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import type { NicInfo } from '../../shared/networks';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import { table } from './format';
import type { NetworkCommand } from './network-args';
import { findNode, findServer, GUEST_KINDS } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';

/** Where the tree puts a node: its server, then its ancestors' names. */
function placeOf(node: InventoryNode, byId: Map<string, InventoryNode>, serverName: string): string {
  const names: string[] = [];
  for (let p = node.parentId ? byId.get(node.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) if (p.kind !== 'server') names.unshift(p.name);
  return [serverName, ...names].join('/');
}

export async function executeNetwork(command: NetworkCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const servers = await session.servers();
  const serverName = (id: string) => servers.find((s) => s.id === id)?.name ?? id;
  const networks = nodes.filter((n) => n.kind === 'network');
  switch (command.name) {
    case 'network list': {
      const only = command.server ? findServer(servers, command.server).id : null;
      const rows = networks
        .filter((n) => !only || n.serverId === only)
        .map((n) => ({
          id: n.id,
          name: n.name,
          place: placeOf(n, byId, serverName(n.serverId)),
          ...n.network!,
          hosts: (n.network?.hostIds ?? []).map((id) => byId.get(id)?.name ?? id),
          // made, changed or deleted on the server but not applied yet (Proxmox VE's pending network configuration)
          ...(typeof n.props.pending === 'string' ? { pending: n.props.pending } : {}),
        }));
      if (command.json) return io.out(JSON.stringify(rows, null, 2));
      io.out(table(['NAME', 'TYPE', 'VLAN', 'MTU', 'BRIDGE', 'WHERE'], rows.map((r) => [r.pending ? `${r.name} (pending: ${r.pending})` : r.name, r.driver ? `${r.type} (${r.driver})` : r.type, r.vlan === null ? '-' : String(r.vlan), r.mtu === null ? '-' : String(r.mtu), r.bridge ?? '-', r.place])));
      return;
    }
    case 'network show': {
      const network = findNode(networks, command.network, ['network'], 'network');
      const details = await core.invoke('networks:details', network.id);
      if (command.json) return io.out(JSON.stringify({ id: network.id, name: network.name, network: network.network, ...details }, null, 2));
      const info = network.network;
      io.out(`${network.name}: ${info?.type ?? ''}${info?.vlan !== null && info?.vlan !== undefined ? `, VLAN ${info.vlan}` : ''}${info?.mtu ? `, MTU ${info.mtu}` : ''}${info?.bridge ? `, on ${info.bridge}` : ''}`);
      if (details.interfaces.length) io.out(table(['HOST', 'DEVICE', 'KIND', 'VLAN', 'MAC', 'LINK', 'BOND'], details.interfaces.map((i) => [i.hostName, i.device, i.kind, i.vlan === null ? '' : String(i.vlan), i.mac ?? '', i.connected === null ? 'unknown' : i.connected ? 'connected' : 'disconnected', i.bond ? `${i.bond.mode}: ${i.bond.members.join('+')}` : ''])));
      if (details.subnets?.length) io.out(table(['SUBNET', 'ID', 'GATEWAY', 'SNAT'], details.subnets.map((x) => [x.cidr, x.id, x.gateway ?? '', x.snat ? 'yes' : 'no'])));
      io.out(table(['ATTACHED', 'DEVICE', 'MAC', 'IPS'], details.attached.map((a) => [a.guestName, a.device, a.mac ?? '', a.ips.join(', ')])));
      return;
    }
    case 'network create': {
      const server = findServer(servers, command.server);
      const draft = {
        kind: command.kind,
        name: command.networkName,
        ...(command.vlan !== undefined ? { vlan: command.vlan } : {}),
        ...(command.device ? { device: command.device } : {}),
        ...(command.parent ? { parent: parentOf(command.parent, networks.filter((n) => n.serverId === server.id)) } : {}),
        ...(command.driver ? { driver: command.driver } : {}),
        ...(command.subnet ? { subnet: command.subnet } : {}),
        ...(command.mtu !== undefined ? { mtu: command.mtu } : {}),
        ...(command.members ? { members: command.members } : {}),
        ...(command.mode ? { mode: command.mode } : {}),
        ...command.fields,
      };
      const [task] = await session.follow(async () => [await core.invoke('networks:create', server.id, draft)], (t) => `Create network ${t.targetName}`);
      io.out(task?.resultId ?? '');
      io.err(`${command.networkName} made on ${server.name}.`);
      return;
    }
    case 'network subnet add': {
      const network = findNode(networks, command.network, ['network'], 'network');
      await session.follow(async () => [await core.invoke('networks:addSubnet', network.id, { cidr: command.cidr, ...(command.gateway ? { gateway: command.gateway } : {}), ...(command.snat ? { snat: true } : {}) })], (t) => `Add subnet to ${t.targetName}`);
      io.err(`${command.cidr} added to ${network.name}.`);
      return;
    }
    case 'network subnet remove': {
      const network = findNode(networks, command.network, ['network'], 'network');
      const subnets = (await core.invoke('networks:details', network.id)).subnets ?? [];
      const subnet = subnets.find((s) => s.id === command.subnet || s.cidr === command.subnet);
      if (!subnet) throw new PolyvisorError({ code: 'NOT_FOUND', message: `${network.name} has no subnet ${command.subnet} (it has: ${subnets.map((s) => s.cidr).join(', ') || 'none'}).` });
      await session.follow(async () => [await core.invoke('networks:removeSubnet', network.id, subnet.id)], (t) => `Remove subnet from ${t.targetName}`);
      io.err(`${subnet.cidr} removed from ${network.name}.`);
      return;
    }
    case 'network delete': {
      const network = findNode(networks, command.network, ['network'], 'network');
      await session.follow(async () => [await core.invoke('networks:delete', network.id)], (t) => `Delete network ${t.targetName}`);
      io.err(`${network.name} deleted.`);
      return;
    }
  }
  const vm = findNode(nodes, command.vm, GUEST_KINDS, 'VM');
  const { nics } = await core.invoke('nics:list', vm.id);
  switch (command.name) {
    case 'nic list':
      if (command.json) return io.out(JSON.stringify(nics, null, 2));
      io.out(table(['DEVICE', 'NETWORK', 'MAC', 'IPS', 'LINK', 'ID'], nics.map((n) => [n.device, n.networkName, n.mac ?? '', n.ips.join(', '), n.connected === null ? 'unknown' : n.connected ? 'connected' : 'disconnected', n.id])));
      return;
    case 'nic add': {
      const network = findNode(networks.filter((n) => n.serverId === vm.serverId), command.network, ['network'], 'network');
      await session.follow(async () => [await core.invoke('nics:add', vm.id, network.id)], () => `Add a NIC on ${network.name} to ${vm.name}`);
      io.err(`${vm.name} has a NIC on ${network.name} now.`);
      return;
    }
    case 'nic remove': {
      const nic = nicOf(vm, nics, command.nic);
      await session.follow(async () => [await core.invoke('nics:remove', vm.id, nic.id)], () => `Remove NIC ${nic.device} of ${vm.name}`);
      io.err(`NIC ${nic.device} of ${vm.name} removed.`);
      return;
    }
    case 'nic set-network': {
      const nic = nicOf(vm, nics, command.nic);
      const network = findNode(networks.filter((n) => n.serverId === vm.serverId), command.network, ['network'], 'network');
      await session.follow(async () => [await core.invoke('nics:setNetwork', vm.id, nic.id, network.id)], () => `Move NIC ${nic.device} of ${vm.name} to ${network.name}`);
      io.err(`NIC ${nic.device} of ${vm.name} is on ${network.name} now.`);
      return;
    }
  }
}

/** A NIC by its id or device, as `nic list` shows them; a missing or repeated one lists the VM's NICs. */
function nicOf(vm: InventoryNode, nics: NicInfo[], query: string): NicInfo {
  const matches = nics.filter((n) => n.id === query || n.device === query);
  if (matches.length === 1) return matches[0]!;
  const known = nics.map((n) => `${n.device} (${n.networkName})`).join(', ') || 'none';
  throw new PolyvisorError({ code: matches.length ? 'INVALID_INPUT' : 'NOT_FOUND', field: 'nic', message: `${vm.name} has ${matches.length ? 'several NICs' : 'no NIC'} "${query}"; its NICs: ${known}` });
}

/** A switch or zone by the name the user gave: a distributed switch's node id, else the name as the server has it (an SDN zone). */
function parentOf(query: string, networks: InventoryNode[]): string {
  const dvs = networks.find((n) => n.network?.type === 'dvswitch' && (n.name === query || n.id === query || n.nativeRef === query));
  return dvs ? dvs.nativeRef : query;
}
