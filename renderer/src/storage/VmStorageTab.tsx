// A VM's (or container's) Storage tab (issue 16): its disks with their size, device and
// the storage each is on — with that storage's free-space bar where the tree has it —
// read from the server when the tab opens; disks added, attached, grown and detached (VmDiskActions).
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { ErrorDetails } from '../components/ErrorDetails';
import { formatBytes } from '../components/format';
import { fetchProperties } from '../guests/guest-requests';
import { descriptorOf } from '../providers/descriptors';
import { storeActions, useStore } from '../store/store';
import { DiskMove } from './DiskMove';
import { DiskRowActions, DiskToolbar } from './VmDiskActions';
import { FreeSpaceBar } from './FreeSpaceBar';
import { useAnswer } from './use-answer';
import { storageOfDisk } from './vm-disk-storage';
import './storage.css';

export function VmStorageTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const index = useStore((s) => s.index);
  const facet = useStore((s) => descriptorOf(s, s.servers.find((v) => v.id === node.serverId)?.type)?.facets.storage);
  // read again when a task on this guest ends (a disk added, moved or resized)
  const finished = useStore((s) => s.tasks.filter((task) => task.targetId === node.id && task.status !== 'running').length);
  const { value: properties, error } = useAnswer(() => fetchProperties(node.id), `${node.id}\n${finished}`);
  const disks = properties?.disks ?? null;
  return (
    <div className="storage-tab" data-testid="vm-storage-tab">
      <DiskToolbar guest={node} facet={facet} />
      {error ? <ErrorDetails error={error} /> : null}
      {disks === null && !error ? <p className="details-hint">{t('storage.loading')}</p> : null}
      {disks && disks.length === 0 ? <p className="details-hint" data-testid="vm-storage-none">{t('storage.vmNoDisks')}</p> : null}
      {disks && disks.length > 0 ? (
        <table className="storage-disks" data-testid="vm-disks">
          <thead>
            <tr>
              <th>{t('storage.col.device')}</th>
              <th>{t('storage.col.name')}</th>
              <th>{t('storage.col.size')}</th>
              <th>{t('storage.col.storage')}</th>
              <th />
              <th />
            </tr>
          </thead>
          <tbody>
            {disks.map((d) => {
              const storage = storageOfDisk(d, node, index.nodes.values());
              return (
                <tr key={d.id} data-testid="vm-disk" data-id={d.id}>
                  <td>{d.device ?? ''}</td>
                  <td>{d.name}</td>
                  <td className="size">{formatBytes(d.sizeBytes, i18n.language)}</td>
                  <td data-testid="vm-disk-storage">
                    {storage ? (
                      <button type="button" className="link-button" data-testid="vm-disk-storage-link" onClick={() => storeActions.select(storage.id, 'single')}>
                        {storage.name}
                      </button>
                    ) : (
                      (d.storageName ?? '')
                    )}
                  </td>
                  <td>{storage?.storage ? <FreeSpaceBar info={storage.storage} compact /> : null}</td>
                  <td>
                    <DiskMove guest={node} disk={d} current={storage} facet={facet} />
                    <DiskRowActions guest={node} disk={d} facet={facet} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
