// A storage's tab (issue 16): what it is (type, shared, size, used, free, the hosts it
// is attached to), Rescan where the platform has it, and the disks on it with the VMs
// that use each, read from the server when the tab opens and after each rescan.
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import { CommandBar } from '../components/CommandBar';
import { ErrorDetails } from '../components/ErrorDetails';
import { formatBytes } from '../components/format';
import { descriptorOf } from '../providers/descriptors';
import { useStore } from '../store/store';
import { FreeSpaceBar } from './FreeSpaceBar';
import { fetchContents } from './storage-requests';
import { useAnswer } from './use-answer';
import './storage.css';

const STORAGE_TAB = [{ id: 'rescan-storage', testId: 'storage-rescan' }] as const;

/** The content words the tab translates; any other is the platform's own word. */
const CONTENT_WORDS: Record<string, string> = {
  disk: 'storage.content.disk',
  iso: 'storage.content.iso',
  suspend: 'storage.content.suspend',
  vztmpl: 'storage.content.vztmpl',
  backup: 'storage.content.backup',
  mount: 'storage.content.mount',
  'mount (ro)': 'storage.content.mountReadOnly',
};

export function StorageTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const index = useStore((s) => s.index);
  const facet = useStore((s) => descriptorOf(s, s.servers.find((v) => v.id === node.serverId)?.type)?.facets.storage);
  // read again after each finished rescan of this storage
  const rescans = useStore((s) => s.tasks.filter((task) => task.action === 'storage_rescan' && task.targetId === node.id && task.status !== 'running').length);
  const { value: contents, error } = useAnswer(() => fetchContents(node.id), `${node.id}\n${rescans}`);
  const disks = contents?.disks ?? null;
  const info = node.storage;
  const hosts = (info?.hostIds ?? []).map((id) => index.nodes.get(id)?.name ?? id);
  const size = (b: number | null | undefined) => (b === null || b === undefined ? '—' : formatBytes(b, i18n.language));
  return (
    <div className="storage-tab" data-testid="storage-tab">
      <div className="subtoolbar" role="toolbar" aria-label={t('storage.toolbarLabel')}>
        <CommandBar layout={STORAGE_TAB} testIdPrefix="storage-" scope={{ keys: [node.id] }} />
        {facet && !facet.rescan && facet.rescanNote ? (
          <span className="hint" data-testid="storage-rescan-note">
            {localized(facet.rescanNote, i18n.language)}
          </span>
        ) : null}
      </div>
      {info ? (
        <dl className="storage-facts" data-testid="storage-facts">
          <dt>{t('storage.type')}</dt>
          <dd data-testid="storage-type">{info.type || '—'}</dd>
          <dt>{t('storage.shared')}</dt>
          <dd data-testid="storage-shared">{info.shared ? t('storage.yes') : t('storage.no')}</dd>
          <dt>{t('storage.size')}</dt>
          <dd>
            <FreeSpaceBar info={info} />
            {info.size === null ? <span data-testid="storage-no-size">{info.used !== null ? t('storage.usedOnly', { used: size(info.used) }) : t('storage.noSize')}</span> : null}
          </dd>
          <dt>{t('storage.hosts')}</dt>
          <dd data-testid="storage-hosts">{hosts.length ? hosts.join(', ') : t('storage.noHosts')}</dd>
        </dl>
      ) : null}
      <h3 className="section-title">{t('storage.disks')}</h3>
      {error ? <ErrorDetails error={error} /> : null}
      {disks === null && !error ? <p className="details-hint">{t('storage.loading')}</p> : null}
      {disks && disks.length === 0 ? <p className="details-hint" data-testid="storage-no-disks">{t('storage.noDisks')}</p> : null}
      {disks && disks.length > 0 ? (
        <table className="storage-disks" data-testid="storage-disks">
          <thead>
            <tr>
              <th>{t('storage.col.name')}</th>
              <th>{t('storage.col.size')}</th>
              <th>{t('storage.col.usedBy')}</th>
              <th>{t('storage.col.snapshot')}</th>
              <th>{t('storage.col.content')}</th>
            </tr>
          </thead>
          <tbody>
            {disks.map((d) => (
              <tr key={d.ref} data-testid="storage-disk" data-ref={d.ref}>
                <td>{d.name}</td>
                <td className="size">{size(d.size)}</td>
                <td data-testid="storage-disk-users">{d.usedBy.map((u) => u.name).join(', ')}</td>
                <td>{d.snapshot ? t('storage.yes') : ''}</td>
                <td>{CONTENT_WORDS[d.content] ? t(CONTENT_WORDS[d.content]!) : d.content}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
