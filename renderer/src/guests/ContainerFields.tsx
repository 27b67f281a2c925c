// The container part of the New VM wizard's install page (a platform with images):
// command, environment, ports, volumes one per line, restart policy and CPU limit where declared.
import { useTranslation } from 'react-i18next';
import { GuestField, RestartPolicySelect } from './GuestField';
import type { ContainerDraft } from './container-draft';
import type { PageProps } from './wizard-page-props';

export function ContainerFields({ draft, change, problems, rules, label }: PageProps) {
  const { t } = useTranslation();
  const ct = draft.container;
  const set = (changes: Partial<ContainerDraft>) => change({ container: { ...ct, ...changes } });
  return (
    <fieldset className="field" data-testid="wizard-container">
      <legend>{t('guests.wizard.container')}</legend>
      <GuestField label={t('guests.wizard.ctCommand')} testId="wizard-ct-command" hint={t('guests.wizard.ctCommandHint')}>
        <input type="text" data-testid="wizard-ct-command" value={ct.command} onChange={(e) => set({ command: e.target.value })} />
      </GuestField>
      <div className="field-row">
        <GuestField label={label('ctPorts')} testId="wizard-ct-ports" problem={problems.ctPorts} hint={t('guests.wizard.ctPortsHint')}>
          <textarea rows={2} data-testid="wizard-ct-ports" value={ct.ports} onChange={(e) => set({ ports: e.target.value })} />
        </GuestField>
        <GuestField label={label('ctVolumes')} testId="wizard-ct-volumes" problem={problems.ctVolumes} hint={t('guests.wizard.ctVolumesHint')}>
          <textarea rows={2} data-testid="wizard-ct-volumes" value={ct.volumes} onChange={(e) => set({ volumes: e.target.value })} />
        </GuestField>
      </div>
      <GuestField label={label('ctEnv')} testId="wizard-ct-env" problem={problems.ctEnv} hint={t('guests.wizard.ctEnvHint')}>
        <textarea rows={2} data-testid="wizard-ct-env" value={ct.env} onChange={(e) => set({ env: e.target.value })} />
      </GuestField>
      <div className="field-row">
        {rules.has('restartPolicy') ? (
          <GuestField label={t('guests.setting.restartPolicy')} testId="wizard-ct-restart">
            <RestartPolicySelect testId="wizard-ct-restart" value={ct.restart} onChange={(restart) => set({ restart })} />
          </GuestField>
        ) : null}
        {rules.has('cpuLimit') ? (
          <GuestField label={label('ctCpus')} testId="wizard-ct-cpus" problem={problems.ctCpus} narrow>
            <input type="text" inputMode="decimal" data-testid="wizard-ct-cpus" value={ct.cpus} onChange={(e) => set({ cpus: e.target.value })} />
          </GuestField>
        ) : null}
      </div>
    </fieldset>
  );
}
