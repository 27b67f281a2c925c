// A guest's network interface as PVE writes it: a qemu "virtio,bridge=vmbr0" gets a MAC
// (model=MAC), a container's gets hwaddr and type=veth — on create and on a config update alike.

import type { GuestType } from './state';

const MAC_RE = /([0-9A-F]{2}:){5}[0-9A-F]{2}/i;

/** A MAC in Proxmox's own prefix (BC:24:11), as PVE generates them. */
export const randomMac = () => `BC:24:11:${[0, 0, 0].map(() => Math.floor(Math.random() * 256).toString(16).toUpperCase().padStart(2, '0')).join(':')}`;

export function nicValue(type: GuestType, value: string): string {
  if (MAC_RE.test(value)) return value;
  if (type === 'qemu') {
    const [model, ...rest] = value.split(',');
    return [`${model.split('=')[0]}=${randomMac()}`, ...rest].join(',');
  }
  return `${value},hwaddr=${randomMac()},type=veth`;
}
