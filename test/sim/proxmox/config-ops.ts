// PUT/POST …/config as PVE's update_vm_api and pct's update_pct_config do it:
// the config lock, the digest (a stale one is refused with PVE's own words), the
// memory rules (balloon ≤ memory; 0 switches ballooning off), and for a running
// guest what takes effect at once (hot-plug) and what waits for its next start
// (pending). New disks (STORAGE:SIZE) are allocated as on create.

import { addPending, addPendingDelete, currentValue, deleteKey, memoryMiB, revertPending, setKey } from './config-keys';
import { checkFileLock, label, SimHttpError } from './guest-ops';
import type { Params } from './params';
import { digest, type ClusterState, type ConfigValue, type SimGuest } from './state';
import { allocateDisk, sizeOption } from './volumes';
import { nicValue } from './nics';
import { deleteDiskKey, reattachUnused } from './disk-detach';

export const STALE_DIGEST = 'detected modified configuration - file changed by other user? Try again.';
export const BALLOON_TOO_LARGE = 'balloon value too large (must be smaller than assigned memory)';

/** Not configuration: the call's own parameters. */
const CALL_PARAMS = new Set(['node', 'vmid', 'digest', 'delete', 'revert', 'skiplock', 'force', 'background_delay']);
// PVE's $fast_plug_option: written at once even while the VM runs
const QEMU_FAST_PLUG = new Set(['name', 'onboot', 'shares', 'startup', 'description', 'protection', 'vmstatestorage', 'hookscript', 'tags']);
// cgroup limits qemu-server changes on the running process (vmconfig_hotplug_pending)
const QEMU_CGROUP = new Set(['cpulimit', 'cpuunits']);
// cgroup limits and plain options a running container takes at once
const LXC_LIVE = new Set(['hostname', 'memory', 'swap', 'cores', 'cpulimit', 'cpuunits', 'description', 'onboot', 'tags', 'protection', 'startup']);
const QEMU_DISK = /^(?:ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$/;
const LXC_DISK = /^(?:rootfs|mp\d+)$/;

export function splitList(value: unknown): string[] {
  return value === undefined ? [] : String(value).split(/[,;\s]+/).filter(Boolean);
}

/** The checks PVE makes under the config lock before it changes anything. */
function checkUpdate(g: SimGuest, p: Params, deleted: string[]): void {
  checkFileLock(g);
  if (g.lock && p.skiplock !== true) throw new SimHttpError(500, `${label(g)} is locked (${g.lock})`);
  if (p.digest !== undefined && p.digest !== '' && p.digest !== digest(g)) throw new SimHttpError(500, STALE_DIGEST);
  for (const key of deleted) {
    if (key in p) throw new SimHttpError(400, 'Parameter verification failed.', { delete: `you can't use '-${key}' and '-delete ${key}' at the same time` });
  }
  if (g.type === 'qemu' && (p.memory !== undefined || p.balloon !== undefined)) {
    const maxmem = memoryMiB(p.memory ?? g.pending?.memory ?? currentValue(g, 'memory') ?? 2048);
    const balloon = p.balloon !== undefined ? Number(p.balloon) : Number(g.pending?.balloon ?? g.config.balloon ?? 0);
    if (balloon && balloon > maxmem) throw new SimHttpError(500, BALLOON_TOO_LARGE);
  }
}

/** Whether a running guest takes this change now. */
function takesLive(g: SimGuest, key: string, value: ConfigValue | undefined): boolean {
  if (g.type === 'lxc') return LXC_LIVE.has(key);
  if (QEMU_FAST_PLUG.has(key) || QEMU_CGROUP.has(key)) return true;
  if (key === 'balloon') return value !== undefined && Number(value) !== 0 && Number(g.config.balloon ?? 1) !== 0;
  // qemu_memory_hotplug also needs NUMA ("NUMA needs to be enabled for memory hotplug"): without it the change stays pending
  if (key === 'memory') return splitList(g.config.hotplug ?? 'network,disk,usb').includes('memory') && Number(g.config.numa ?? 0) === 1;
  if (/^(?:ide|sata|scsi)\d+$/.test(key) && /media=cdrom/.test(String(value ?? g.config[key] ?? ''))) return true;
  // an unused volume is no device; scsi and virtio disks hot-plug where hotplug has `disk` (qemu-server's vm_deviceplug/unplug)
  if (/^unused\d+$/.test(key)) return true;
  if (/^(?:scsi|virtio)\d+$/.test(key)) return splitList(g.config.hotplug ?? 'network,disk,usb').includes('disk');
  return false;
}

/** Applies PUT/POST …/config; returns the keys that went to pending. */
export function updateConfig(s: ClusterState, g: SimGuest, p: Params): string[] {
  const deleted = splitList(p.delete);
  checkUpdate(g, p, deleted);
  const running = g.status === 'running';
  const deferred: string[] = [];
  if (p.revert !== undefined) revertPending(g, splitList(p.revert));
  for (const key of deleted) {
    if (running && !takesLive(g, key, undefined)) {
      addPendingDelete(g, key);
      deferred.push(key);
    } else if (!deleteDiskKey(s, g, key, p.force === true)) deleteKey(g, key);
  }
  const taken = new Set<string>();
  for (const [key, raw] of Object.entries(p)) {
    if (CALL_PARAMS.has(key)) continue;
    const value = newValue(s, g, key, raw, taken);
    if (running && !takesLive(g, key, value)) {
      addPending(g, key, value);
      deferred.push(key);
    } else {
      setKey(g, key, value);
      if (g.pending) delete g.pending[key];
    }
  }
  return deferred;
}

/** The value written for a key: a new disk allocated, a NIC's MAC made, a password hidden as PVE hides it. */
function newValue(s: ClusterState, g: SimGuest, key: string, raw: ConfigValue | boolean, taken: Set<string>): ConfigValue {
  const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
  if (key === 'cipassword') return '**********';
  const isDisk = g.type === 'qemu' ? QEMU_DISK.test(key) : LXC_DISK.test(key);
  if (isDisk) return reattachUnused(s, g, diskValue(s, g.node, g.vmid, String(value), g.type === 'lxc', taken));
  if (/^net\d+$/.test(key)) return nicValue(g.type, String(value));
  return value;
}

/** "local-zfs:32,discard=on" → a new volume; "local:iso/x.iso,media=cdrom" and existing volids stay as given. */
export function diskValue(s: ClusterState, node: string, vmid: number, value: string, container: boolean, taken: Set<string>): string {
  const [file, ...opts] = value.split(',');
  const alloc = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(\d+(?:\.\d+)?)$/i.exec(file);
  if (alloc && !opts.some((o) => o === 'media=cdrom')) {
    const { volid, size } = allocateDisk(s, node, vmid, alloc[1], Number(alloc[2]), container, taken);
    return [volid, ...opts.filter((o) => !o.startsWith('size=')), `size=${sizeOption(size)}`].join(',');
  }
  const cloudinit = /^([a-z][a-z0-9\-_.]*[a-z0-9]):cloudinit$/i.exec(file);
  if (cloudinit) return `${cloudinit[1]}:vm-${vmid}-cloudinit,media=cdrom`;
  return value;
}

/** GET …/config without current=1: the pending values in place of the current ones. */
export function withPending(g: SimGuest, cfg: Record<string, ConfigValue>): Record<string, ConfigValue> {
  const out = { ...cfg, ...(g.pending ?? {}) };
  for (const key of g.pendingDelete ?? []) delete out[key];
  return out;
}

/** GET …/pending: every key with its value, its pending value, or its pending removal. */
export function pendingList(g: SimGuest, cfg: Record<string, ConfigValue>): Array<Record<string, string | number>> {
  const keys = new Set([...Object.keys(cfg), ...Object.keys(g.pending ?? {}), ...(g.pendingDelete ?? [])]);
  keys.delete('digest');
  return [...keys].sort().map((key) => ({
    key,
    ...(cfg[key] !== undefined ? { value: String(cfg[key]) } : {}),
    ...(g.pending?.[key] !== undefined ? { pending: String(g.pending[key]) } : {}),
    ...((g.pendingDelete ?? []).includes(key) ? { delete: 1 } : {}),
  }));
}
