// POST /nodes/{node}/qemu/{vmid}/move_disk: a VM's disk moved to another storage, as
// PVE 8 does it — parameters as in the schema; the target storage checked before the
// worker forks (it must hold VM images and have the room); in the `qmmove` worker the
// config lock, the disk, no CD drive, not onto its own storage; the disk then points at
// the new volume and the old one stays as `unusedN` unless `delete` is set. A running
// VM's disk moves too (PVE mirrors it live). Reassigning a disk to another VM
// (`target-vmid`) is not simulated: the simulator answers so.

import { QEMU_DISKS } from './copy-routes';
import { SimHttpError, checkFileLock, label } from './guest-ops';
import { guestVolumes } from './migrate-checks';
import { P, type ParamSpec } from './params';
import { GUEST_PARAMS, requireGuest, runTask, type Route } from './route-kit';
import { digest, type SimGuest } from './state';
import { allocateDisk } from './volumes';

const UNUSED = Array.from({ length: 256 }, (_, i) => `unused${i}`);
const disk: ParamSpec = { type: 'string', enum: [...QEMU_DISKS, ...UNUSED] };

function freeUnusedKey(g: SimGuest): string {
  for (let i = 0; ; i++) if (g.config[`unused${i}`] === undefined) return `unused${i}`;
}

export const MOVE_DISK_ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/move_disk',
    params: {
      ...GUEST_PARAMS,
      bwlimit: { type: 'integer', minimum: 0, optional: true },
      delete: P.optBool,
      digest: { type: 'string', maxLength: 40, optional: true },
      disk,
      format: { type: 'string', enum: ['raw', 'qcow2', 'vmdk'], optional: true },
      storage: { type: 'string', format: 'pve-storage-id', optional: true },
      'target-digest': { type: 'string', maxLength: 40, optional: true },
      'target-disk': { ...disk, optional: true },
      'target-vmid': { ...P.vmid, optional: true },
    },
    handler(ctx) {
      const g = requireGuest(ctx.state, 'qemu', ctx.params);
      const key = String(ctx.params.disk);
      if (ctx.params['target-vmid'] !== undefined) throw new SimHttpError(501, 'reassigning a disk to another VM is not simulated');
      if (ctx.params.storage === undefined) throw new SimHttpError(400, 'Parameter verification failed.', { storage: 'parameter is missing' });
      const storage = String(ctx.params.storage);
      const volume = guestVolumes(g).find((v) => v.key === key);
      const target = volume && !volume.cdrom && volume.storage !== storage ? allocateDisk(ctx.state, g.node, g.vmid, storage, volume.size / 1024 ** 3, false, new Set()) : undefined;
      let moved: { value: string; old: string } | undefined;
      return runTask(ctx, g, 'qmmove', {
        begin() {
          checkFileLock(g);
          if (ctx.params.digest !== undefined && ctx.params.digest !== digest(g)) throw new Error('checksum missmatch (file change by other user?)');
          if (g.lock) throw new Error(`${label(g)} is locked (${g.lock})`);
          if (g.config[key] === undefined) throw new Error(`disk '${key}' does not exist`);
          if (!volume || volume.cdrom) throw new Error(`you can't move a cdrom`);
          if (!target) throw new Error(`you can't move to the same storage with same format`);
          const [, ...opts] = String(g.config[key]).split(',');
          moved = { value: [target.volid, ...opts].join(','), old: volume.volid };
        },
        finish() {
          if (!moved) return;
          g.config[key] = moved.value;
          if (ctx.params.delete !== true) g.config[freeUnusedKey(g)] = moved.old;
          g.configVersion++;
        },
        lines: [`create full clone of drive ${key} (${volume?.volid ?? ''})`, 'drive mirror is starting for drive-' + key, 'transferred 100% of the disk'],
      });
    },
  },
];
