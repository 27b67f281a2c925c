// SDN (issue 16): zones, vnets and their subnets under /cluster/sdn, edited in the
// config and applied with PUT /cluster/sdn (a `reloadnetworkall` task), with PVE's
// checks (PVE::API2::Network::SDN::*, the zone plugins' vnet hooks) and its per-object
// permissions where the schema leaves them to the code ("SDN.Allocate on
// /sdn/zones/<zone>/<vnet>"); the rest are checked from the schema.

import { SimHttpError } from './guest-ops';
import { P, ParamError, type ParamSpec } from './params';
import { taskUser, type Route, type RouteContext } from './route-kit';
import { sdnOf, type SdnSection } from './sdn-state';

const ZONE_TYPES = ['evpn', 'faucet', 'qinq', 'simple', 'vlan', 'vxlan'];
const vnetId: ParamSpec = { type: 'string', format: 'pve-sdn-vnet-id' };
const zoneId: ParamSpec = { type: 'string', format: 'pve-sdn-zone-id' };
const subnetId: ParamSpec = { type: 'string', format: 'pve-sdn-subnet-id' };
const lockToken: ParamSpec = { type: 'string', optional: true };
const views = { pending: P.optBool, running: P.optBool };
const alias: ParamSpec = { type: 'string', maxLength: 256, pattern: '(?^i:[\\(\\)-_.\\w\\d\\s]{0,256})', optional: true };
const tag: ParamSpec = { type: 'integer', minimum: 1, maximum: 16777215, optional: true };

/** Throws PVE's 403 unless the caller holds one of `privs` on `path` (root@pam holds all). */
function requirePriv(ctx: RouteContext, path: string, privs: string[]): void {
  if (may(ctx, path, privs)) return;
  throw new SimHttpError(403, `Permission check failed (${path}, ${privs.join('|')})`);
}

function may(ctx: RouteContext, path: string, privs: string[]): boolean {
  const user = ctx.identity?.user;
  if (!user) return true;
  const held = ctx.state.access.privileges(user, path);
  return privs.some((p) => held.has(p));
}

const AUDIT = ['SDN.Audit', 'SDN.Allocate'];

function requireVnet(ctx: RouteContext): SdnSection {
  const vnet = sdnOf(ctx.state).config.vnets.get(String(ctx.params.vnet));
  if (!vnet) throw new SimHttpError(500, `sdn '${ctx.params.vnet}' does not exist`);
  return vnet;
}

/** The zone plugins' vnet checks: a VLAN zone needs a tag ≤ 4096, a simple zone takes none. */
function checkVnetTag(zone: SdnSection, vnetTag: unknown): void {
  if (zone.type === 'vlan' || zone.type === 'qinq') {
    if (vnetTag === undefined) throw new ParamError({ tag: 'missing vlan tag' });
    if (Number(vnetTag) > 4096) throw new ParamError({ tag: 'vlan tag max value is 4096' });
  }
  if (zone.type === 'simple' && vnetTag !== undefined) throw new ParamError({ tag: 'vlan tag is not allowed on simple zone' });
}

/** "10.0.0.0/24" in zone z → "z-10.0.0.0-24", as PVE names subnets. */
function subnetKey(zone: string, cidr: string): string {
  return `${zone}-${cidr.replace('/', '-')}`;
}

