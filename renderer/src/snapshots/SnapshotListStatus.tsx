// Where the Snapshots tab has no tree to show: the list being read (asked once when the
// tab opens on a guest whose list is not read yet), the server's error if that failed,
// or that the guest has no snapshots.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { ErrorDetails } from '../components/ErrorDetails';
import { readSnapshotList, snapshotListView } from './snapshot-list-read';

export function SnapshotListStatus({ vm, snapshotCount }: { vm: InventoryNode; snapshotCount: number }) {
  const { t } = useTranslation();
  const [readError, setReadError] = useState<ErrorInfo | null>(null);
  const pending = vm.snapshotsPending === true;

  useEffect(() => {
    setReadError(null);
    if (!pending) return;
    let open = true;
    void readSnapshotList(vm.id).then((answer) => {
      if (open && !answer.ok) setReadError(answer.error);
    });
    return () => {
      open = false;
    };
  }, [vm.id, pending]);

  const view = snapshotListView(vm, snapshotCount, readError);
  if (view === 'reading') return <p className="details-hint" role="status" data-testid="snap-reading">{t('snapshots.reading')}</p>;
  if (view === 'failed' && readError) {
    return (
      <div className="details-hint" data-testid="snap-read-failed">
        <p>{t('snapshots.readFailed')}</p>
        <ErrorDetails error={readError} compact />
      </div>
    );
  }
  return view === 'none' ? <p className="details-hint" data-testid="snap-empty">{t('snapshots.none')}</p> : null;
}
