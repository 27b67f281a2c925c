// The install page's cloud-init / guest customization fields: those the platform's
// customization facet names (Proxmox cloud-init; vSphere Linux customization), under
// the platform's word for them. The password is write-only.
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import { customizationFields } from '../../../shared/cloud-init';
import { GuestField } from './GuestField';
import type { PageProps } from './wizard-page-props';

export function CustomizationFields({ draft, change, problems, label, customization }: PageProps) {
  const { t, i18n } = useTranslation();
  const fields = new Set(customizationFields({ customization }));
  const text = (key: 'ciHostname' | 'ciDomain' | 'ciTimeZone' | 'ciDns', testId: string, hint?: string) => (
    <GuestField label={label(key)} testId={testId} problem={problems[key]} hint={hint}>
      <input type="text" data-testid={testId} value={draft[key]} onChange={(e) => change({ [key]: e.target.value })} />
    </GuestField>
  );
  return (
    <fieldset className="field" data-testid="wizard-customization">
      <legend>{customization?.label ? localized(customization.label, i18n.language) : t('guests.wizard.cloudInit')}</legend>
      {fields.has('user') || fields.has('password') ? (
        <div className="field-row">
          {fields.has('user') ? (
            <GuestField label={t('guests.wizard.ciUser')} testId="wizard-ci-user">
              <input type="text" data-testid="wizard-ci-user" value={draft.ciUser} onChange={(e) => change({ ciUser: e.target.value })} />
            </GuestField>
          ) : null}
          {fields.has('password') ? (
            <GuestField label={t('guests.wizard.ciPassword')} testId="wizard-ci-password" hint={t('guests.wizard.ciPasswordHint')}>
              <input type="password" autoComplete="new-password" data-testid="wizard-ci-password" value={draft.ciPassword} onChange={(e) => change({ ciPassword: e.target.value })} />
            </GuestField>
          ) : null}
        </div>
      ) : null}
      {fields.has('sshKeys') ? (
        <GuestField label={t('guests.wizard.ciSshKeys')} testId="wizard-ci-ssh">
          <textarea rows={2} data-testid="wizard-ci-ssh" value={draft.ciSshKeys} onChange={(e) => change({ ciSshKeys: e.target.value })} />
        </GuestField>
      ) : null}
      <div className="field-row">
        {fields.has('hostname') ? text('ciHostname', 'wizard-ci-hostname') : null}
        {fields.has('domain') ? text('ciDomain', 'wizard-ci-domain') : null}
      </div>
      <div className="field-row">
        {fields.has('ipConfig') ? (
          <GuestField label={label('ciIpConfig')} testId="wizard-ci-ip" problem={problems.ciIpConfig} hint={t('guests.wizard.ciIpHint')}>
            <input type="text" data-testid="wizard-ci-ip" value={draft.ciIpConfig} onChange={(e) => change({ ciIpConfig: e.target.value })} />
          </GuestField>
        ) : null}
        {fields.has('dnsServers') ? text('ciDns', 'wizard-ci-dns', t('guests.field.ciDnsHint')) : null}
      </div>
      {fields.has('timeZone') ? text('ciTimeZone', 'wizard-ci-time-zone', t('guests.field.ciTimeZoneHint')) : null}
    </fieldset>
  );
}
