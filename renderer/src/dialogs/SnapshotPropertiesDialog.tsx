import { useTranslation } from 'react-i18next';
import { useStore } from '../store/store';
import { formatDateTime } from '../components/format';
import { InfoDialog } from './InfoDialog';
import { snapshotKindKey } from '../tree/snapshot-kinds';

export function SnapshotPropertiesDialog({ snapshotId }: { snapshotId: string }) {
  const { t, i18n } = useTranslation();
  const snap = useStore((s) => s.index.nodes.get(snapshotId));
  const vm = useStore((s) => (snap?.snapshot ? s.index.nodes.get(snap.snapshot.ofId) : undefined));
  if (!snap) return null;
  return (
    <InfoDialog title={t('snapshotProps.title')} testId="snapshot-properties-dialog">
      <dl className="prop-grid">
        <dt>{t('snapshotCreate.name')}</dt>
        <dd data-prop="name">{snap.name}</dd>
        <dt>{t('snapshotCreate.description')}</dt>
        <dd data-prop="description">{snap.snapshot?.description || '—'}</dd>
        <dt>{t('snapshotProps.time')}</dt>
        <dd data-prop="time">{formatDateTime(snap.snapshot?.time, i18n.language) || '—'}</dd>
        <dt>{t('snapshotProps.kind')}</dt>
        <dd data-prop="kind">{t(snapshotKindKey(snap))}</dd>
        <dt>{t('snapshotProps.of')}</dt>
        <dd>{vm?.name ?? '—'}</dd>
      </dl>
    </InfoDialog>
  );
}
