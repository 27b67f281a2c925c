// When the policy runs and how many of its snapshots it keeps: hourly at minute M, daily
// at H:M, or weekly on chosen days at H:M, in the zone said on the page (the user's for
// Polyvisor's own policies, the server's for one it runs); the server's limit on keeping.
import { useTranslation } from 'react-i18next';
import { WEEKDAYS, type PolicyRunner } from '../../../shared/schedules';
import { useStore } from '../store/store';
import { FieldProblem } from './FieldProblem';
import { describeSchedule, weekdayName } from './frequency';
import { RETAIN_MAX } from './policy-rules';
import { frequencyOf, type StepProps, type WizardDraft } from './wizard-draft';

const EVERY: ReadonlyArray<WizardDraft['every']> = ['hourly', 'daily', 'weekly'];
const pad = (n: number) => String(n).padStart(2, '0');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function NumberSelect(props: { testId: string; label: string; value: number; count: number; onChange: (v: number) => void }) {
  return (
    <select data-testid={props.testId} aria-label={props.label} value={props.value} onChange={(e) => props.onChange(Number(e.target.value))}>
      {range(props.count).map((n) => (
        <option key={n} value={n}>
          {pad(n)}
        </option>
      ))}
    </select>
  );
}

export function ScheduleStep(props: StepProps & { runner: PolicyRunner; zone: string | null; retainMax: number }) {
  const { t, i18n } = useTranslation();
  const { draft, change, problems, runner } = props;
  const serverName = useStore((s) => (runner.kind === 'server' ? (s.servers.find((v) => v.id === runner.serverId)?.name ?? runner.serverId) : ''));
  const minute = <NumberSelect testId="policy-minute" label={t('policyWizard.minute')} value={draft.minute} count={60} onChange={(v) => change({ minute: v })} />;
  const hour = <NumberSelect testId="policy-hour" label={t('policyWizard.hour')} value={draft.hour} count={24} onChange={(v) => change({ hour: v })} />;
  return (
    <div className="form-grid">
      <fieldset className="field radio-row" data-testid="policy-every">
        <legend>{t('policyWizard.every')}</legend>
        {EVERY.map((every) => (
          <label key={every} className="checkbox">
            <input type="radio" name="policy-every" data-testid={`policy-every-${every}`} checked={draft.every === every} onChange={() => change({ every })} />
            {t(`policyWizard.everyOption.${every}`)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <span>{draft.every === 'hourly' ? t('policyWizard.atMinute') : t('policyWizard.atTime')}</span>
        <div className="time-row">
          {draft.every === 'hourly' ? (
            minute
          ) : (
            <>
              {hour}
              <span aria-hidden="true">:</span>
              {minute}
            </>
          )}
        </div>
      </div>
      {draft.every === 'weekly' ? (
        <fieldset className={`field radio-row${problems.days ? ' invalid' : ''}`} data-testid="policy-days">
          <legend>{t('policyWizard.days')}</legend>
          {WEEKDAYS.map((day) => (
            <label key={day} className="checkbox">
              <input
                type="checkbox"
                data-testid={`policy-day-${day}`}
                checked={draft.days.includes(day)}
                onChange={(e) => change({ days: e.target.checked ? WEEKDAYS.filter((d) => d === day || draft.days.includes(d)) : draft.days.filter((d) => d !== day) })}
              />
              {weekdayName(day, i18n.language, 'short')}
            </label>
          ))}
          <FieldProblem text={problems.days} testId="policy-days-error" />
        </fieldset>
      ) : null}
      <p className="policy-zone" data-testid="policy-zone">
        {runner.kind === 'polyvisor'
          ? t('policyWizard.zoneLocal', { zone: props.zone })
          : props.zone
            ? t('policyWizard.zoneServer', { zone: props.zone, server: serverName })
            : t('policyWizard.zoneServerUnknown', { server: serverName })}
      </p>
      <p className="hint" data-testid="policy-schedule-words">
        {describeSchedule(frequencyOf(draft), props.zone, t, i18n.language)}
      </p>
      <FieldProblem text={problems.schedule} />
      <label className={`field narrow-field${problems.retain ? ' invalid' : ''}`}>
        <span>{t('policyWizard.retain')}</span>
        <input
          type="number"
          data-testid="policy-retain"
          // the range is checked here, on the field, not by the browser's own bubble
          value={Number.isNaN(draft.retain) ? '' : draft.retain}
          onChange={(e) => change({ retain: e.target.value === '' ? NaN : Number(e.target.value) })}
        />
        <span className="hint">
          {t('policyWizard.retainHint')}
          {props.retainMax < RETAIN_MAX ? ` ${t('policyWizard.retainServerMax', { server: serverName, max: props.retainMax })}` : ''}
        </span>
        <FieldProblem text={problems.retain} testId="policy-retain-error" />
      </label>
    </div>
  );
}
