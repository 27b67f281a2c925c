// POST /nodes/{node}/qemu and …/lxc as PVE does them: the checks before the
// worker forks (free VMID, storages that take the content, the container
// template exists), then a worker task (qmcreate / vzcreate) that writes the
// configuration under lock "create", allocates the disks, and starts the guest
// when asked. Restoring from a backup archive is not modelled.

import { memoryMiB, setKey } from './config-keys';
import { diskValue } from './config-ops';
import { requireFreeVmid } from './copy-ops';
import { markRunning, SimHttpError } from './guest-ops';
import type { Params } from './params';
import type { ClusterState, ConfigValue, GuestType, SimGuest } from './state';
import type { TaskWork } from './tasks';
import { looseVolume } from './volumes';
import { nicValue } from './nics';

// parameters of the call itself, not configuration the guest keeps
const QEMU_CALL = new Set(['node', 'vmid', 'start', 'storage', 'pool', 'archive', 'force', 'unique', 'bwlimit', 'live-restore', 'ha-managed', 'import-working-storage']);
const LXC_CALL = new Set(['node', 'vmid', 'start', 'storage', 'pool', 'ostemplate', 'password', 'ssh-public-keys', 'restore', 'force', 'unique', 'bwlimit', 'ha-managed', 'ignore-unpack-errors']);
const QEMU_DISK = /^(?:ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$/;
const LXC_DISK = /^(?:rootfs|mp\d+)$/;

function checkMemory(value: ConfigValue | boolean | undefined): void {
  if (value === undefined) return;
  const mib = memoryMiB(value);
  if (Number.isNaN(mib)) throw new SimHttpError(400, 'Parameter verification failed.', { memory: `invalid format - current: type check ('integer') failed - got '${value}'\n` });
  if (mib < 16) throw new SimHttpError(400, 'Parameter verification failed.', { memory: 'invalid format - current: value must have a minimum value of 16\n' });
}

/** The configuration a new guest starts with: what was given, disks allocated, MACs made. */
function newConfig(s: ClusterState, type: GuestType, p: Params): Record<string, ConfigValue> {
  const node = String(p.node);
  const vmid = Number(p.vmid);
  const skip = type === 'qemu' ? QEMU_CALL : LXC_CALL;
  const diskKey = type === 'qemu' ? QEMU_DISK : LXC_DISK;
  const taken = new Set<string>();
  const cfg: Record<string, ConfigValue> = {};
  if (type === 'lxc' && p.rootfs === undefined) p.rootfs = `${p.storage ?? 'local'}:4`;
  for (const [key, raw] of Object.entries(p)) {
    if (skip.has(key)) continue;
    const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
    if (diskKey.test(key)) cfg[key] = diskValue(s, node, vmid, String(value), type === 'lxc', taken);
    else if (/^net\d+$/.test(key)) cfg[key] = nicValue(type, String(value));
    else if (key === 'cipassword') cfg[key] = '**********';
    else cfg[key] = value;
  }
  if (type === 'qemu') {
    cfg.smbios1 ??= `uuid=${crypto.randomUUID()}`;
    cfg.vmgenid ??= crypto.randomUUID();
    cfg.meta = `creation-qemu=8.1.5,ctime=${Math.floor(Date.now() / 1000)}`;
  } else {
    cfg.arch ??= 'amd64';
    cfg.ostype ??= /debian/.test(String(p.ostemplate)) ? 'debian' : /alpine/.test(String(p.ostemplate)) ? 'alpine' : 'unmanaged';
  }
  return cfg;
}

/** The first disk's size: what /cluster/resources reports as maxdisk. */
function bootDiskSize(cfg: Record<string, ConfigValue>, type: GuestType): number {
  const units: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
  const key = type === 'lxc' ? 'rootfs' : Object.keys(cfg).find((k) => QEMU_DISK.test(k) && !/media=cdrom/.test(String(cfg[k])));
  const m = key ? /size=(\d+(?:\.\d+)?)([KMGT])/.exec(String(cfg[key])) : null;
  return m ? Math.round(Number(m[1]) * units[m[2]]) : 0;
}

export function createWork(s: ClusterState, type: GuestType, p: Params): TaskWork {
  const node = String(p.node);
  const vmid = Number(p.vmid);
  if (p.archive !== undefined || p.restore === true) throw new SimHttpError(501, 'restoring from a backup archive is not modelled by the simulator');
  requireFreeVmid(s, vmid);
  if (type === 'qemu') checkMemory(p.memory);
  if (type === 'lxc' && !looseVolume(s, node, String(p.ostemplate))) {
    throw new SimHttpError(500, `volume '${p.ostemplate}' does not exist`);
  }
  const cfg = newConfig(s, type, p);
  let guest: SimGuest | undefined;
  return {
    begin() {
      requireFreeVmid(s, vmid);
      guest = s.addGuest({ vmid, type, node, status: 'stopped', lock: 'create', maxdisk: bootDiskSize(cfg, type), pool: p.pool === undefined ? undefined : String(p.pool), config: { ...cfg } });
      const { memory, cores, name, hostname, tags, sockets, ...rest } = cfg;
      guest.config = rest;
      if (sockets !== undefined) guest.config.sockets = sockets;
      guest.name = String((type === 'qemu' ? name : hostname) ?? `${type === 'qemu' ? 'VM' : 'CT'} ${vmid}`);
      guest.maxmem = memoryMiB(memory ?? 512) * 1024 * 1024;
      setKey(guest, 'cores', cores ?? 1);
      if (tags !== undefined) setKey(guest, 'tags', tags);
    },
    finish() {
      if (!guest) return;
      guest.lock = undefined;
      if (p.start === true) markRunning(guest);
    },
    abort() {
      if (guest) s.removeGuest(guest.vmid);
    },
    lines: Object.entries(cfg)
      .filter(([key]) => (type === 'qemu' ? QEMU_DISK : LXC_DISK).test(key))
      .filter(([, v]) => !/media=cdrom/.test(String(v)))
      .map(([key, v]) => `${key}: successfully created disk '${String(v)}'`),
  };
}
