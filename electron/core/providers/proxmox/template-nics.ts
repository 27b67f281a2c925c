// A guest cloned from a template gets the network interfaces the New VM wizard chose
// (as XenCenter replaces a template's VIFs): each of the template's interfaces kept in
// order is moved to the chosen bridge (its model and the clone's MAC stay), further ones
// are added (virtio on a VM, eth<N> with DHCP on a container), the rest removed.

import type { NicSpec } from '../../../../shared/guests';
import type { PveParams } from './client';
import type { PveConfig } from './guest-answers';
import type { GuestType } from './model-map';

const NET_KEY = /^net(\d+)$/;

export function nicParams(type: GuestType, cfg: PveConfig, networks: NicSpec[] | undefined): { set: PveParams; remove: string[] } {
  const set: PveParams = {};
  if (networks === undefined) return { set, remove: [] };
  networks.forEach(({ networkId }, i) => {
    const now = cfg[`net${i}`];
    set[`net${i}`] =
      now !== undefined
        ? String(now)
            .split(',')
            .map((part) => (part.startsWith('bridge=') ? `bridge=${networkId}` : part))
            .join(',')
        : type === 'qemu'
          ? `virtio,bridge=${networkId}`
          : `name=eth${i},bridge=${networkId},ip=dhcp`;
  });
  const remove = Object.keys(cfg).filter((key) => {
    const m = NET_KEY.exec(key);
    return m !== null && Number(m[1]) >= networks.length;
  });
  return { set, remove };
}
