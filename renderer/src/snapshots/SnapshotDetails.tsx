// The selected snapshot's details beside the tree: name, time, kind, description and
// the policy that took it, with the commands that change it.
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { SNAPSHOT_DETAILS } from '../commands/layouts';
import type { CommandScope } from '../commands/types';
import { CommandBar } from '../components/CommandBar';
import { formatDateTime } from '../components/format';
import { SnapshotIcon } from '../components/Icons';
import { useStore } from '../store/store';
import { snapshotKindKey } from '../tree/snapshot-kinds';
import { policyLabel } from './policy-label';

export function SnapshotDetails({ snapshot, scope }: { snapshot: InventoryNode | undefined; scope: CommandScope }) {
  const { t, i18n } = useTranslation();
  const policies = useStore((s) => s.policies);
  if (!snapshot?.snapshot) {
    return (
      <aside className="snapshot-details" data-testid="snapshot-details">
        <p className="details-hint">{t('snapshotTab.selectForDetails')}</p>
      </aside>
    );
  }
  const info = snapshot.snapshot;
  const policy = policyLabel(snapshot, policies, t);
  return (
    <aside className="snapshot-details" data-testid="snapshot-details" data-id={snapshot.id}>
      <header className="snapshot-details-title">
        <SnapshotIcon memory={info.withMemory} policy={policy !== null} />
        <h3 data-prop="name">{snapshot.name}</h3>
      </header>
      <dl className="prop-grid">
        <dt>{t('snapshotProps.time')}</dt>
        <dd data-prop="time">{formatDateTime(info.time, i18n.language) || '—'}</dd>
        <dt>{t('snapshotProps.kind')}</dt>
        <dd data-prop="kind">{t(snapshotKindKey(snapshot))}</dd>
        <dt>{t('snapshotCreate.description')}</dt>
        <dd data-prop="description" className="snapshot-description">
          {info.description || '—'}
        </dd>
        <dt>{t('snapshotTab.takenBy')}</dt>
        <dd data-prop="policy">{policy ? t('snapshotTab.byPolicy', { policy }) : t('snapshotTab.byUser')}</dd>
      </dl>
      <div className="snapshot-details-actions">
        <CommandBar layout={SNAPSHOT_DETAILS} testIdPrefix="snap-details-" scope={scope} />
      </div>
    </aside>
  );
}
