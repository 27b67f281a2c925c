// The networks facet of a Proxmox VE connection (issue 16). A Linux VLAN is made on a
// node's interface (POST /nodes/{node}/network, `<device>.<tag>`, the name as its
// comment), a Linux bond or bridge on a node (network-drafts.ts), an SDN zone
// (POST /cluster/sdn/zones) and an SDN vnet in a zone (POST /cluster/sdn/vnets, a
// subnet if given); deleting removes the interface, zone or vnet. Each change is then applied as the Proxmox
// UI's "Apply Configuration" does (PUT /nodes/{node}/network, PUT /cluster/sdn) and the
// task followed — which also applies whatever else was pending there, as that button does.
// A guest's NICs are its config's netN, changed with one PUT …/config.

import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import { nodeId } from '../../../../shared/model';
import type { NetworkAttachment, NetworkDraft, NetworkInterface, NicInfo, SdnSubnet } from '../../../../shared/networks';
import type { ActionResult, ProviderConfig, TaskReporter } from '../provider';
import type { GuestTarget, ProviderNetworks } from '../provider-networks';
import { forEachLimited } from '../common/concurrency';
import { followTask, guestPath } from './actions';
import { readNothing, readUpid, requireObject, requireObjects, str } from './answers';
import type { PveClient } from './client';
import type { ClusterCache, GuestResource } from './cluster-cache';
import { readGuestConfig } from './guest-answers';
import { nodePath } from './maintenance-mark';
import { guestId, guestName, guestRef, hostId, parseGuestRef } from './model-map';
import { bondParams, bridgeParams, nodeNetworkOptions, zoneParams } from './network-drafts';
import { ifaceRef, isGuestBridge, parseNetworkRef, vnetRef, zoneRef } from './network-nodes';
import { freeNetKey, newNicValue, parseNics, withBridge, type PveNic } from './nic-config';

export interface NetworksDeps {
  client: PveClient;
  serverId: string;
  cache: () => ClusterCache;
  taskPollMs: number;
  log?: ProviderConfig['log'];
  /** re-reads a node's interfaces (null: the SDN) and polls, so the tree shows the change */
  refresh(node: string | null): Promise<void>;
}

const fail = (code: 'INVALID_INPUT' | 'NOT_FOUND' | 'UNSUPPORTED', message: string, field?: string) => new PolyvisorError({ code, message, ...(field ? { field } : {}) });

