// The New VM wizard's last pages: install media (an ISO where the template installs
// from CD, cloud-init fields where it takes them; the password is write-only), the
// home server ("any" or a host with its free memory), and the summary with "start".
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../components/format';
import { useStore } from '../store/store';
import { ContainerFields } from './ContainerFields';
import { GuestField } from './GuestField';
import { defaultStorageFor, withHost } from './wizard-draft';
import type { PageProps } from './wizard-page-props';

export function InstallPage(props: PageProps) {
  const { draft, change, problems, options, template, label } = props;
  const { t } = useTranslation();
  if (!options || !template) return null;
  const iso = template.install.includes('iso');
  const cloud = template.install.includes('cloud-init');
  return (
    <div className="form-grid">
      {!iso && !cloud && !(template.makes === 'container' && props.containerFields) ? <p className="hint">{t('guests.wizard.installed')}</p> : null}
      {template.makes === 'container' && props.containerFields ? <ContainerFields {...props} /> : null}
      {iso ? (
        <GuestField label={t('guests.wizard.iso')} testId="wizard-iso">
          <select data-testid="wizard-iso" value={draft.isoId} onChange={(e) => change({ isoId: e.target.value })}>
            <option value="">{t('guests.wizard.noIso')}</option>
            {options.isos.map((i) => (
              <option key={i.id} value={i.id}>
                {[i.name, i.storageName].filter(Boolean).join(' · ')}
              </option>
            ))}
          </select>
        </GuestField>
      ) : null}
      {cloud ? (
        <fieldset className="field">
          <legend>{t('guests.wizard.cloudInit')}</legend>
          <div className="field-row">
            <GuestField label={t('guests.wizard.ciUser')} testId="wizard-ci-user">
              <input type="text" data-testid="wizard-ci-user" value={draft.ciUser} onChange={(e) => change({ ciUser: e.target.value })} />
            </GuestField>
            <GuestField label={t('guests.wizard.ciPassword')} testId="wizard-ci-password" hint={t('guests.wizard.ciPasswordHint')}>
              <input type="password" autoComplete="new-password" data-testid="wizard-ci-password" value={draft.ciPassword} onChange={(e) => change({ ciPassword: e.target.value })} />
            </GuestField>
          </div>
          <GuestField label={t('guests.wizard.ciSshKeys')} testId="wizard-ci-ssh">
            <textarea rows={2} data-testid="wizard-ci-ssh" value={draft.ciSshKeys} onChange={(e) => change({ ciSshKeys: e.target.value })} />
          </GuestField>
          <div className="field-row">
            <GuestField label={t('guests.wizard.ciHostname')} testId="wizard-ci-hostname">
              <input type="text" data-testid="wizard-ci-hostname" value={draft.ciHostname} onChange={(e) => change({ ciHostname: e.target.value })} />
            </GuestField>
            <GuestField label={label('ciIpConfig')} testId="wizard-ci-ip" problem={problems.ciIpConfig} hint={t('guests.wizard.ciIpHint')}>
              <input type="text" data-testid="wizard-ci-ip" value={draft.ciIpConfig} onChange={(e) => change({ ciIpConfig: e.target.value })} />
            </GuestField>
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}

export function HostPage({ draft, change, options }: PageProps) {
  const setHost = (hostId: string) => options && change(withHost(draft, hostId, options));
  const { t, i18n } = useTranslation();
  if (!options) return null;
  return (
    <fieldset className="field" role="radiogroup" aria-label={t('guests.wizard.step.host')}>
      <legend>{t('guests.wizard.hostIntro')}</legend>
      <label className="radio guest-choice" data-testid="wizard-host" data-host="">
        <input type="radio" name="wizard-host" checked={draft.hostId === ''} onChange={() => setHost('')} />
        <span>{t('guests.wizard.anyHost')}</span>
      </label>
      {options.hosts.map((h) => (
        <label key={h.hostId} className="radio guest-choice" data-testid="wizard-host" data-host={h.name}>
          <input type="radio" name="wizard-host" checked={draft.hostId === h.hostId} onChange={() => setHost(h.hostId)} />
          <span>{h.name}</span>
          {h.freeMemoryBytes !== undefined ? <span className="hint">{t('guests.wizard.hostFree', { size: formatBytes(h.freeMemoryBytes, i18n.language) })}</span> : null}
        </label>
      ))}
    </fieldset>
  );
}

export function FinishPage({ draft, change, options, template, rules, label }: PageProps) {
  const { t } = useTranslation();
  const serverName = useStore((s) => s.servers.find((v) => v.id === draft.serverId)?.name ?? '');
  if (!options || !template) return null;
  const nameOf = <T extends { id: string; name: string }>(list: T[], id: string) => list.find((x) => x.id === id)?.name ?? id;
  const defaultStorage = defaultStorageFor(draft, options)?.name ?? '';
  // where the range ends at the memory (Proxmox's balloon) its maximum is the memory
  const dynamicMax = rules.get('memory.dynamic')?.endsAtSize ? draft.memory : draft.dynamicMax;
  // a disk on the server's default storage when the wizard cannot name it (no home host chosen)
  const placed = (size: string, storage: string) => (storage ? `${size} @ ${storage}` : size);
  const rows: Array<[string, string, string]> = [
    ['server', t('guests.wizard.step.server'), serverName],
    ['template', t('guests.wizard.step.template'), template.name],
    ['name', label('name'), draft.name],
    ['vcpus', label('vcpus'), draft.vcpus],
    ['memory', label('memory'), draft.dynamicMin && dynamicMax ? `${draft.memory} (${draft.dynamicMin} – ${dynamicMax})` : draft.memory],
    ['disks', t('guests.wizard.step.disks'), draft.disks.map((d) => placed(d.size, d.storageId ? nameOf(options.storages, d.storageId) : defaultStorage)).join(', ') || t('guests.wizard.none')],
    ['networks', t('guests.wizard.step.networks'), draft.networks.map((id) => nameOf(options.networks, id)).join(', ') || t('guests.wizard.none')],
    ['install', t('guests.wizard.step.install'), draft.isoId ? nameOf(options.isos, draft.isoId) : draft.ciUser || draft.ciHostname ? t('guests.wizard.cloudInit') : t('guests.wizard.none')],
    ['host', t('guests.wizard.step.host'), draft.hostId ? options.hosts.find((h) => h.hostId === draft.hostId)?.name ?? draft.hostId : t('guests.wizard.anyHost')],
  ];
  return (
    <div className="form-grid">
      <dl className="prop-grid" data-testid="wizard-summary">
        {rows.map(([key, title, value]) => (
          <div key={key} className="prop-pair" data-summary={key}>
            <dt>{title}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <label className="checkbox">
        <input type="checkbox" data-testid="wizard-start" checked={draft.start} onChange={(e) => change({ start: e.target.checked })} />
        {t('guests.wizard.start')}
      </label>
    </div>
  );
}
