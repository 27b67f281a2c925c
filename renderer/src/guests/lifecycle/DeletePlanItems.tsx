// What a delete destroys, per item: its state and snapshots, then each disk (or named
// volume) with size and storage, and whether it goes or stays (kept, or used by other VMs).
import { useTranslation } from 'react-i18next';
import type { DeleteItem, DeletePlan } from '../../../../shared/guests';
import { formatBytes } from '../../components/format';

export function DeletePlanItems({ plan, keepDisks }: { plan: DeletePlan; keepDisks: boolean }) {
  return (
    <div className="delete-plan" data-testid="delete-plan">
      {plan.items.map((item) => (
        <PlanItem key={item.nodeId} item={item} keepDisks={keepDisks} />
      ))}
    </div>
  );
}

function PlanItem({ item, keepDisks }: { item: DeleteItem; keepDisks: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="delete-item" data-testid="delete-item" data-name={item.name}>
      <h3>
        {item.name}
        {item.running ? <span className="delete-running">{t('powerState.running')}</span> : null}
      </h3>
      {item.snapshots ? (
        <p className="hint" data-testid="delete-snapshots">
          {t('lifecycle.snapshotsGo', { count: item.snapshots })}
        </p>
      ) : null}
      {item.disks.length === 0 ? (
        <p className="hint">{t('lifecycle.noDisks')}</p>
      ) : (
        <table className="delete-disks">
          <thead>
            <tr>
              <th>{t('lifecycle.disk')}</th>
              <th>{t('lifecycle.size')}</th>
              <th>{t('lifecycle.storage')}</th>
              <th>{t('lifecycle.fate')}</th>
            </tr>
          </thead>
          <tbody>
            {item.disks.map((disk, i) => {
              const shared = (disk.sharedWith?.length ?? 0) > 0;
              const stays = shared || keepDisks;
              return (
                <tr key={`${i}-${disk.name}`} data-testid="delete-disk" data-disk={disk.name} data-fate={stays ? 'kept' : 'deleted'}>
                  <td>{disk.name}</td>
                  <td>{disk.sizeBytes === undefined ? '—' : formatBytes(disk.sizeBytes, i18n.language)}</td>
                  <td>{disk.storageName ?? '—'}</td>
                  <td className={stays ? 'kept' : 'deleted'}>
                    {shared ? t('lifecycle.sharedStays', { names: disk.sharedWith!.join(', ') }) : stays ? t('lifecycle.kept') : t('lifecycle.deleted')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
