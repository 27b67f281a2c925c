// The simulated cluster: nodes, storage, guests (qemu/lxc) with their configs,
// snapshot trees and locks. Tests read and mutate it directly; every API answer
// is computed from it, so a change shows up on the next request.

import { AccessState } from './access-state';

export type GuestType = 'qemu' | 'lxc';
export type ConfigValue = string | number;

export interface SimSnapshot {
  name: string;
  description: string;
  /** seconds since the epoch */
  snaptime: number;
  /** volume holding the RAM state (qemu only), e.g. local-lvm:vm-100-state-snap1 */
  vmstate?: string;
  parent?: string;
  /** the guest configuration frozen with the snapshot */
  config: Record<string, ConfigValue>;
}

export interface SimGuest {
  vmid: number;
  type: GuestType;
  node: string;
  name: string;
  status: 'running' | 'stopped';
  /** qemu only: QMP run state (running, paused, …) */
  qmpstatus?: 'running' | 'paused' | 'prelaunch';
  /** lxc only: frozen by status/suspend (PVE still reports it running) */
  frozen?: boolean;
  template: boolean;
  tags?: string;
  lock?: string;
  pool?: string;
  maxmem: number;
  maxcpu: number;
  maxdisk: number;
  /** lxc: used root disk bytes; qemu reports 0 like real PVE */
  disk: number;
  /** ms timestamp when the guest was started (uptime is derived) */
  startedAt?: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
  /** remaining configuration keys (cores, memory, net0, scsi0/rootfs, ostype, …) */
  config: Record<string, ConfigValue>;
  snapshots: Map<string, SimSnapshot>;
  /** the snapshot the current state derives from (`parent` of the `current` pseudo-entry) */
  parent?: string;
  /** bumped on every config change, used for `digest` */
  configVersion: number;
  /** changes a running guest takes at its next start (the config file's [PENDING] section) */
  pending?: Record<string, ConfigValue>;
  /** keys to remove at the next start */
  pendingDelete?: string[];
  /** the config file lock a worker holds (a clone copying from this guest): other writers time out on it */
  fileLocked?: boolean;
}

export interface SimNode {
  name: string;
  nodeid: number;
  ip: string;
  online: boolean;
  maxcpu: number;
  maxmem: number;
  mem: number;
  maxdisk: number;
  disk: number;
  bootedAt: number;
  sslFingerprint: string;
  cpuModel: string;
  /** HA node maintenance, as `ha-manager crm-command node-maintenance enable <node>` sets it (no API call does) */
  haMaintenance?: boolean;
  /** the node's notes (PUT /nodes/{node}/config description) */
  description?: string;
  /** node config `wakeonlan` ("mac=…[,bind-interface=…]"): what POST /nodes/{node}/wakeonlan needs */
  wakeonlan?: string;
}

export interface SimStorage {
  node: string;
  storage: string;
  plugintype: string;
  content: string;
  disk: number;
  maxdisk: number;
  shared: boolean;
}

/** A volume no guest configuration names: an ISO, a container template, a disk left behind. */
export interface SimVolume {
  volid: string;
  node: string;
  content: 'iso' | 'vztmpl' | 'images' | 'rootdir';
  format: string;
  size: number;
  vmid?: number;
  ctime: number;
}

/** A network interface of a node, as GET /nodes/{node}/network lists it. */
export interface SimInterface {
  node: string;
  iface: string;
  type: 'bridge' | 'bond' | 'eth' | 'vlan' | 'OVSBridge' | 'OVSBond' | 'OVSPort' | 'OVSIntPort';
  bridge_ports?: string;
  bridge_vlan_aware?: number;
  cidr?: string;
  gateway?: string;
  comments?: string;
  mtu?: number;
  autostart?: number;
  /** bonds: their NICs and mode */
  slaves?: string;
  bond_mode?: string;
  'bond-primary'?: string;
  bond_xmit_hash_policy?: string;
  /** VLANs named other than <device>.<tag> */
  'vlan-id'?: number;
  'vlan-raw-device'?: string;
}

export class ClusterState {
  /** users, groups and the ACL (access-state.ts) */
  access = new AccessState('root@pam');
  /** null for a standalone node (no corosync cluster) */
  clusterName: string | null = 'pve-cluster';
  readonly nodes = new Map<string, SimNode>();
  readonly guests = new Map<number, SimGuest>();
  readonly storage: SimStorage[] = [];
  /** volumes beside the guests' own (those are read from their configurations) */
  readonly looseVolumes: SimVolume[] = [];
  readonly interfaces: SimInterface[] = [];
  version = { version: '8.2.4', release: '8.2', repoid: 'faa83925c9641325' };
  /** datacenter.cfg max_workers (unset by default: migrateall then needs its maxworkers parameter) */
  maxWorkers?: number;
  /** how long a node's reboot keeps it offline, and how long before it goes down after the command */
  nodeRebootMs = 1500;
  nodeGoesDownMs = 200;

  node(name: string): SimNode | undefined {
    return this.nodes.get(name);
  }

  guest(vmid: number): SimGuest | undefined {
    return this.guests.get(vmid);
  }

  addNode(partial: Partial<SimNode> & { name: string }): SimNode {
    const n = this.nodes.size + 1;
    const node: SimNode = {
      nodeid: n,
      ip: `192.168.1.${n}`,
      online: true,
      maxcpu: 8,
      maxmem: 65919459328,
      mem: 2113265664,
      maxdisk: 951055941632,
      disk: 10486546432,
      bootedAt: Date.now() - 872854_000,
      sslFingerprint: fakeFingerprint(partial.name),
      cpuModel: 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz',
      ...partial,
    };
    this.nodes.set(node.name, node);
    return node;
  }

