// Set memory…: one dynamic range for several guests at once (XenCenter's Memory tab
// dialog). One configure task each; the server judges each guest's own limits, and
// the dialog lists which took the range and which refused, with the server's code.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { TaskInfo } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { parseSize } from '../../../shared/sizes';
import { Dialog } from '../dialogs/Dialog';
import { useSubmit } from '../dialogs/use-submit';
import { storeActions, useStore } from '../store/store';
import { GuestField, SizeInput } from './GuestField';
import { configureGuests } from './guest-requests';
import { ServerRefusal } from './ServerRefusal';
import { whenFinished } from './task-watch';

export function SetMemoryDialog({ nodeIds }: { nodeIds: string[] }) {
  const { t } = useTranslation();
  const guests = useStore(useShallow((s) => nodeIds.map((id) => s.index.nodes.get(id)).filter((n): n is InventoryNode => n !== undefined)));
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [shown, setShown] = useState(false);
  const [outcomes, setOutcomes] = useState<TaskInfo[] | null>(null);
  const minBytes = parseSize(min, 'mib');
  const maxBytes = parseSize(max, 'mib');
  const problems = {
    min: !min.trim() ? t('guests.problem.required', { field: t('guests.field.dynamicMin') }) : !minBytes.ok ? t('guests.problem.notSizeShort', { field: t('guests.field.dynamicMin') }) : undefined,
    max: !max.trim() ? t('guests.problem.required', { field: t('guests.field.dynamicMax') }) : !maxBytes.ok ? t('guests.problem.notSizeShort', { field: t('guests.field.dynamicMax') }) : undefined,
    order: minBytes.ok && maxBytes.ok && minBytes.bytes > maxBytes.bytes ? t('guests.problem.minAboveMax') : undefined,
  };
  const valid = !problems.min && !problems.max && !problems.order;
  const submission = useSubmit(async () => {
    if (!minBytes.ok || !maxBytes.ok) return;
    const tasks = await configureGuests(nodeIds, { memory: { dynamicMinBytes: minBytes.bytes, dynamicMaxBytes: maxBytes.bytes } });
    setOutcomes(await Promise.all(tasks.map((task) => whenFinished(task.id))));
  });
  const submit = () => {
    setShown(true);
    if (outcomes) storeActions.closeDialog();
    else if (valid) submission.submit();
  };
  return (
    <Dialog
      title={t('guests.setMemory.title', { count: guests.length })}
      testId="set-memory-dialog"
      onCancel={storeActions.closeDialog}
      onSubmit={submit}
      footer={
        <>
          {outcomes ? null : (
            <button type="button" onClick={storeActions.closeDialog}>
              {t('common.cancel')}
            </button>
          )}
          <button type="submit" className="primary" data-testid="set-memory-ok" aria-busy={submission.busy}>
            {outcomes ? t('common.close') : t('guests.setMemory.apply')}
          </button>
        </>
      }
    >
      <div className="form-grid">
        <p className="hint">{t('guests.setMemory.intro', { names: guests.map((g) => g.name).join(', ') })}</p>
        <div className="field-row">
          <GuestField label={t('guests.field.dynamicMin')} testId="set-memory-min" problem={shown ? problems.min : undefined}>
            <SizeInput testId="set-memory-min" value={min} disabled={!!outcomes} onChange={setMin} />
          </GuestField>
          <GuestField label={t('guests.field.dynamicMax')} testId="set-memory-max" problem={shown ? (problems.max ?? problems.order) : undefined}>
            <SizeInput testId="set-memory-max" value={max} disabled={!!outcomes} onChange={setMax} />
          </GuestField>
        </div>
        <p className="hint">{t('guests.setMemory.serverJudges')}</p>
        {submission.error ? <ServerRefusal error={submission.error} /> : null}
        {outcomes ? (
          <ul className="guest-outcomes" data-testid="set-memory-outcomes">
            {outcomes.map((task) => (
              <li key={task.id} data-testid="set-memory-outcome" data-guest={task.targetName} data-status={task.status}>
                <strong>{task.targetName}</strong>
                {': '}
                {task.status === 'success' ? t('guests.setMemory.done') : null}
                {task.error ? <ServerRefusal error={task.error} /> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Dialog>
  );
}
