// A guest's disk taken off its configuration, as PVE's vmconfig_delete_or_detach_drive
// (and pct's delete of a mount point) does it: the volume stays on its storage as the
// next free `unusedN`, unless `force` removes it; deleting an `unusedN` always removes
// the volume ("Unlink of unused[n] always cause physical removal"). Setting a disk key
// to a volume an `unusedN` holds attaches it again and the `unusedN` goes. A detached
// volume is kept with its size among the storage's loose volumes, as the storage lists it.

import { guestVolumes } from './migrate-checks';
import type { ClusterState, SimGuest } from './state';
import { sizeOption, storageOn } from './volumes';

function freeUnusedKey(g: SimGuest): string {
  for (let i = 0; ; i++) if (g.config[`unused${i}`] === undefined) return `unused${i}`;
}

function dropLoose(s: ClusterState, volid: string): number | undefined {
  const i = s.looseVolumes.findIndex((v) => v.volid === volid);
  if (i < 0) return undefined;
  return s.looseVolumes.splice(i, 1)[0]!.size;
}

/** Removes one configuration key; a disk's volume becomes unusedN or (force, or an unusedN itself) is removed. Returns whether it was a volume. */
export function deleteDiskKey(s: ClusterState, g: SimGuest, key: string, force: boolean): boolean {
  const volume = guestVolumes(g).find((v) => v.key === key);
  if (!volume || volume.cdrom || volume.storage === null) return false;
  delete g.config[key];
  if (volume.unused || force) {
    dropLoose(s, volume.volid);
  } else {
    g.config[freeUnusedKey(g)] = volume.volid;
    const st = storageOn(s, g.node, volume.storage);
    if (!s.looseVolumes.some((v) => v.volid === volume.volid)) {
      s.looseVolumes.push({
        volid: volume.volid,
        node: g.node,
        content: g.type === 'qemu' ? 'images' : 'rootdir',
        format: st?.plugintype === 'dir' ? 'qcow2' : 'raw',
        size: volume.size,
        vmid: g.vmid,
        ctime: Math.floor(Date.now() / 1000),
      });
    }
  }
  g.configVersion++;
  return true;
}

/** A disk value naming a volume one of the guest's unusedN holds: that unusedN goes, and the value carries the volume's size. */
export function reattachUnused(s: ClusterState, g: SimGuest, value: string): string {
  const [volid, ...opts] = value.split(',');
  const unused = Object.keys(g.config).find((k) => /^unused\d+$/.test(k) && g.config[k] === volid);
  if (!unused) return value;
  delete g.config[unused];
  const size = dropLoose(s, volid);
  return size === undefined || opts.some((o) => o.startsWith('size=')) ? value : [volid, ...opts, `size=${sizeOption(size)}`].join(',');
}
