// The Properties dialog's changes as one PUT …/config: PVE's option names, the
// digest read with the properties (PVE refuses when the guest changed since),
// `delete` for what is cleared. What PVE has no option for is refused here,
// naming the field; everything else is left to the server to judge.

import { PolyvisorError } from '../../../../shared/errors';
import type { GuestChanges, GuestSettingKey } from '../../../../shared/guests';
import type { PveParams } from './client';
import type { PveConfig } from './guest-answers';
import { cdDriveOf, isCdrom, MiB, QEMU_DRIVE } from './guest-config';
import type { GuestType } from './model-map';

/** Which setting each PVE option is, for reporting what went to pending. */
const SETTING_OF: Record<string, GuestSettingKey> = {
  name: 'name',
  hostname: 'name',
  description: 'description',
  cores: 'vcpus',
  sockets: 'vcpus',
  vcpus: 'vcpus',
  memory: 'memory.size',
  balloon: 'memory.dynamic',
  boot: 'bootOrder',
  onboot: 'autoStart',
  tags: 'tags',
  cpulimit: 'cpuLimit',
};

export function settingOf(key: string): GuestSettingKey | undefined {
  return SETTING_OF[key] ?? (/^(?:ide|sata|scsi)\d+$/.test(key) ? 'cd' : undefined);
}

function refuse(field: string, message: string): never {
  throw new PolyvisorError({ code: 'UNSUPPORTED', field, message });
}

function wholeMiB(bytes: number, field: string): number {
  if (bytes % MiB !== 0 || bytes < 16 * MiB) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field, message: 'Proxmox VE takes memory in whole MiB, at least 16 MiB.' });
  }
  return bytes / MiB;
}

function memoryParams(type: GuestType, memory: NonNullable<GuestChanges['memory']>, params: PveParams): void {
  const { sizeBytes, dynamicMinBytes, dynamicMaxBytes } = memory;
  if (memory.staticMinBytes !== undefined) refuse('memory.staticMinBytes', 'Proxmox VE has no static minimum memory.');
  if (memory.reservationBytes !== undefined || memory.limitBytes !== undefined || memory.shares !== undefined) {
    refuse('memory', 'Proxmox VE has no memory reservation, limit or shares for a guest.');
  }
  if (dynamicMaxBytes !== undefined && sizeBytes !== undefined && dynamicMaxBytes !== sizeBytes) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'memory.dynamicMaxBytes', message: "Proxmox VE's ballooning range ends at the VM's memory: the two cannot differ." });
  }
  const size = sizeBytes ?? dynamicMaxBytes;
  if (size !== undefined) params.memory = wholeMiB(size, 'memory.sizeBytes');
  if (dynamicMinBytes !== undefined) {
    if (type === 'lxc') refuse('memory.dynamicMinBytes', 'A Proxmox VE container has no ballooning: only its memory and swap.');
    // 0 switches the balloon device off; PVE itself refuses a minimum above the memory
    params.balloon = dynamicMinBytes === 0 ? 0 : wholeMiB(dynamicMinBytes, 'memory.dynamicMinBytes');
  }
}

/** The order option for device words, from the guest's own devices: disks, then the CD, then NICs as asked. */
function bootParam(order: string[], cfg: PveConfig): string {
  const keys = Object.keys(cfg).sort();
  const devices: Record<string, string[]> = {
    disk: keys.filter((k) => QEMU_DRIVE.test(k) && !/^unused/.test(k) && !isCdrom(cfg[k])).slice(0, 1),
    cd: keys.filter((k) => /^(?:ide|sata|scsi)\d+$/.test(k) && k === cdDriveOf(cfg)?.key),
    network: keys.filter((k) => /^net\d+$/.test(k)),
  };
  const unknown = order.find((w) => !(w in devices));
  if (unknown) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'bootOrder', message: `"${unknown}" is not a boot device (disk, cd, network).` });
  return `order=${order.flatMap((w) => devices[w]).join(';')}`;
}

/** PUT …/config parameters for the changes; `cfg` is the configuration as read now (with its digest). */
export function changeParams(type: GuestType, changes: GuestChanges, cfg: PveConfig): PveParams {
  const params: PveParams = {};
  const cleared: string[] = [];
  const isQemu = type === 'qemu';
  if (changes.restartPolicy !== undefined) refuse('restartPolicy', 'A Proxmox VE guest has no restart policy; "Start at boot" is its nearest setting.');
  if (changes.name !== undefined) params[isQemu ? 'name' : 'hostname'] = changes.name;
  if (changes.description !== undefined) {
    if (changes.description === '') cleared.push('description');
    else params.description = changes.description;
  }
  if (changes.vcpus !== undefined) {
    const sockets = Number(cfg.sockets ?? 1);
    // keep the sockets when the count divides evenly, as PVE's own dialog does
    if (isQemu && changes.vcpus % sockets !== 0) params.sockets = 1;
    params.cores = isQemu && changes.vcpus % sockets === 0 ? changes.vcpus / sockets : changes.vcpus;
  }
  if (changes.memory) memoryParams(type, changes.memory, params);
  if (changes.isoId !== undefined) {
    if (!isQemu) refuse('isoId', 'A Proxmox VE container has no CD drive.');
    const drive = cdDriveOf(cfg)?.key ?? 'ide2';
    params[drive] = `${changes.isoId ?? 'none'},media=cdrom`;
  }
  if (changes.bootOrder !== undefined) {
    if (!isQemu) refuse('bootOrder', 'A Proxmox VE container boots from its root disk only.');
    params.boot = bootParam(changes.bootOrder, cfg);
  }
  if (changes.autoStart !== undefined) params.onboot = changes.autoStart ? 1 : 0;
  if (changes.tags !== undefined) {
    if (changes.tags.length) params.tags = changes.tags.join(';');
    else cleared.push('tags');
  }
  if (changes.cpuLimit !== undefined) {
    if (changes.cpuLimit === 0) cleared.push('cpulimit');
    else params.cpulimit = changes.cpuLimit;
  }
  if (cleared.length) params.delete = cleared.join(',');
  const digest = changes.revision ?? (typeof cfg.digest === 'string' ? cfg.digest : undefined);
  if (digest) params.digest = digest;
  return params;
}
