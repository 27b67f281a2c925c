// Resize… and Detach… on a disk of a guest's Storage tab (issue 16): a disk only grows
// (a smaller size is refused here, saying so); a detached disk is kept unless asked.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GuestDisk } from '../../../shared/guests';
import type { InventoryNode } from '../../../shared/model';
import { parseSize } from '../../../shared/sizes';
import { formatBytes } from '../components/format';
import { useSubmit } from '../dialogs/use-submit';
import { DiskDialogFrame, SizeField } from './DiskDialogFrame';
import { detachDisk, resizeDisk } from './disk-requests';

interface DialogProps {
  guest: InventoryNode;
  disk: GuestDisk;
  note: string | null;
  onClose: () => void;
}

const GiB = 1024 ** 3;

export function ResizeDiskDialog({ guest, disk, note, onClose }: DialogProps) {
  const { t, i18n } = useTranslation();
  const [size, setSize] = useState(() => String(Math.ceil(disk.sizeBytes / GiB)));
  const parsed = parseSize(size, 'gib');
  const bytes = parsed.ok ? parsed.bytes : 0;
  const now = formatBytes(disk.sizeBytes, i18n.language);
  const problem = !parsed.ok ? parsed.problem : bytes <= disk.sizeBytes ? t('disks.growOnly', { size: now }) : null;
  const submission = useSubmit(async () => {
    await resizeDisk(guest.id, disk.id, bytes);
    onClose();
  });
  return (
    <DiskDialogFrame title={t('disks.resizeTitle', { disk: disk.name })} testId="disk-resize-dialog" okLabel={t('disks.resizeOk')} note={note} submission={submission} disabled={problem !== null} onClose={onClose}>
      <p data-testid="disk-resize-now">{t('disks.sizeNow', { size: now })}</p>
      <SizeField label={t('disks.newSize')} testId="disk-resize-size" value={size} bytes={bytes} problem={problem} onChange={setSize} />
    </DiskDialogFrame>
  );
}

export function DetachDiskDialog({ guest, disk, note, onClose }: DialogProps) {
  const { t } = useTranslation();
  const [deleteDisk, setDeleteDisk] = useState(false);
  const submission = useSubmit(async () => {
    await detachDisk(guest.id, disk.id, deleteDisk);
    onClose();
  });
  return (
    <DiskDialogFrame
      title={t('disks.detachTitle', { disk: disk.name })}
      testId="disk-detach-dialog"
      okLabel={deleteDisk ? t('disks.detachDeleteOk') : t('disks.detachOk')}
      note={note}
      submission={submission}
      danger={deleteDisk}
      onClose={onClose}
    >
      {deleteDisk ? null : <p data-testid="disk-detach-keeps">{t('disks.detachKeeps', { disk: disk.name, guest: guest.name })}</p>}
      <label className="checkbox">
        <input type="checkbox" data-testid="disk-detach-delete" checked={deleteDisk} onChange={(e) => setDeleteDisk(e.target.checked)} />
        {t('disks.detachDelete')}
      </label>
      {deleteDisk ? (
        <p className="field-error" data-testid="disk-detach-warning">
          {t('disks.detachDeleteWarning')}
        </p>
      ) : null}
    </DiskDialogFrame>
  );
}
