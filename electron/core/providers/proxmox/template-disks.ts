// A guest cloned from a template gets the disks the New VM wizard asked for: the
// template's own ones grown (PUT …/resize; PVE never shrinks a disk, so a smaller
// size is refused before anything is made) and further ones added to a VM as new
// volumes (scsiN = STORAGE:SIZE in its config). A container's further volumes need a
// mount point the wizard does not ask for, so they are refused.

import { PolyvisorError } from '../../../../shared/errors';
import type { DiskSpec, GuestDisk } from '../../../../shared/guests';
import { refuseShrinking } from '../common/disk-growth';
import { followTask, guestPath } from './actions';
import { readUpid } from './answers';
import type { PveClient, PveParams } from './client';
import { parseStorageChoiceId } from './create-options';
import type { PveConfig } from './guest-answers';
import { disksOf } from './guest-config';
import type { GuestType } from './model-map';
import type { ProviderConfig, TaskReporter } from '../provider';

const GiB = 1024 ** 3;

/** The template's disks that a clone copies (not its unused volumes), in device order. */
export function templateDisks(type: GuestType, cfg: PveConfig): GuestDisk[] {
  return disksOf(type, cfg).filter((d) => !d.device?.startsWith('unused'));
}

/** Refuses what PVE would not do, before the clone is made: a template disk made smaller, further container volumes. */
export function checkTemplateDisks(type: GuestType, own: GuestDisk[], asked: DiskSpec[] | undefined): void {
  refuseShrinking(own.map((d) => ({ name: d.device ?? d.name, sizeBytes: d.sizeBytes })), asked);
  (asked ?? []).forEach((_disk, i) => {
    if (!own[i] && type === 'lxc') {
      throw new PolyvisorError({ code: 'INVALID_INPUT', field: `disks.${i}`, message: 'A container made from a template keeps its volumes; add mount points in Proxmox VE afterwards.' });
    }
  });
}

/** Config parameters adding the disks beyond the template's to a cloned VM: the next free scsiN on the storage asked for (or the node's default one). */
export function addedDiskParams(cfg: PveConfig, own: GuestDisk[], asked: DiskSpec[] | undefined, defaultStorage: string | undefined): PveParams {
  const params: PveParams = {};
  const taken = new Set(Object.keys(cfg));
  let slot = 0;
  for (const disk of (asked ?? []).slice(own.length)) {
    while (taken.has(`scsi${slot}`)) slot++;
    const storage = disk.storageId ? parseStorageChoiceId(disk.storageId).storage : defaultStorage;
    if (!storage) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'disks', message: 'Choose a storage for the added disk.' });
    const key = `scsi${slot}`;
    taken.add(key);
    params[key] = `${storage}:${Number((disk.sizeBytes / GiB).toFixed(3))},iothread=1`;
  }
  return params;
}

/** Grows the clone's own disks to the sizes asked (in bytes, as PUT …/resize takes a bare number), one resize task each. */
export async function growClonedDisks(
  client: PveClient,
  copy: { node: string; type: GuestType; vmid: number },
  own: GuestDisk[],
  asked: DiskSpec[] | undefined,
  task: TaskReporter,
  pollMs: number,
  log?: ProviderConfig['log'],
): Promise<void> {
  for (const [i, disk] of own.entries()) {
    const wanted = asked?.[i]?.sizeBytes;
    if (wanted === undefined || wanted <= disk.sizeBytes || !disk.device) continue;
    const upid = await client.put(`${guestPath(copy)}/resize`, readUpid, { disk: disk.device, size: String(wanted) });
    await followTask(client, upid, task, pollMs, 2, log);
  }
}