  addGuest(partial: Partial<SimGuest> & { vmid: number; type: GuestType; node: string }): SimGuest {
    if (this.guests.has(partial.vmid)) throw new Error(`VM ${partial.vmid} already exists`);
    const isQemu = partial.type === 'qemu';
    const guest: SimGuest = {
      name: `${isQemu ? 'VM' : 'CT'} ${partial.vmid}`,
      status: 'stopped',
      template: false,
      maxmem: isQemu ? 2147483648 : 536870912,
      maxcpu: isQemu ? 2 : 1,
      maxdisk: isQemu ? 34359738368 : 8589934592,
      disk: 0,
      netin: 0,
      netout: 0,
      diskread: 0,
      diskwrite: 0,
      config: {},
      snapshots: new Map(),
      configVersion: 1,
      ...partial,
    };
    if (isQemu && guest.qmpstatus === undefined) guest.qmpstatus = guest.status === 'running' ? 'running' : undefined;
    if (guest.status === 'running' && guest.startedAt === undefined) guest.startedAt = Date.now() - 3600_000;
    if (Object.keys(guest.config).length === 0) guest.config = defaultConfig(guest);
    this.guests.set(guest.vmid, guest);
    return guest;
  }

  removeGuest(vmid: number): boolean {
    return this.guests.delete(vmid);
  }

  /** The guest's full configuration as `GET …/config` returns it. */
  guestConfig(g: SimGuest): Record<string, ConfigValue> {
    const cfg: Record<string, ConfigValue> = { ...g.config };
    if (g.type === 'qemu') {
      cfg.name = g.name;
      cfg.memory = String(Math.round(g.maxmem / 1048576));
    } else {
      cfg.hostname = g.name;
      cfg.memory = Math.round(g.maxmem / 1048576);
    }
    cfg.cores = Math.max(1, Math.round(g.maxcpu / socketsOf(g)));
    if (g.tags) cfg.tags = g.tags;
    if (g.template) cfg.template = 1;
    if (g.lock) cfg.lock = g.lock;
    if (g.parent) cfg.parent = g.parent;
    cfg.digest = digest(g);
    return cfg;
  }

  /** Puts a snapshot's frozen configuration back into the guest. */
  restoreConfig(g: SimGuest, snap: SimSnapshot): void {
    const { name, hostname, memory, cores, tags, digest: _d, ...rest } = snap.config;
    void _d;
    const label = g.type === 'qemu' ? name : hostname;
    if (typeof label === 'string') g.name = label;
    if (memory !== undefined) g.maxmem = Number(memory) * 1048576;
    g.tags = typeof tags === 'string' ? tags : undefined;
    for (const key of ['description', 'snaptime', 'vmstate', 'parent', 'runningmachine', 'runningcpu', 'lock', 'template']) delete rest[key];
    g.config = rest;
    // the frozen configuration has no pending section: what waited is gone with the rollback
    g.pending = undefined;
    g.pendingDelete = undefined;
    if (cores !== undefined) g.maxcpu = Number(cores) * socketsOf(g);
    g.configVersion++;
  }
}

/** qemu: cores × sockets is what the guest sees (maxcpu); lxc has no sockets. */
export function socketsOf(g: SimGuest): number {
  return g.type === 'qemu' ? Math.max(1, Number(g.config.sockets ?? 1) || 1) : 1;
}

function defaultConfig(g: SimGuest): Record<string, ConfigValue> {
  const mac = `BC:24:11:${hex2(g.vmid >> 16)}:${hex2(g.vmid >> 8)}:${hex2(g.vmid)}`;
  const sizeG = Math.round(g.maxdisk / 1073741824);
  // a template's disks are base volumes, which linked clones build on
  const volume = `${g.template ? 'base' : 'vm'}-${g.vmid}`;
  if (g.type === 'qemu') {
    return {
      sockets: 1,
      ostype: 'l26',
      boot: 'order=scsi0;ide2;net0',
      scsihw: 'virtio-scsi-pci',
      scsi0: `local-lvm:${volume}-disk-0,size=${sizeG}G`,
      ide2: 'none,media=cdrom',
      net0: `virtio=${mac},bridge=vmbr0,firewall=1`,
      numa: 0,
      smbios1: `uuid=${fakeUuid(g.vmid)}`,
      vmgenid: fakeUuid(g.vmid + 7),
      meta: 'creation-qemu=8.1.5,ctime=1709753281',
    };
  }
  return {
    arch: 'amd64',
    ostype: 'debian',
    rootfs: `local-lvm:${volume}-disk-0,size=${sizeG}G`,
    swap: 512,
    net0: `name=eth0,bridge=vmbr0,firewall=1,hwaddr=${mac},ip=dhcp,type=veth`,
    unprivileged: 1,
    features: 'nesting=1',
  };
}

function hex2(n: number): string {
  return (n & 0xff).toString(16).toUpperCase().padStart(2, '0');
}

function fakeUuid(seed: number): string {
  const h = (seed * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${h}-${h.slice(0, 4)}-4${h.slice(1, 4)}-8${h.slice(5, 8)}-${h}${h.slice(0, 4)}`;
}

function fakeFingerprint(name: string): string {
  let x = 0;
  for (const c of name) x = (x * 31 + c.charCodeAt(0)) >>> 0;
  const bytes: string[] = [];
  for (let i = 0; i < 32; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes.push(hex2(x >>> 16));
  }
  return bytes.join(':');
}

export function digest(g: SimGuest): string {
  let x = g.vmid * 40503 + g.configVersion * 2654435761;
  let out = '';
  for (let i = 0; i < 5; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out;
}