export function proxmoxNetworks(deps: NetworksDeps): ProviderNetworks {
  const { client, serverId } = deps;
  const cache = () => deps.cache();

  const refreshed = async (node: string | null): Promise<void> => {
    await deps.refresh(node).catch((e: unknown) => deps.log?.('debug', `Proxmox VE: refresh after a network change failed: ${toErrorInfo(e).message}`));
  };

  const guestOf = (target: GuestTarget): GuestResource => {
    const ref = parseGuestRef(target.nativeRef);
    const guest = ref && !ref.snapname ? cache().guest(guestRef(ref.type, ref.vmid)) : undefined;
    if (!guest) throw fail('NOT_FOUND', `Guest ${target.nativeRef} is no longer in the cluster.`);
    return guest;
  };
  const pathOf = (g: GuestResource) => guestPath({ node: g.node, type: g.type, vmid: Number(g.vmid) });
  const configOf = (g: GuestResource) => client.get(`${pathOf(g)}/config`, readGuestConfig);

  /** What a NIC's `bridge=` must say to be on this network, for a guest on `node`. */
  const bridgeFor = (networkRef: string, node: string, name: string): string => {
    const ref = parseNetworkRef(networkRef);
    if (!ref) throw fail('NOT_FOUND', `No network ${networkRef}.`, 'networkId');
    if ('zone' in ref) throw fail('INVALID_INPUT', `${ref.zone} is an SDN zone: a guest's NIC goes on one of its vnets.`, 'networkId');
    if ('vnet' in ref) return ref.vnet;
    const iface = cache()
      .nodeNetwork(ref.node)
      .find((i) => i.iface === ref.iface);
    if (!iface || !isGuestBridge(iface)) throw fail('INVALID_INPUT', `${ref.iface} is a ${iface?.type ?? 'missing'} interface: a guest's NIC goes on a bridge or an SDN vnet.`, 'networkId');
    if (ref.node !== node) throw fail('INVALID_INPUT', `${ref.iface} is a bridge of node ${ref.node}; ${name} runs on ${node}.`, 'networkId');
    return ref.iface;
  };

  /** The network node a NIC's bridge names, as the tree has it. */
  const networkOf = (bridge: string | undefined, node: string): string | null => {
    if (!bridge) return null;
    if (cache().sdnConfig().vnets.some((v) => v.vnet === bridge)) return nodeId(serverId, 'network', vnetRef(bridge));
    return cache().nodeNetwork(node).some((i) => i.iface === bridge) ? nodeId(serverId, 'network', ifaceRef(node, bridge)) : null;
  };

  /** A running VM's addresses by MAC from its guest agent; none when it has no agent running. */
  const agentAddresses = async (g: GuestResource): Promise<Map<string, string[]>> => {
    const byMac = new Map<string, string[]>();
    if (g.type !== 'qemu' || g.status !== 'running') return byMac;
    try {
      const answer = await client.get(`${pathOf(g)}/agent/network-get-interfaces`, (d, w) => requireObject(d, w).result);
      for (const i of Array.isArray(answer) ? (answer as Array<Record<string, unknown>>) : []) {
        const mac = typeof i['hardware-address'] === 'string' ? i['hardware-address'].toUpperCase() : '';
        const ips = (Array.isArray(i['ip-addresses']) ? (i['ip-addresses'] as Array<Record<string, unknown>>) : []).map((a) => a['ip-address']).filter((a): a is string => typeof a === 'string');
        if (mac) byMac.set(mac, [...(byMac.get(mac) ?? []), ...ips]);
      }
    } catch (err) {
      // "QEMU guest agent is not running": the NICs are listed without addresses
      deps.log?.('debug', `Proxmox VE: addresses of ${guestName(g)} not read: ${toErrorInfo(err).message}`);
    }
    return byMac;
  };

  const changeConfig = async (g: GuestTarget, task: TaskReporter, change: (cfg: Awaited<ReturnType<typeof configOf>>, guest: GuestResource) => Record<string, string>): Promise<ActionResult> => {
    const guest = guestOf(g);
    const cfg = await configOf(guest);
    const params = change(cfg, guest);
    await client.put(`${pathOf(guest)}/config`, readNothing, { ...params, ...(typeof cfg.digest === 'string' ? { digest: cfg.digest } : {}) });
    task.progress(1);
    return {};
  };

  const requireNic = (cfg: Record<string, string | number>, key: string, name: string) => {
    if (!/^net\d+$/.test(key) || cfg[key] === undefined) throw fail('NOT_FOUND', `${name} has no NIC ${key}.`, 'nicId');
  };

  const applyNode = async (node: string, task: TaskReporter) => {
    const upid = await client.put(`${nodePath(node)}/network`, readUpid);
    await followTask(client, upid, task, deps.taskPollMs, 1, deps.log);
  };
  const applySdn = async (task: TaskReporter) => {
    const upid = await client.put('/cluster/sdn', readUpid);
    await followTask(client, upid, task, deps.taskPollMs, 2, deps.log);
  };

  /** Guests whose NICs are on `bridge`, read from their configs (on `node` only, for a node's bridge). */
  const attachedTo = async (bridge: string, node: string | null): Promise<NetworkAttachment[]> => {
    const c = cache();
    const guests = c
      .guestRefs()
      .map((r) => c.guest(r)!)
      .filter((g) => node === null || g.node === node);
    const out: NetworkAttachment[] = [];
    await forEachLimited(guests, 4, async (g) => {
      const nics = parseNics(g.type, await configOf(g)).filter((n) => n.bridge === bridge);
      for (const n of nics) out.push({ guestId: guestId(serverId, g), guestName: guestName(g), device: n.key, mac: n.mac ?? null, ips: n.ip ? [n.ip] : [] });
    });
    return out.sort((a, b) => a.guestName.localeCompare(b.guestName) || a.device.localeCompare(b.device));
  };

  /** GET …/vnets/{vnet}/subnets: the edited config, as Polyvisor applies each change at once. */
  const subnetsOf = (vnet: string): Promise<SdnSubnet[]> =>
    client.get(`/cluster/sdn/vnets/${encodeURIComponent(vnet)}/subnets`, (d, w) =>
      requireObjects(d, w)
        .flatMap((s) => {
          const id = str(s.subnet);
          const cidr = str(s.cidr) ?? (id ? id.replace(/^[^-]+-(.*)-(\d+)$/, '$1/$2') : undefined);
          return id && cidr ? [{ id, cidr, gateway: str(s.gateway) ?? null, snat: s.snat === 1 || s.snat === '1' || s.snat === true }] : [];
        })
        .sort((a, b) => a.cidr.localeCompare(b.cidr)),
    );
  const vnetOf = (ref: string): string => {
    const parsed = parseNetworkRef(ref);
    if (!parsed || !('vnet' in parsed)) throw fail('INVALID_INPUT', 'Only an SDN vnet has subnets here.', 'nodeId');
    return parsed.vnet;
  };

  return {
    async addSubnet(ref, subnet, task) {
      const vnet = vnetOf(ref);
      await client.post(`/cluster/sdn/vnets/${encodeURIComponent(vnet)}/subnets`, readNothing, { subnet: subnet.cidr, type: 'subnet', ...(subnet.gateway ? { gateway: subnet.gateway } : {}), ...(subnet.snat ? { snat: 1 } : {}) });
      await applySdn(task);
      return {};
    },

    async removeSubnet(ref, subnetId, task) {
      const vnet = vnetOf(ref);
      await client.delete(`/cluster/sdn/vnets/${encodeURIComponent(vnet)}/subnets/${encodeURIComponent(subnetId)}`, readNothing);
      await applySdn(task);
      return {};
    },

    async details(ref) {
      const parsed = parseNetworkRef(ref);
      if (!parsed) throw fail('NOT_FOUND', `No network ${ref}.`);
      if ('zone' in parsed) return { interfaces: [], attached: [] };
      if ('vnet' in parsed) {
        const [attached, subnets] = await Promise.all([attachedTo(parsed.vnet, null), subnetsOf(parsed.vnet)]);
        return { interfaces: [], attached, subnets };
      }
      const all = cache().nodeNetwork(parsed.node);
      const self = all.find((i) => i.iface === parsed.iface);
      if (!self) throw fail('NOT_FOUND', `Node ${parsed.node} has no interface ${parsed.iface} now.`);
      const row = (name: string): NetworkInterface => {
        const i = all.find((x) => x.iface === name);
        return { ref: ifaceRef(parsed.node, name), hostId: hostId(serverId, parsed.node), hostName: parsed.node, device: name, mac: null, vlan: i?.vlanId ?? null, connected: i ? i.active : null, ip: i?.cidr ?? null, kind: i?.type ?? 'unknown' };
      };
      const interfaces = [row(self.iface), ...self.ports.map(row), ...(self.rawDevice ? [row(self.rawDevice)] : [])];
      return { interfaces, attached: isGuestBridge(self) ? await attachedTo(self.iface, parsed.node) : [] };
    },

    async createOptions() {
      const c = cache();
      const devices = c
        .hostFacts()
        .filter((h) => h.online)
        .flatMap((h) => c.nodeNetwork(h.name).filter((i) => ['bridge', 'bond', 'eth', 'OVSBridge'].includes(i.type)).map((i) => ({ value: ifaceRef(h.name, i.iface), label: `${h.name}: ${i.iface}` })));
      const parents = c
        .sdnConfig()
        .zones.filter((z) => z.state !== 'deleted')
        .map((z) => ({ value: z.zone, label: z.type ? `${z.zone} (${z.type})` : z.zone }));
      return { kinds: parents.length ? ['vlan', 'bond', 'bridge', 'zone', 'sdn'] : ['vlan', 'bond', 'bridge', 'zone'], devices, parents, drivers: [], ...nodeNetworkOptions(c) };
    },

    async create(draft: NetworkDraft, task) {
      if (draft.kind === 'vlan') {
        const dev = parseNetworkRef(draft.device ?? '');
        if (!dev || !('iface' in dev)) throw fail('INVALID_INPUT', 'Choose the node interface the VLAN goes on.', 'device');
        if (draft.vlan === undefined || draft.vlan < 1) throw fail('INVALID_INPUT', 'A Linux VLAN needs a tag from 1 to 4094.', 'vlan');
        const iface = `${dev.iface}.${draft.vlan}`;
        const comment = draft.description ?? (draft.name !== iface ? draft.name : undefined);
        await client.post(`${nodePath(dev.node)}/network`, readNothing, { iface, type: 'vlan', ...(comment ? { comments: comment } : {}), ...(draft.mtu ? { mtu: draft.mtu } : {}) });
        await applyNode(dev.node, task);
        await refreshed(dev.node);
        return { resultId: nodeId(serverId, 'network', ifaceRef(dev.node, iface)) };
      }
      if (draft.kind === 'sdn') {
        if (!draft.parent) throw fail('INVALID_INPUT', 'Choose the SDN zone the vnet goes in.', 'parent');
        await client.post('/cluster/sdn/vnets', readNothing, { vnet: draft.name, zone: draft.parent, ...(draft.vlan ? { tag: draft.vlan } : {}), ...(draft.description ? { alias: draft.description } : {}) });
        if (draft.subnet) await client.post(`/cluster/sdn/vnets/${encodeURIComponent(draft.name)}/subnets`, readNothing, { subnet: draft.subnet, type: 'subnet' });
        await applySdn(task);
        await refreshed(null);
        return { resultId: nodeId(serverId, 'network', vnetRef(draft.name)) };
      }
      if (draft.kind === 'bond' || draft.kind === 'bridge') {
        const node = draft.host;
        if (!node || !cache().hostFacts().some((h) => h.name === node)) throw fail('INVALID_INPUT', `Choose the node the ${draft.kind} goes on.`, 'host');
        await client.post(`${nodePath(node)}/network`, readNothing, draft.kind === 'bond' ? bondParams(draft) : bridgeParams(draft));
        await applyNode(node, task);
        await refreshed(node);
        return { resultId: nodeId(serverId, 'network', ifaceRef(node, draft.name)) };
      }
      if (draft.kind === 'zone') {
        await client.post('/cluster/sdn/zones', readNothing, zoneParams(draft));
        await applySdn(task);
        await refreshed(null);
        return { resultId: nodeId(serverId, 'network', zoneRef(draft.name)) };
      }
      throw fail('UNSUPPORTED', `Proxmox VE makes Linux VLANs, bonds, bridges, SDN zones and vnets here, not ${draft.kind} networks.`, 'kind');
    },

    async destroy(ref, task) {
      const parsed = parseNetworkRef(ref);
      if (!parsed) throw fail('NOT_FOUND', `No network ${ref}.`);
      if ('vnet' in parsed || 'zone' in parsed) {
        await client.delete('vnet' in parsed ? `/cluster/sdn/vnets/${encodeURIComponent(parsed.vnet)}` : `/cluster/sdn/zones/${encodeURIComponent(parsed.zone)}`, readNothing);
        await applySdn(task);
        await refreshed(null);
        return {};
      }
      await client.delete(`${nodePath(parsed.node)}/network/${encodeURIComponent(parsed.iface)}`, readNothing);
      await applyNode(parsed.node, task);
      await refreshed(parsed.node);
      return {};
    },

    async nics(target): Promise<NicInfo[]> {
      const g = guestOf(target);
      const [cfg, addresses] = await Promise.all([configOf(g), agentAddresses(g)]);
      return parseNics(g.type, cfg).map((n: PveNic) => {
        const networkId = networkOf(n.bridge, g.node);
        const ips = [...(n.ip ? [n.ip] : []), ...(n.mac ? (addresses.get(n.mac) ?? []) : [])];
        return {
          id: n.key,
          device: n.name ? `${n.key} (${n.name})` : n.key,
          networkId,
          networkName: (n.bridge ?? '') + (n.tag !== undefined ? ` (VLAN ${n.tag})` : ''),
          mac: n.mac ?? null,
          ips: [...new Set(ips)],
          connected: !n.linkDown,
          ...(n.model ? { model: n.model } : {}),
        };
      });
    },

    addNic: (target, networkRef, task) =>
      changeConfig(target, task, (cfg, g) => ({ [freeNetKey(cfg)]: newNicValue(g.type, cfg, bridgeFor(networkRef, g.node, guestName(g))) })),

    removeNic: (target, nicId, task) =>
      changeConfig(target, task, (cfg, g) => {
        requireNic(cfg, nicId, guestName(g));
        return { delete: nicId };
      }),

    moveNic: (target, nicId, networkRef, task) =>
      changeConfig(target, task, (cfg, g) => {
        requireNic(cfg, nicId, guestName(g));
        const bridge = bridgeFor(networkRef, g.node, guestName(g));
        return { [nicId]: withBridge(cfg[nicId]!, bridge, 'vnet' in (parseNetworkRef(networkRef) ?? {})) };
      }),
  };
}
