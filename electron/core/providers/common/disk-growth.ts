// A guest made from a template gets copies of the template's disks, which may grow but
// never shrink on any platform (XAPI's SR backends, PVE's resize, vSphere's disks):
// a smaller size is refused before anything is made, naming the disk and both sizes.

import { PolyvisorError } from '../../../../shared/errors';
import type { DiskSpec } from '../../../../shared/guests';
import { formatSize } from '../../../../shared/sizes';

export function refuseShrinking(own: ReadonlyArray<{ name: string; sizeBytes: number }>, asked: DiskSpec[] | undefined): void {
  (asked ?? []).forEach((disk, i) => {
    const base = own[i];
    if (!base || disk.sizeBytes >= base.sizeBytes) return;
    throw new PolyvisorError({
      code: 'INVALID_INPUT',
      field: `disks.${i}.sizeBytes`,
      message: `A disk cannot shrink: the template's disk ${i + 1} (${base.name}) is ${formatSize(base.sizeBytes)}, so the new guest's cannot be ${formatSize(disk.sizeBytes)}.`,
    });
  });
}
