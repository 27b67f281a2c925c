// A PVE guest configuration read as the Properties dialog shows it: memory and
// its balloon minimum, cores × sockets, disks, NICs, the CD drive, boot order,
// start at boot, tags, notes, and the digest as the revision. Pure functions.

import type { GuestDisk, GuestNic, GuestProperties, MemoryConfig } from '../../../../shared/guests';
import type { PveConfig } from './guest-answers';
import { splitTags, type GuestType } from './model-map';

export const MiB = 1024 * 1024;
const UNITS: Record<string, number> = { K: 1024, M: MiB, G: 1024 ** 3, T: 1024 ** 4 };

export const QEMU_DRIVE = /^(?:ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$|^unused\d+$/;
export const LXC_VOLUME = /^(?:rootfs|mp\d+|unused\d+)$/;

/** "local-lvm:vm-100-disk-0,size=32G,discard=on" → the volume and its options. */
export function splitDrive(value: string | number): { file: string; options: Record<string, string> } {
  const [file, ...rest] = String(value).split(',');
  const options: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq > 0) options[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { file: file ?? '', options };
}

export function sizeBytes(size: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT])?$/.exec(size ?? '');
  return m ? Math.round(Number(m[1]) * (m[2] ? UNITS[m[2]] : 1)) : 0;
}

export const isCdrom = (value: string | number) => splitDrive(value).options.media === 'cdrom';
const isCloudInit = (value: string | number) => /(?:^|[:/])vm-\d+-cloudinit\b/.test(splitDrive(value).file);

/** PVE 8's memory option: "[current=]<MiB>"; 512 MiB when unset (the schema's default). */
export function memoryMiB(value: string | number | undefined): number {
  const m = /^(?:current=)?(\d+)$/.exec(String(value ?? '512').trim());
  return m ? Number(m[1]) : 512;
}

/**
 * Proxmox memory: `memory` is what the VM may grow to; `balloon` the least the balloon
 * driver leaves it (absent = memory: no range; 0 = ballooning off). Containers have no balloon.
 */
export function memoryOf(type: GuestType, cfg: PveConfig): MemoryConfig {
  const sizeBytes = memoryMiB(cfg.memory) * MiB;
  if (type === 'lxc') return { sizeBytes };
  const balloon = cfg.balloon === undefined ? undefined : Number(cfg.balloon);
  if (balloon === 0) return { sizeBytes };
  return { sizeBytes, dynamicMinBytes: balloon === undefined ? sizeBytes : balloon * MiB, dynamicMaxBytes: sizeBytes };
}

export function vcpusOf(type: GuestType, cfg: PveConfig): number | undefined {
  if (type === 'lxc') return cfg.cores === undefined ? undefined : Number(cfg.cores);
  if (cfg.vcpus !== undefined) return Number(cfg.vcpus);
  return Number(cfg.cores ?? 1) * Number(cfg.sockets ?? 1);
}

export function disksOf(type: GuestType, cfg: PveConfig): GuestDisk[] {
  const keyRe = type === 'qemu' ? QEMU_DRIVE : LXC_VOLUME;
  return Object.keys(cfg)
    .filter((key) => keyRe.test(key) && !isCdrom(cfg[key]) && !/^(?:none|cdrom)$/.test(splitDrive(cfg[key]).file))
    .sort(deviceOrder)
    .map((key) => {
      const { file, options } = splitDrive(cfg[key]);
      const colon = file.indexOf(':');
      return {
        id: file,
        name: colon > 0 ? file.slice(colon + 1) : file,
        sizeBytes: sizeBytes(options.size),
        ...(colon > 0 ? { storageName: file.slice(0, colon) } : {}),
        device: key,
      };
    });
}

