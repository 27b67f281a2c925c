// Copies of a guest, as PVE makes them: a clone (of the current state or of a
// snapshot's frozen configuration) into a new VMID, and the conversion of a
// stopped guest without snapshots into a template. What PVE checks before it
// forks the worker throws SimHttpError (HTTP 500); the clone's configuration is
// written at once with lock "clone", so the VMID is taken while it copies.
// A template is cloned linked unless `full` is asked (its disks stay the new
// guest's base: base-<template>-disk-<n>/vm-<new>-disk-<n>); anything else only in full.

import { randomUUID } from 'node:crypto';
import { label, SimHttpError } from './guest-ops';
import { socketsOf, type ClusterState, type ConfigValue, type SimGuest } from './state';
import type { TaskWork } from './tasks';

export interface CloneRequest {
  newid: number;
  snapname?: string;
  name?: string;
  description?: string;
  target?: string;
  pool?: string;
  storage?: string;
  /** absent: linked for a template, full otherwise (PVE's default) */
  full?: boolean;
}

// keys of a snapshot's frozen configuration that belong to the snapshot, not to a guest
const SNAPSHOT_ONLY = ['snaptime', 'vmstate', 'parent', 'runningmachine', 'runningcpu', 'snapstate', 'lock', 'digest', 'template'];

/** check_vmid_unused: the VMID must be free in the whole cluster. */
export function requireFreeVmid(s: ClusterState, vmid: number): void {
  const taken = s.guest(vmid);
  if (taken) throw new SimHttpError(500, `${label(taken)} ${vmid} already exists on node '${taken.node}'`);
}

export function cloneWork(s: ClusterState, source: SimGuest, req: CloneRequest): TaskWork {
  if (source.lock) throw new SimHttpError(500, `${label(source)} is locked (${source.lock})`);
  const snap = req.snapname === undefined ? undefined : source.snapshots.get(req.snapname);
  if (req.snapname !== undefined && !snap) throw new SimHttpError(500, `snapshot '${req.snapname}' does not exist`);
  if (source.type === 'lxc' && source.status === 'running' && !snap && !source.template) {
    throw new SimHttpError(500, 'Cannot do full clones on a running container without snapshots');
  }
  if (req.target !== undefined && !s.node(req.target)) throw new SimHttpError(500, `no such cluster node '${req.target}'`);
  requireFreeVmid(s, req.newid);
  const full = req.full ?? !source.template;
  if (!full) checkLinkedClone(source, req);
  const frozen: Record<string, ConfigValue> = snap ? { ...snap.config } : s.guestConfig(source);
  const fromStorage = /^([^:]+):/;
  let copy: SimGuest | undefined;
  return {
    begin() {
      copy = s.addGuest({
        vmid: req.newid,
        type: source.type,
        node: req.target ?? source.node,
        status: 'stopped',
        maxdisk: source.maxdisk,
        disk: source.disk,
        pool: req.pool,
        lock: 'clone',
      });
      // the source's config file stays locked while its disks are copied
      source.fileLocked = true;
      s.restoreConfig(copy, { name: '', description: '', snaptime: 0, config: frozen });
      copy.config = copiedConfig(frozen, source.vmid, req.newid, req.storage, full);
      if (frozen.cores !== undefined) copy.maxcpu = Number(frozen.cores) * socketsOf(copy);
      const description = req.description ?? frozen.description;
      if (description !== undefined && description !== '') copy.config.description = description;
      copy.name = req.name ?? (source.type === 'qemu' ? `Copy-of-VM-${source.name}` : source.name);
    },
    finish() {
      source.fileLocked = false;
      if (copy) copy.lock = undefined;
    },
    abort() {
      source.fileLocked = false;
      if (copy) s.removeGuest(copy.vmid);
    },
    lines: Object.entries(frozen)
      .filter(([key, value]) => /^(?:scsi|virtio|sata|ide|efidisk|tpmstate)\d+$|^rootfs$|^mp\d+$/.test(key) && typeof value === 'string' && fromStorage.test(value) && !/media=cdrom/.test(value))
      .map(([key, value]) => `create ${full ? 'full' : 'linked'} clone of ${source.type === 'qemu' ? 'drive' : 'mountpoint'} ${key} (${String(value).split(',')[0]})`),
  };
}

