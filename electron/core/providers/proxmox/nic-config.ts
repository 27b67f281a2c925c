// A guest's NICs as Proxmox VE writes them in its config (issue 16): qemu
// `net0: virtio=BC:24:11:…,bridge=vmbr0,tag=20,firewall=1`, lxc `net0: name=eth0,
// bridge=vmbr0,hwaddr=BC:24:11:…,ip=10.0.0.5/24,type=veth`. A NIC's network is its
// `bridge=`: a node bridge or an SDN vnet.

import type { PveConfig } from './guest-answers';
import { splitDrive } from './guest-config';
import type { GuestType } from './model-map';

export interface PveNic {
  /** net0, net1, … */
  key: string;
  model?: string;
  mac?: string;
  bridge?: string;
  tag?: number;
  /** lxc: the interface's name in the container (eth0) */
  name?: string;
  /** lxc: a static address (without its prefix) */
  ip?: string;
  linkDown: boolean;
}

const NET_KEY = /^net(\d+)$/;

export function parseNics(type: GuestType, cfg: PveConfig): PveNic[] {
  return Object.keys(cfg)
    .filter((k) => NET_KEY.test(k))
    .sort((a, b) => Number(NET_KEY.exec(a)![1]) - Number(NET_KEY.exec(b)![1]))
    .map((key) => {
      const { file, options } = splitDrive(cfg[key]);
      // qemu's first part is model=MAC; a container's is an option like the others (name=eth0)
      const eq = file.indexOf('=');
      if (type === 'lxc' && eq > 0) options[file.slice(0, eq)] = file.slice(eq + 1);
      const [model, mac] = type === 'qemu' ? file.split('=') : [undefined, options.hwaddr];
      const ip = type === 'lxc' && options.ip && !/^(?:dhcp|manual)$/.test(options.ip) ? options.ip.replace(/\/\d+$/, '') : undefined;
      return {
        key,
        ...(model ? { model } : {}),
        ...(mac ? { mac: mac.toUpperCase() } : {}),
        ...(options.bridge ? { bridge: options.bridge } : {}),
        ...(options.tag ? { tag: Number(options.tag) } : {}),
        ...(type === 'lxc' && options.name ? { name: options.name } : {}),
        ...(ip ? { ip } : {}),
        linkDown: options.link_down === '1',
      };
    });
}

/** The lowest netN the config does not use. */
export function freeNetKey(cfg: PveConfig): string {
  for (let n = 0; ; n++) if (cfg[`net${n}`] === undefined) return `net${n}`;
}

/** A new NIC on `bridge`: a virtio NIC (PVE picks its MAC), or a container's next ethN. */
export function newNicValue(type: GuestType, cfg: PveConfig, bridge: string): string {
  if (type === 'qemu') return `virtio,bridge=${bridge}`;
  const names = new Set(parseNics(type, cfg).map((n) => n.name));
  let n = 0;
  while (names.has(`eth${n}`)) n++;
  return `name=eth${n},bridge=${bridge}`;
}

/** The NIC's value with another bridge (MAC and model kept); a vnet carries its own VLAN, so a tag goes. */
export function withBridge(value: string | number, bridge: string, dropTag: boolean): string {
  const parts = String(value)
    .split(',')
    .filter((p) => !(dropTag && p.startsWith('tag=')));
  const i = parts.findIndex((p) => p.startsWith('bridge='));
  if (i >= 0) parts[i] = `bridge=${bridge}`;
  else parts.push(`bridge=${bridge}`);
  return parts.join(',');
}
