// Move… on a guest's disk (issue 16): the storages of its server that can hold a disk,
// the current one left out, and a task that moves it (progress in the tasks panel).
// Where the platform cannot, the button is greyed with its reason.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import type { GuestDisk } from '../../../shared/guests';
import type { InventoryNode } from '../../../shared/model';
import type { StorageFacet } from '../../../shared/storage';
import { formatBytes } from '../components/format';
import { useStore } from '../store/store';
import { moveDisk } from './storage-requests';

/** Storages of the guest's server that hold disks (not ISO libraries), other than `current`. */
export function storagesForDisks(guest: InventoryNode, current: InventoryNode | undefined, nodes: Iterable<InventoryNode>): InventoryNode[] {
  const out: InventoryNode[] = [];
  for (const n of nodes) {
    if (n.kind !== 'storage' || n.serverId !== guest.serverId || n.id === current?.id || !n.storage) continue;
    if (n.storage.content?.length && !n.storage.content.some((c) => c === 'user' || c === 'images' || c === 'rootdir' || c === '')) continue;
    out.push(n);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function DiskMove({ guest, disk, current, facet }: { guest: InventoryNode; disk: GuestDisk; current: InventoryNode | undefined; facet: StorageFacet | undefined }) {
  const { t, i18n } = useTranslation();
  const index = useStore((s) => s.index);
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState('');
  const reason = facet?.moveDisk ? null : facet?.moveDiskNote ? localized(facet.moveDiskNote, i18n.language) : t('storage.reason.noMove');
  if (!open) {
    return (
      <button type="button" data-testid="vm-disk-move" disabled={reason !== null} data-disabled-reason={reason ?? undefined} title={reason ?? undefined} onClick={() => setOpen(true)}>
        {t('storage.move')}
      </button>
    );
  }
  const targets = storagesForDisks(guest, current, index.nodes.values());
  const free = (n: InventoryNode) => (n.storage?.free !== null && n.storage?.free !== undefined ? ` — ${t('storage.free', { free: formatBytes(n.storage.free, i18n.language) })}` : '');
  return (
    <span className="disk-move" data-testid="vm-disk-move-form">
      <select aria-label={t('storage.moveTo')} data-testid="vm-disk-move-target" value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">{t('storage.moveTo')}</option>
        {targets.map((n) => (
          <option key={n.id} value={n.id} disabled={n.storage?.free !== null && n.storage?.free !== undefined && n.storage.free < disk.sizeBytes}>
            {`${n.name}${free(n)}`}
          </option>
        ))}
      </select>
      <button
        type="button"
        data-testid="vm-disk-move-go"
        disabled={!choice}
        onClick={() => {
          void moveDisk(guest.id, disk.id, choice);
          setOpen(false);
        }}
      >
        {t('storage.moveGo')}
      </button>
      <button type="button" data-testid="vm-disk-move-cancel" onClick={() => setOpen(false)}>
        {t('storage.moveCancel')}
      </button>
    </span>
  );
}