export const SDN_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/cluster/sdn',
    params: {},
    handler: () => ['vnets', 'zones', 'controllers', 'ipams', 'dns', 'fabrics'].map((id) => ({ id })),
  },
  {
    method: 'PUT',
    path: '/cluster/sdn',
    params: { 'lock-token': lockToken, 'release-lock': P.optBool },
    handler(ctx) {
      sdnOf(ctx.state).commit();
      const node = [...ctx.state.nodes.values()].find((n) => n.online)?.name ?? 'node1';
      const lines = [...ctx.state.nodes.values()].filter((n) => n.online).map((n) => `${n.name}: reloading network config`);
      return ctx.tasks.start(node, 'reloadnetworkall', '', taskUser(ctx), { begin() {}, finish() {}, lines }).upid;
    },
  },
  {
    method: 'GET',
    path: '/cluster/sdn/zones',
    params: { ...views, type: { type: 'string', enum: ZONE_TYPES, optional: true } },
    handler(ctx) {
      const sdn = sdnOf(ctx.state);
      const list = ctx.params.pending ? sdn.pending('zones', 'zone') : [...(ctx.params.running ? sdn.running : sdn.config).zones.values()].map((z) => ({ ...z }));
      return list.filter((z) => (ctx.params.type === undefined || z.type === ctx.params.type) && may(ctx, `/sdn/zones/${z.zone}`, AUDIT));
    },
  },
  {
    method: 'GET',
    path: '/cluster/sdn/vnets',
    params: views,
    handler(ctx) {
      const sdn = sdnOf(ctx.state);
      const list = ctx.params.pending ? sdn.pending('vnets', 'vnet') : [...(ctx.params.running ? sdn.running : sdn.config).vnets.values()].map((v) => ({ ...v }));
      const zoneOf = (v: Record<string, unknown>) => String(v.zone ?? (v.pending as Record<string, unknown> | undefined)?.zone ?? '');
      return list.filter((v) => may(ctx, `/sdn/zones/${zoneOf(v)}/${v.vnet}`, AUDIT));
    },
  },
  {
    method: 'POST',
    path: '/cluster/sdn/vnets',
    params: { alias, 'isolate-ports': P.optBool, 'lock-token': lockToken, tag, type: { type: 'string', enum: ['vnet'], optional: true }, vlanaware: P.optBool, vnet: vnetId, zone: { type: 'string' } },
    handler(ctx) {
      const sdn = sdnOf(ctx.state);
      const id = String(ctx.params.vnet);
      const zone = sdn.config.zones.get(String(ctx.params.zone));
      if (!zone) throw new SimHttpError(500, `zone '${ctx.params.zone}' does not exist`);
      if (sdn.config.vnets.has(id)) throw new SimHttpError(500, `vnet ID '${id}' already defined`);
      checkVnetTag(zone, ctx.params.tag);
      const section: SdnSection = { vnet: id, type: 'vnet', zone: String(zone.zone) };
      if (ctx.params.tag !== undefined) section.tag = Number(ctx.params.tag);
      if (ctx.params.alias !== undefined) section.alias = String(ctx.params.alias);
      if (ctx.params.vlanaware) section.vlanaware = 1;
      sdn.config.vnets.set(id, section);
      return null;
    },
  },
  {
    method: 'DELETE',
    path: '/cluster/sdn/vnets/{vnet}',
    params: { 'lock-token': lockToken, vnet: vnetId },
    handler(ctx) {
      const sdn = sdnOf(ctx.state);
      const vnet = requireVnet(ctx);
      requirePriv(ctx, `/sdn/zones/${vnet.zone}/${vnet.vnet}`, ['SDN.Allocate']);
      if ([...sdn.config.subnets.values()].some((s) => s.vnet === vnet.vnet)) throw new SimHttpError(500, `Can't delete vnet if subnets exists`);
      sdn.config.vnets.delete(String(vnet.vnet));
      return null;
    },
  },
  {
    method: 'GET',
    path: '/cluster/sdn/vnets/{vnet}/subnets',
    params: { ...views, vnet: vnetId },
    handler(ctx) {
      const vnet = requireVnet(ctx);
      requirePriv(ctx, `/sdn/zones/${vnet.zone}/${vnet.vnet}`, AUDIT);
      const sdn = sdnOf(ctx.state);
      const list = ctx.params.pending ? sdn.pending('subnets', 'subnet') : [...(ctx.params.running ? sdn.running : sdn.config).subnets.values()].map((s) => ({ ...s }));
      return list.filter((s) => (s.vnet ?? (s.pending as Record<string, unknown> | undefined)?.vnet) === vnet.vnet);
    },
  },
  {
    method: 'POST',
    path: '/cluster/sdn/vnets/{vnet}/subnets',
    params: {
      'dhcp-dns-server': { type: 'string', format: 'ip', optional: true },
      'dhcp-range': { type: 'array', optional: true },
      dnszoneprefix: { type: 'string', format: 'dns-name', optional: true },
      gateway: { type: 'string', format: 'ip', optional: true },
      'lock-token': lockToken,
      snat: P.optBool,
      subnet: subnetId,
      type: { type: 'string', enum: ['subnet'] },
      vnet: { type: 'string' },
    },
    handler(ctx) {
      const vnet = requireVnet(ctx);
      requirePriv(ctx, `/sdn/zones/${vnet.zone}/${vnet.vnet}`, ['SDN.Allocate']);
      const cidr = String(ctx.params.subnet);
      const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
      if (!m) throw new ParamError({ subnet: `invalid format - invalid subnet '${cidr}'` });
      const sdn = sdnOf(ctx.state);
      const id = subnetKey(String(vnet.zone), cidr);
      if (sdn.config.subnets.has(id)) throw new SimHttpError(500, `subnet ID '${id}' already defined`);
      const section: SdnSection = { subnet: id, type: 'subnet', vnet: String(vnet.vnet), zone: String(vnet.zone), cidr, network: m[1], mask: m[2] };
      if (ctx.params.gateway !== undefined) section.gateway = String(ctx.params.gateway);
      if (ctx.params.snat) section.snat = 1;
      sdn.config.subnets.set(id, section);
      return null;
    },
  },
];
