// Add disk… and Attach disk… on a guest's Storage tab (issue 16): a new empty disk of a
// size on one of its server's storages, or one of the free disks the server offers it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { parseSize } from '../../../shared/sizes';
import { formatBytes } from '../components/format';
import { useSubmit } from '../dialogs/use-submit';
import { useStore } from '../store/store';
import { DiskDialogFrame, SizeField } from './DiskDialogFrame';
import { storagesForDisks } from './DiskMove';
import { addDisk, attachDisk, fetchAttachable } from './disk-requests';
import { useAnswer } from './use-answer';
import { hostOf } from './vm-disk-storage';

interface DialogProps {
  guest: InventoryNode;
  note: string | null;
  onClose: () => void;
}

export function AddDiskDialog({ guest, note, onClose }: DialogProps) {
  const { t, i18n } = useTranslation();
  const index = useStore((s) => s.index);
  // a storage attached to some hosts only holds disks of guests on those hosts (a local SR, a node's own storage)
  const host = hostOf(guest, index.nodes.values());
  const storages = storagesForDisks(guest, undefined, index.nodes.values()).filter((n) => !host || !n.storage?.hostIds.length || n.storage.hostIds.includes(host));
  const [storageId, setStorageId] = useState(storages[0]?.id ?? '');
  const [size, setSize] = useState('8');
  const [name, setName] = useState('');
  const parsed = parseSize(size, 'gib');
  const bytes = parsed.ok ? parsed.bytes : 0;
  const free = index.nodes.get(storageId)?.storage?.free;
  const problem = !parsed.ok ? parsed.problem : bytes <= 0 ? t('disks.sizeZero') : free !== null && free !== undefined && bytes > free ? t('disks.noRoom', { free: formatBytes(free, i18n.language) }) : null;
  const submission = useSubmit(async () => {
    await addDisk(guest.id, { storageId, sizeBytes: bytes, ...(name.trim() ? { name: name.trim() } : {}) });
    onClose();
  });
  return (
    <DiskDialogFrame title={t('disks.addTitle', { guest: guest.name })} testId="disk-add-dialog" okLabel={t('disks.addOk')} note={note} submission={submission} disabled={!storageId || problem !== null} onClose={onClose}>
      <label className="field">
        <span>{t('disks.storage')}</span>
        <select data-testid="disk-add-storage" value={storageId} onChange={(e) => setStorageId(e.target.value)}>
          {storages.map((n) => (
            <option key={n.id} value={n.id}>
              {n.storage?.free !== null && n.storage?.free !== undefined ? `${n.name} — ${t('storage.free', { free: formatBytes(n.storage.free, i18n.language) })}` : n.name}
            </option>
          ))}
        </select>
      </label>
      <SizeField label={t('disks.size')} testId="disk-add-size" value={size} bytes={bytes} problem={problem} onChange={setSize} />
      <label className="field">
        <span>{t('disks.name')}</span>
        <input data-testid="disk-add-name" value={name} placeholder={t('disks.namePlaceholder', { guest: guest.name })} onChange={(e) => setName(e.target.value)} />
      </label>
    </DiskDialogFrame>
  );
}

export function AttachDiskDialog({ guest, note, onClose }: DialogProps) {
  const { t, i18n } = useTranslation();
  const { value: free, error } = useAnswer(() => fetchAttachable(guest.id), guest.id);
  const [chosen, setChosen] = useState('');
  const submission = useSubmit(async () => {
    await attachDisk(guest.id, chosen);
    onClose();
  });
  return (
    <DiskDialogFrame title={t('disks.attachTitle', { guest: guest.name })} testId="disk-attach-dialog" okLabel={t('disks.attachOk')} note={note} submission={submission} disabled={!chosen} onClose={onClose}>
      {free === null && !error ? <p className="details-hint">{t('disks.loadingFree')}</p> : null}
      {error ? <p className="field-error">{error.message}</p> : null}
      {free && free.length === 0 ? (
        <p className="details-hint" data-testid="disk-attach-none">
          {t('disks.noFree')}
        </p>
      ) : null}
      {free && free.length > 0 ? (
        <fieldset className="disk-choices" data-testid="disk-attach-list">
          <legend>{t('disks.freeDisks')}</legend>
          {free.map((d) => (
            <label key={d.id} className="checkbox" data-testid="disk-attach-choice" data-id={d.id}>
              <input type="radio" name="disk-attach" value={d.id} checked={chosen === d.id} onChange={() => setChosen(d.id)} />
              {`${d.name} — ${d.sizeBytes === undefined ? t('disks.sizeUnknown') : formatBytes(d.sizeBytes, i18n.language)}${d.storageName ? ` (${d.storageName})` : ''}`}
            </label>
          ))}
        </fieldset>
      ) : null}
    </DiskDialogFrame>
  );
}

