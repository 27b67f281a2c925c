// The Properties dialog's simple sections: General (name, description, tags), CPU
// (vCPUs, with the most the guest takes without a restart), CD/DVD (insert or eject
// an ISO), Boot (device order, start automatically). Each field only where declared.
import { useTranslation } from 'react-i18next';
import { GuestField, RestartPolicySelect } from './GuestField';
import { ruleHint } from './guest-settings';
import type { SectionProps } from './properties-section-props';

export function GeneralSection({ draft, change, problems, rules, state, label }: SectionProps) {
  const { t } = useTranslation();
  return (
    <div className="form-grid">
      {rules.has('name') ? (
        <GuestField label={label('name', 'guests.field.name')} testId="props-name" problem={problems.name} {...state('name')}>
          <input type="text" data-testid="props-name" value={draft.name} disabled={!!state('name').disabledReason} onChange={(e) => change({ name: e.target.value })} />
        </GuestField>
      ) : null}
      {rules.has('description') ? (
        <GuestField label={label('description', 'guests.field.description')} testId="props-description" {...state('description')}>
          <textarea rows={3} data-testid="props-description" value={draft.description} disabled={!!state('description').disabledReason} onChange={(e) => change({ description: e.target.value })} />
        </GuestField>
      ) : null}
      {rules.has('tags') ? (
        <GuestField label={label('tags', 'guests.field.tags')} testId="props-tags" hint={t('guests.field.tagsHint')} {...state('tags')}>
          <input type="text" data-testid="props-tags" value={draft.tags} disabled={!!state('tags').disabledReason} onChange={(e) => change({ tags: e.target.value })} />
        </GuestField>
      ) : null}
    </div>
  );
}

export function CpuSection({ props, draft, change, problems, rules, state, label }: SectionProps) {
  const { t, i18n } = useTranslation();
  return (
    <div className="form-grid">
      {rules.has('cpuLimit') ? (
        <GuestField label={label('cpuLimit', 'guests.setting.cpuLimit')} testId="props-cpu-limit" problem={problems.cpuLimit} hint={ruleHint(rules.get('cpuLimit'), i18n.language)} narrow {...state('cpuLimit')}>
          <input type="text" inputMode="decimal" data-testid="props-cpu-limit" value={draft.cpuLimit} disabled={!!state('cpuLimit').disabledReason} onChange={(e) => change({ cpuLimit: e.target.value })} />
        </GuestField>
      ) : null}
      {rules.has('vcpus') ? (
        <GuestField
          label={label('vcpus', 'guests.field.vcpus')}
          testId="props-vcpus"
          problem={problems.vcpus}
          hint={props.vcpusMax !== undefined ? t('guests.props.vcpusMax', { max: props.vcpusMax }) : ruleHint(rules.get('vcpus'), i18n.language)}
          narrow
          {...state('vcpus')}
        >
          <input type="text" inputMode="numeric" data-testid="props-vcpus" value={draft.vcpus} disabled={!!state('vcpus').disabledReason} onChange={(e) => change({ vcpus: e.target.value })} />
        </GuestField>
      ) : null}
    </div>
  );
}

export function CdSection({ props, draft, change, state, label }: SectionProps) {
  const { t } = useTranslation();
  if (!props.cd) return <p className="hint">{t('guests.props.noDrive')}</p>;
  const marks = state('cd');
  return (
    <div className="form-grid">
      <GuestField label={label('cd', 'guests.field.cd')} testId="props-cd" {...marks}>
        <select data-testid="props-cd" value={draft.isoId} disabled={!!marks.disabledReason} onChange={(e) => change({ isoId: e.target.value })}>
          <option value="">{t('guests.props.empty')}</option>
          {props.isos.map((iso) => (
            <option key={iso.id} value={iso.id}>
              {[iso.name, iso.storageName].filter(Boolean).join(' · ')}
            </option>
          ))}
        </select>
      </GuestField>
      <div>
        <button type="button" data-testid="props-eject" disabled={draft.isoId === '' || !!marks.disabledReason} onClick={() => change({ isoId: '' })}>
          {t('guests.props.eject')}
        </button>
      </div>
    </div>
  );
}

export function BootSection({ draft, change, rules, state, label }: SectionProps) {
  const { t } = useTranslation();
  const move = (i: number, by: number) => {
    const order = [...draft.bootOrder];
    const [item] = order.splice(i, 1);
    order.splice(i + by, 0, item);
    change({ bootOrder: order });
  };
  const bootMarks = state('bootOrder');
  return (
    <div className="form-grid">
      {rules.has('bootOrder') ? (
        <fieldset className="field" data-testid="field-props-boot">
          <legend>
            {label('bootOrder', 'guests.field.bootOrder')}
            {bootMarks.nextBoot ? <em className="guest-next-boot">{` ${t('guests.field.nextBoot')}`}</em> : null}
          </legend>
          <ol className="guest-boot-order" data-testid="props-boot-order">
            {draft.bootOrder.map((device, i) => (
              <li key={device} data-device={device}>
                <span>{t(`guests.device.${device}`, { defaultValue: device })}</span>
                <button type="button" aria-label={t('guests.props.up')} disabled={i === 0 || !!bootMarks.disabledReason} onClick={() => move(i, -1)}>
                  ↑
                </button>
                <button type="button" aria-label={t('guests.props.down')} disabled={i === draft.bootOrder.length - 1 || !!bootMarks.disabledReason} onClick={() => move(i, 1)}>
                  ↓
                </button>
              </li>
            ))}
          </ol>
          {bootMarks.disabledReason ? <span className="hint">{bootMarks.disabledReason}</span> : null}
        </fieldset>
      ) : null}
      {rules.has('restartPolicy') ? (
        <GuestField label={label('restartPolicy', 'guests.setting.restartPolicy')} testId="props-restart" {...state('restartPolicy')}>
          <RestartPolicySelect testId="props-restart" value={draft.restartPolicy} disabled={!!state('restartPolicy').disabledReason} onChange={(restartPolicy) => change({ restartPolicy })} />
        </GuestField>
      ) : null}
      {rules.has('autoStart') ? (
        <label className="checkbox" title={state('autoStart').disabledReason ?? undefined}>
          <input type="checkbox" data-testid="props-autostart" checked={draft.autoStart} disabled={!!state('autoStart').disabledReason} onChange={(e) => change({ autoStart: e.target.checked })} />
          {label('autoStart', 'guests.field.autoStart')}
        </label>
      ) : null}
    </div>
  );
}
