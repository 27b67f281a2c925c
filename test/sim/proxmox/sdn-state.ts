// The cluster's SDN configuration as PVE keeps it: the edited sections in
// /etc/pve/sdn/{zones,vnets,subnets}.cfg and the running copy (.running-config) that
// PUT /cluster/sdn commits. Reads give the edited config; `running=1` the running one;
// `pending=1` both merged as PVE::Network::SDN::pending_config does: an object only in
// the config is `new` (its values under `pending`), only running is `deleted`, different
// is `changed` (running values at the top, the new ones under `pending`).

import type { ClusterState } from './state';

export type SdnSection = Record<string, string | number>;

export interface SdnConfig {
  zones: Map<string, SdnSection>;
  vnets: Map<string, SdnSection>;
  /** by subnet id ("zone-10.0.0.0-24") */
  subnets: Map<string, SdnSection>;
}

export type SdnKind = keyof SdnConfig;

const copy = (c: SdnConfig): SdnConfig => ({
  zones: new Map([...c.zones].map(([k, v]) => [k, { ...v }])),
  vnets: new Map([...c.vnets].map(([k, v]) => [k, { ...v }])),
  subnets: new Map([...c.subnets].map(([k, v]) => [k, { ...v }])),
});

export class SdnState {
  config: SdnConfig = { zones: new Map(), vnets: new Map(), subnets: new Map() };
  running: SdnConfig = copy(this.config);
  /** bumped on every committed change, for `digest` */
  version = 1;

  /** PUT /cluster/sdn: the edited config becomes the running one. */
  commit(): void {
    this.running = copy(this.config);
    this.version++;
  }

  /** GET …?pending=1: every object of either copy, with its state. */
  pending(kind: SdnKind, idKey: string): Array<Record<string, unknown>> {
    const cfg = this.config[kind];
    const run = this.running[kind];
    const out: Array<Record<string, unknown>> = [];
    for (const [id, r] of run) if (!cfg.has(id)) out.push({ ...r, state: 'deleted' });
    for (const [id, c] of cfg) {
      const r = run.get(id);
      if (!r) {
        const { [idKey]: _id, type, ...rest } = c;
        out.push({ [idKey]: id, type, state: 'new', pending: rest });
        continue;
      }
      const changed = Object.fromEntries(Object.entries(c).filter(([k, v]) => r[k] !== v));
      const removed = Object.keys(r).filter((k) => !(k in c));
      out.push(Object.keys(changed).length || removed.length ? { ...r, state: 'changed', pending: changed } : { ...r });
    }
    return out.sort((a, b) => String(a[idKey]).localeCompare(String(b[idKey])));
  }
}

const states = new WeakMap<ClusterState, SdnState>();

/** The cluster's SDN (none configured until a test or a call adds it). */
export function sdnOf(state: ClusterState): SdnState {
  let s = states.get(state);
  if (!s) states.set(state, (s = new SdnState()));
  return s;
}

/** A VLAN zone on vmbr0 and a simple zone, with one vnet each, applied: what a lab cluster often has. */
export function seedSdn(state: ClusterState): void {
  const sdn = sdnOf(state);
  sdn.config.zones.set('lab', { zone: 'lab', type: 'vlan', bridge: 'vmbr0', ipam: 'pve' });
  sdn.config.zones.set('isolated', { zone: 'isolated', type: 'simple', ipam: 'pve' });
  sdn.config.vnets.set('labnet', { vnet: 'labnet', type: 'vnet', zone: 'lab', tag: 30 });
  sdn.config.vnets.set('privnet', { vnet: 'privnet', type: 'vnet', zone: 'isolated' });
  sdn.config.subnets.set('isolated-10.50.0.0-24', { subnet: 'isolated-10.50.0.0-24', type: 'subnet', vnet: 'privnet', zone: 'isolated', cidr: '10.50.0.0/24', network: '10.50.0.0', mask: '24', gateway: '10.50.0.1' });
  sdn.commit();
}
