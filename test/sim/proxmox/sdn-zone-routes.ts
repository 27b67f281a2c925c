// SDN zones and subnet deletion (issue 16): POST /cluster/sdn/zones makes a zone in the
// edited config, DELETE /cluster/sdn/zones/{zone} removes it unless a vnet names it
// (the zone plugin's on_delete_hook: "zone <id> is used by vnet <vnet>"), DELETE
// …/vnets/{vnet}/subnets/{subnet} removes a subnet — each pending until PUT /cluster/sdn.
// The parameters are the schema's; which a zone type needs is each zone plugin's
// `options` (not in the schema): vlan needs `bridge`, qinq `bridge` and `tag`, vxlan
// `peers`, evpn `controller` and `vrf-vxlan`, reported as PVE's SectionConfig does.
// SDN.Allocate on /sdn/zones (create) and /sdn/zones/{zone} (delete) is checked from the schema.

import { SimHttpError } from './guest-ops';
import { P, ParamError, type ParamSpec, type ParamSpecs } from './params';
import type { Route } from './route-kit';
import { sdnOf, type SdnSection } from './sdn-state';

const ZONE_TYPES = ['evpn', 'faucet', 'qinq', 'simple', 'vlan', 'vxlan'];
const opt = (spec: ParamSpec): ParamSpec => ({ ...spec, optional: true });
const text = opt({ type: 'string' });

/** POST /cluster/sdn/zones, as pve-api-schema.json declares it. */
const ZONE_PARAMS: ParamSpecs = {
  'advertise-subnets': P.optBool,
  bridge: text,
  'bridge-disable-mac-learning': P.optBool,
  controller: text,
  dhcp: opt({ type: 'string', enum: ['dnsmasq'] }),
  'disable-arp-nd-suppression': P.optBool,
  dns: text,
  dnszone: opt({ type: 'string', format: 'dns-name' }),
  'dp-id': opt({ type: 'integer' }),
  exitnodes: opt({ type: 'string', format: 'pve-node-list' }),
  'exitnodes-local-routing': P.optBool,
  'exitnodes-primary': opt({ type: 'string', format: 'pve-node' }),
  fabric: opt({ type: 'string', format: 'pve-sdn-fabric-id' }),
  ipam: text,
  'lock-token': text,
  mac: opt({ type: 'string', format: 'mac-addr' }),
  mtu: opt({ type: 'integer' }),
  nodes: opt({ type: 'string', format: 'pve-node-list' }),
  peers: opt({ type: 'string', format: 'ip-list' }),
  reversedns: text,
  'rt-import': opt({ type: 'string', format: 'pve-sdn-bgp-rt-list' }),
  tag: opt({ type: 'integer', minimum: 0 }),
  type: { type: 'string', enum: ZONE_TYPES, format: 'pve-configid' },
  'vlan-protocol': opt({ type: 'string', enum: ['802.1q', '802.1ad'] }),
  'vrf-vxlan': opt({ type: 'integer', minimum: 1, maximum: 16777215 }),
  'vxlan-port': opt({ type: 'integer', minimum: 1, maximum: 65536 }),
  zone: { type: 'string', format: 'pve-sdn-zone-id' },
};

/** The options each zone plugin marks `optional => 0`. */
const REQUIRED: Record<string, string[]> = { vlan: ['bridge'], qinq: ['bridge', 'tag'], vxlan: ['peers'], evpn: ['controller', 'vrf-vxlan'], simple: [], faucet: [] };

export const SDN_ZONE_ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/cluster/sdn/zones',
    params: ZONE_PARAMS,
    handler(ctx) {
      const sdn = sdnOf(ctx.state);
      const id = String(ctx.params.zone);
      const type = String(ctx.params.type);
      const missing = REQUIRED[type]!.filter((k) => ctx.params[k] === undefined);
      if (missing.length) throw new ParamError(Object.fromEntries(missing.map((k) => [k, 'property is missing and it is not optional'])));
      // the simulator serves no SDN controllers, so an EVPN zone's controller never exists (EvpnPlugin's on_update_hook)
      if (type === 'evpn') throw new SimHttpError(500, `controller ${ctx.params.controller} don't exist`);
      if (sdn.config.zones.has(id)) throw new SimHttpError(500, `sdn zone object ID '${id}' already defined`);
      const section: SdnSection = { zone: id, type };
      for (const [k, v] of Object.entries(ctx.params)) {
        if (k === 'zone' || k === 'type' || k === 'lock-token' || v === undefined) continue;
        section[k] = typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number);
      }
      sdn.config.zones.set(id, section);
      return null;
    },
  },
  {
    method: 'DELETE',
    path: '/cluster/sdn/zones/{zone}',
    params: { 'lock-token': text, zone: { type: 'string', format: 'pve-sdn-zone-id' } },
    handler(ctx) {
      const sdn = sdnOf(ctx.state);
      const id = String(ctx.params.zone);
      if (!sdn.config.zones.has(id)) throw new SimHttpError(500, `sdn zone '${id}' does not exist`);
      const user = [...sdn.config.vnets.values()].find((v) => v.zone === id);
      if (user) throw new SimHttpError(500, `zone ${id} is used by vnet ${user.vnet}`);
      sdn.config.zones.delete(id);
      return null;
    },
  },
  {
    method: 'DELETE',
    path: '/cluster/sdn/vnets/{vnet}/subnets/{subnet}',
    params: { 'lock-token': text, subnet: { type: 'string', format: 'pve-sdn-subnet-id' }, vnet: { type: 'string', format: 'pve-sdn-vnet-id' } },
    handler(ctx) {
      const sdn = sdnOf(ctx.state);
      const id = String(ctx.params.subnet);
      const subnet = sdn.config.subnets.get(id);
      if (!subnet || subnet.vnet !== ctx.params.vnet) throw new SimHttpError(500, `sdn subnet ID '${id}' does not exist`);
      // the schema leaves this one to the code: "Require 'SDN.Allocate' permission on '/sdn/zones/<zone>/<vnet>'"
      const user = ctx.identity?.user;
      if (user && !ctx.state.access.privileges(user, `/sdn/zones/${subnet.zone}/${subnet.vnet}`).has('SDN.Allocate'))
        throw new SimHttpError(403, `Permission check failed (/sdn/zones/${subnet.zone}/${subnet.vnet}, SDN.Allocate)`);
      sdn.config.subnets.delete(id);
      return null;
    },
  },
];
