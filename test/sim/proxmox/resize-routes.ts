// PUT /nodes/{node}/{qemu,lxc}/{vmid}/resize: a guest's disk grown, as PVE 8 does it —
// parameters as in the schema, the checks in the `resize` worker under the config lock
// (digest, lock, the disk, no CD drive, no shrinking), the new size written into the
// disk's `size=` option. A size with `+` is added to the current one; a bare number is bytes.

import { STALE_DIGEST } from './config-ops';
import { QEMU_DISKS } from './copy-routes';
import { checkFileLock, label } from './guest-ops';
import { guestVolumes } from './migrate-checks';
import { P, type ParamSpec } from './params';
import { GUEST_PARAMS, requireGuest, runTask, type Route } from './route-kit';
import { digest, type GuestType, type SimGuest } from './state';
import { sizeOption } from './volumes';

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

const LXC_DISKS = ['rootfs', ...Array.from({ length: 256 }, (_, i) => `mp${i}`)];

/** The size PVE asks for: "+2G" adds, "34G" is absolute, "1073741824" is bytes; the result in whole bytes. */
export function requestedSize(current: number, text: string): number {
  const m = /^(\+)?(\d+(?:\.\d+)?)([KMGT])?$/.exec(text);
  if (!m) throw new Error('internal error');
  const asked = Number(m[2]) * (m[3] ? UNITS[m[3]] : 1);
  return Math.floor(m[1] ? current + asked : asked);
}

function resizeWork(g: SimGuest, disk: string, size: string, p: { digest?: unknown; skiplock?: unknown }) {
  let grown: { key: string; value: string } | undefined;
  return {
    begin() {
      checkFileLock(g);
      // qemu-server checks the digest itself with its own words; pct uses assert_if_modified
      if (p.digest !== undefined && p.digest !== '' && p.digest !== digest(g)) throw new Error(g.type === 'qemu' ? 'checksum missmatch (file change by other user?)' : STALE_DIGEST);
      if (g.lock && p.skiplock !== true) throw new Error(`${label(g)} is locked (${g.lock})`);
      const raw = g.config[disk];
      if (raw === undefined) throw new Error(`disk '${disk}' does not exist`);
      const volume = guestVolumes(g).find((v) => v.key === disk);
      if (!volume || volume.cdrom) throw new Error("you can't resize a cdrom");
      if (g.type === 'qemu' && g.snapshots.size > 0 && /\.qcow2$/.test(volume.volid)) throw new Error(`can't resize volume: ${disk} if snapshot exists`);
      const next = requestedSize(volume.size, size);
      if (next < volume.size) throw new Error('shrinking disks is not supported');
      if (next === volume.size) return;
      const [file, ...opts] = String(raw).split(',');
      grown = { key: disk, value: [file, ...opts.filter((o) => !o.startsWith('size=')), `size=${sizeOption(next)}`].join(',') };
    },
    finish() {
      if (!grown) return;
      g.config[grown.key] = grown.value;
      g.configVersion++;
    },
    lines: [`  Size of logical volume changed.`],
  };
}

function resizeRoute(type: GuestType): Route {
  const disk: ParamSpec = { type: 'string', enum: type === 'qemu' ? QEMU_DISKS : LXC_DISKS };
  return {
    method: 'PUT',
    path: `/nodes/{node}/${type}/{vmid}/resize`,
    params: {
      ...GUEST_PARAMS,
      digest: { type: 'string', maxLength: 40, optional: true },
      disk,
      size: { type: 'string', pattern: '\\+?\\d+(\\.\\d+)?[KMGT]?' },
      ...(type === 'qemu' ? { skiplock: P.optBool } : {}),
    },
    handler(ctx) {
      const g = requireGuest(ctx.state, type, ctx.params);
      return runTask(ctx, g, 'resize', resizeWork(g, String(ctx.params.disk), String(ctx.params.size), ctx.params));
    },
  };
}

export const RESIZE_ROUTES: Route[] = [resizeRoute('qemu'), resizeRoute('lxc')];