export function nicsOf(type: GuestType, cfg: PveConfig): GuestNic[] {
  return Object.keys(cfg)
    .filter((key) => /^net\d+$/.test(key))
    .sort(deviceOrder)
    .map((key) => {
      const { file, options } = splitDrive(cfg[key]);
      // qemu: "virtio=BC:24:11:…" first; lxc: name=eth0,hwaddr=…
      const mac = type === 'qemu' ? file.split('=')[1] : options.hwaddr;
      const ip = type === 'lxc' && options.ip && !/^(?:dhcp|manual)$/.test(options.ip) ? [options.ip.replace(/\/\d+$/, '')] : [];
      return { id: key, networkName: options.bridge ?? (type === 'qemu' ? 'user (NAT)' : ''), ...(mac ? { mac } : {}), ...(ip.length ? { ips: ip } : {}), device: key };
    });
}

/** The CD/DVD drive of a VM (not the cloud-init drive): its key and what is in it. */
export function cdDriveOf(cfg: PveConfig): { key: string; isoId: string | null } | undefined {
  const key = Object.keys(cfg)
    .filter((k) => /^(?:ide|sata|scsi)\d+$/.test(k) && isCdrom(cfg[k]) && !isCloudInit(cfg[k]))
    .sort(deviceOrder)[0];
  if (!key) return undefined;
  const file = splitDrive(cfg[key]).file;
  return { key, isoId: file === 'none' || file === 'cdrom' || file === '' ? null : file };
}

/** PVE's boot option ("order=scsi0;ide2;net0", or the legacy "cdn") in device words. */
export function bootOrderOf(cfg: PveConfig): string[] | undefined {
  const boot = cfg.boot === undefined ? undefined : String(cfg.boot);
  if (boot === undefined) return undefined;
  const order = /(?:^|,)order=([^,]*)/.exec(boot)?.[1];
  const words = order
    ? order.split(';').map((device) => (/^net\d+$/.test(device) ? 'network' : cfg[device] !== undefined && isCdrom(cfg[device]) ? 'cd' : 'disk'))
    : [...boot.replace(/,.*/, '')].map((c) => ({ c: 'disk', d: 'cd', n: 'network' })[c] ?? '');
  return [...new Set(words.filter(Boolean))];
}

export function propertiesOf(type: GuestType, vmid: number, cfg: PveConfig): Omit<GuestProperties, 'nodeId' | 'isos'> {
  const name = String((type === 'qemu' ? cfg.name : cfg.hostname) ?? `${type === 'qemu' ? 'VM' : 'CT'} ${vmid}`);
  const cd = type === 'qemu' ? cdDriveOf(cfg) : undefined;
  const vcpus = vcpusOf(type, cfg);
  const bootOrder = type === 'qemu' ? bootOrderOf(cfg) : undefined;
  return {
    name,
    description: String(cfg.description ?? ''),
    ...(vcpus !== undefined ? { vcpus } : {}),
    memory: memoryOf(type, cfg),
    disks: disksOf(type, cfg),
    nics: nicsOf(type, cfg),
    ...(cd ? { cd: { isoId: cd.isoId, ...(cd.isoId ? { isoName: cd.isoId.replace(/^.*\//, '') } : {}) } } : {}),
    ...(bootOrder ? { bootOrder } : {}),
    autoStart: Number(cfg.onboot ?? 0) === 1,
    tags: splitTags(cfg.tags === undefined ? undefined : String(cfg.tags)),
    ...(cfg.cpulimit !== undefined ? { cpuLimit: Number(cfg.cpulimit) } : {}),
    ...(typeof cfg.digest === 'string' ? { revision: cfg.digest } : {}),
  };
}

/** scsi2 before scsi10, and buses in PVE's order. */
function deviceOrder(a: string, b: string): number {
  const parse = (k: string) => /^([a-z]+)(\d*)$/.exec(k) ?? [k, k, '0'];
  const [, pa, na] = parse(a);
  const [, pb, nb] = parse(b);
  return pa === pb ? Number(na) - Number(nb) : pa < pb ? -1 : 1;
}
