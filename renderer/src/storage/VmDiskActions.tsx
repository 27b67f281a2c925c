// The disk buttons of a guest's Storage tab (issue 16): Add disk… and Attach disk… above
// the list, Resize… and Detach… on each disk. Each is greyed, with the reason, where the
// platform's storage facet lacks it; the facet's note for what it has is shown in its dialog.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized, type LocalizedText } from '../../../shared/descriptor';
import type { GuestDisk } from '../../../shared/guests';
import type { InventoryNode } from '../../../shared/model';
import type { StorageFacet } from '../../../shared/storage';
import { AddDiskDialog, AttachDiskDialog } from './DiskAddDialogs';
import { DetachDiskDialog, ResizeDiskDialog } from './DiskChangeDialogs';

type Op = 'add' | 'attach' | 'resize' | 'detach';
const FLAG = { add: 'addDisk', attach: 'attachDisk', resize: 'resizeDisk', detach: 'detachDisk' } as const;
const NOTE = { add: 'addDiskNote', attach: 'attachDiskNote', resize: 'resizeDiskNote', detach: 'detachDiskNote' } as const;

/** Whether the platform has it, its note (why not, or what to know), and the reason it is greyed (the note, else `fallback`). */
function useOp(facet: StorageFacet | undefined, op: Op, fallback: string): { note: string | null; reason: string | null } {
  const { i18n } = useTranslation();
  const text: LocalizedText | undefined = facet?.[NOTE[op]];
  const note = text ? localized(text, i18n.language) : null;
  return { note, reason: facet?.[FLAG[op]] === true ? null : (note ?? fallback) };
}

function OpButton({ label, testId, reason, onClick }: { label: string; testId: string; reason: string | null; onClick: () => void }) {
  return (
    <button type="button" data-testid={testId} disabled={reason !== null} data-disabled-reason={reason ?? undefined} title={reason ?? undefined} onClick={onClick}>
      {label}
    </button>
  );
}

export function DiskToolbar({ guest, facet }: { guest: InventoryNode; facet: StorageFacet | undefined }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Op | null>(null);
  const add = useOp(facet, 'add', t('disks.reason.add'));
  const attach = useOp(facet, 'attach', t('disks.reason.attach'));
  const close = () => setOpen(null);
  return (
    <div className="disk-toolbar" role="toolbar" aria-label={t('disks.toolbar')} data-testid="vm-disk-toolbar">
      <OpButton label={t('disks.add')} testId="vm-disk-add" reason={add.reason} onClick={() => setOpen('add')} />
      <OpButton label={t('disks.attach')} testId="vm-disk-attach" reason={attach.reason} onClick={() => setOpen('attach')} />
      {open === 'add' ? <AddDiskDialog guest={guest} note={add.note} onClose={close} /> : null}
      {open === 'attach' ? <AttachDiskDialog guest={guest} note={attach.note} onClose={close} /> : null}
    </div>
  );
}

export function DiskRowActions({ guest, disk, facet }: { guest: InventoryNode; disk: GuestDisk; facet: StorageFacet | undefined }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Op | null>(null);
  const resize = useOp(facet, 'resize', t('disks.reason.resize'));
  const detach = useOp(facet, 'detach', t('disks.reason.detach'));
  const close = () => setOpen(null);
  return (
    <>
      <OpButton label={t('disks.resize')} testId="vm-disk-resize" reason={resize.reason} onClick={() => setOpen('resize')} />
      <OpButton label={t('disks.detach')} testId="vm-disk-detach" reason={detach.reason} onClick={() => setOpen('detach')} />
      {open === 'resize' ? <ResizeDiskDialog guest={guest} disk={disk} note={resize.note} onClose={close} /> : null}
      {open === 'detach' ? <DetachDiskDialog guest={guest} disk={disk} note={detach.note} onClose={close} /> : null}
    </>
  );
}