/** PVE's checks before a linked clone: only of a template, onto the template's own storage. */
function checkLinkedClone(source: SimGuest, req: CloneRequest): void {
  if (req.storage !== undefined) throw new SimHttpError(500, "parameter 'storage' not allowed for linked clones");
  if (source.template) return;
  const disk = Object.entries(source.config).find(([key, value]) => /^(?:scsi|virtio|sata|ide)\d+$|^rootfs$/.test(key) && !/media=cdrom|^none/.test(String(value)));
  if (source.type === 'qemu') throw new SimHttpError(500, `linked clone feature is not supported for drive '${disk?.[0] ?? 'scsi0'}'`);
  throw new SimHttpError(500, `Linked clone feature for '${String(disk?.[1] ?? '').split(',')[0]}' is not available`);
}

/** The clone's own configuration: the snapshot's keys dropped, disks and MACs its own, a new SMBIOS UUID. */
function copiedConfig(frozen: Record<string, ConfigValue>, fromId: number, toId: number, storage: string | undefined, full: boolean): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  const mac = () => `BC:24:11:${[0, 0, 0].map(() => Math.floor(Math.random() * 256).toString(16).toUpperCase().padStart(2, '0')).join(':')}`;
  for (const [key, value] of Object.entries(frozen)) {
    if (SNAPSHOT_ONLY.includes(key) || ['name', 'hostname', 'memory', 'cores', 'tags', 'description'].includes(key)) continue;
    let v = value;
    if (typeof v === 'string') {
      v = full
        ? v.replace(/base-\d+-disk-\d+\//g, '').replace(new RegExp(`(?:vm|base|subvol)-${fromId}-disk-(\\d+)`, 'g'), (m, n: string) => `${m.startsWith('subvol') ? 'subvol' : 'vm'}-${toId}-disk-${n}`)
        : v.replace(new RegExp(`(?<![/\\w-])(base-${fromId}-disk-(\\d+))`, 'g'), `$1/vm-${toId}-disk-$2`);
      if (storage) v = v.replace(/^[^:,=]+:(vm-\d+-disk-\d+)/, `${storage}:$1`);
      if (/^net\d+$/.test(key)) v = v.replace(/([0-9A-F]{2}:){5}[0-9A-F]{2}/i, mac());
      if (key === 'smbios1') v = v.replace(/uuid=[0-9a-f-]+/i, `uuid=${randomUUID()}`);
      if (key === 'vmgenid') v = randomUUID();
    }
    out[key] = v;
  }
  return out;
}

/** POST …/template: PVE's checks, then the template flag (qemu in a worker, lxc at once). */
export function checkTemplateConversion(g: SimGuest): void {
  if (g.lock) throw new SimHttpError(500, `${label(g)} is locked (${g.lock})`);
  if (g.snapshots.size) throw new SimHttpError(500, `unable to create template, because ${label(g)} contains snapshots`);
  if (g.template) throw new SimHttpError(500, "you can't convert a template to a template");
  if (g.status === 'running') {
    throw new SimHttpError(500, g.type === 'qemu' ? "you can't convert a VM to template if VM is running" : "you can't convert a CT to template if the CT is running");
  }
}

export function makeTemplate(g: SimGuest): void {
  g.template = true;
  for (const [key, value] of Object.entries(g.config)) {
    if (typeof value === 'string') g.config[key] = value.replace(new RegExp(`\\bvm-${g.vmid}-disk-`, 'g'), `base-${g.vmid}-disk-`);
  }
  g.configVersion++;
}

export function templateWork(g: SimGuest): TaskWork {
  return {
    begin() {
      if (g.lock) throw new Error(`${label(g)} is locked (${g.lock})`);
      if (g.status === 'running') throw new Error(`you can't convert a VM to template if VM is running`);
    },
    finish: () => makeTemplate(g),
    lines: [`  Renamed "vm-${g.vmid}-disk-0" to "base-${g.vmid}-disk-0" in volume group "pve"`],
  };
}

/** GET /cluster/nextid: the lowest free VMID from 100 (datacenter.cfg next-id default). */
export function nextFreeVmid(s: ClusterState): number {
  for (let id = 100; id < 1_000_000; id++) if (!s.guest(id)) return id;
  throw new SimHttpError(500, 'unable to get any free VMID in range [100, 1000000]');
}
