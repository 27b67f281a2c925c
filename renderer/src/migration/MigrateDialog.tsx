// Migrate…: asks the servers where the VMs can go (migration:plan), lists each host
// with ok or the server's reason, and moves them to one host or spreads them over
// the pool (each VM to the host with the most free memory, taking turns).
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { MigrationPlan, MigrationTarget } from '../../../shared/migration';
import type { InventoryNode } from '../../../shared/model';
import { ErrorDetails } from '../components/ErrorDetails';
import { FormDialog } from '../dialogs/FormDialog';
import { TargetList } from '../dialogs/TargetList';
import { runAction } from '../store/requests';
import { storeActions, useStore } from '../store/store';
import { fetchMigrationPlan, type Answer } from './migration-requests';
import { MigrationReason } from './MigrationReason';
import { spreadOverPool, type Placement } from './spread';
import { defaultStorage, TargetPicker } from './TargetPicker';
import './migration.css';

type Mode = 'one' | 'spread';

export function MigrateDialog({ vmIds, notes }: { vmIds: string[]; notes?: string[] }) {
  const { t } = useTranslation();
  const vms = useStore(useShallow((s) => vmIds.map((id) => s.index.nodes.get(id)).filter((n): n is InventoryNode => n !== undefined)));
  const [answer, setAnswer] = useState<Answer<MigrationPlan> | null>(null);
  const [mode, setMode] = useState<Mode>('one');
  const [hostId, setHostId] = useState<string | null>(null);
  const [storageId, setStorageId] = useState<string | undefined>();
  const key = vmIds.join('\n');
  useEffect(() => {
    let live = true;
    void fetchMigrationPlan(key.split('\n')).then((a) => live && setAnswer(a));
    return () => {
      live = false;
    };
  }, [key]);
  const plan = answer?.ok ? answer.value : null;
  const index = useStore((s) => s.index);
  const placements = useMemo(
    () => (plan && vms.length > 1 ? spreadOverPool(plan, (id) => index.nodes.get(id), (id) => index.children.get(id) ?? []) : []),
    [plan, vms.length, index],
  );
  if (vms.length === 0) return null;
  const chooseHost = (id: string, target: MigrationTarget) => {
    setHostId(id);
    setStorageId(target.crossServer ? defaultStorage(target.storages)?.id : undefined);
  };
  const placed = placements.filter((p) => p.hostId);
  const canSubmit = mode === 'one' ? hostId !== null : placed.length > 0;
  const submit = () => {
    if (!canSubmit) return;
    storeActions.closeDialog();
    const label = t('migration.command.migrate');
    if (mode === 'one' && hostId) {
      void runAction(vmIds, 'migrate', { targetId: hostId, ...(storageId ? { storageId } : {}) }, label);
      return;
    }
    const byHost = new Map<string, string[]>();
    for (const p of placed) byHost.set(p.hostId!, [...(byHost.get(p.hostId!) ?? []), p.vmId]);
    for (const [target, ids] of byHost) void runAction(ids, 'migrate', { targetId: target }, label);
  };
  return (
    <FormDialog
      title={vms.length === 1 ? t('migration.title', { name: vms[0].name }) : t('migration.titleMany', { count: vms.length })}
      testId="migrate-dialog"
      submitLabel={t('migration.ok')}
      submitTestId="migrate-ok"
      onSubmit={submit}
      submitDisabled={!canSubmit}
    >
      <div className="form-grid">
        {vms.length > 1 ? <TargetList intro={t('migration.manyIntro', { count: vms.length })} names={vms.map((vm) => vm.name)} notes={notes} /> : <TargetList names={[]} notes={notes} />}
        {answer === null ? (
          <p className="hint" data-testid="migrate-loading">
            {t('migration.checking')}
          </p>
        ) : !answer.ok ? (
          <ErrorDetails error={answer.error} />
        ) : (
          <>
            {vms.length > 1 ? (
              <fieldset className="field radio-row">
                <label className="radio">
                  <input type="radio" name="migrate-mode" data-testid="migrate-mode-one" checked={mode === 'one'} onChange={() => setMode('one')} />
                  {t('migration.modeOne')}
                </label>
                <label className="radio">
                  <input type="radio" name="migrate-mode" data-testid="migrate-mode-spread" checked={mode === 'spread'} onChange={() => setMode('spread')} />
                  {t('migration.modeSpread')}
                </label>
              </fieldset>
            ) : null}
            {mode === 'one' ? (
              <TargetPicker plan={answer.value} vms={vms} hostId={hostId} onHost={chooseHost} storageId={storageId} onStorage={setStorageId} />
            ) : (
              <SpreadList placements={placements} />
            )}
          </>
        )}
      </div>
    </FormDialog>
  );
}

function SpreadList({ placements }: { placements: Placement[] }) {
  const { t } = useTranslation();
  const index = useStore((s) => s.index);
  const name = (id: string) => index.nodes.get(id)?.name ?? id;
  return (
    <>
      <p className="hint">{t('migration.spreadHint')}</p>
      <table className="migrate-spread" data-testid="migrate-spread">
        <tbody>
          {placements.map((p) => (
            <tr key={p.vmId} data-testid="migrate-placement" data-vm={name(p.vmId)} data-host={p.hostId ? name(p.hostId) : ''}>
              <td>{name(p.vmId)}</td>
              <td aria-hidden="true">→</td>
              <td>{p.hostId ? name(p.hostId) : p.reason ? <MigrationReason error={p.reason} /> : t('migration.noHostFor')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
