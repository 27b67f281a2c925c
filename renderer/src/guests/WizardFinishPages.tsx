// The New VM wizard's last pages: install media (an ISO where the template installs
// from CD, cloud-init / customization fields where it takes them), the
// home server ("any" or a host with its free memory), and the summary with "start".
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import { formatBytes } from '../components/format';
import { useStore } from '../store/store';
import { ContainerFields } from './ContainerFields';
import { CustomizationFields } from './CustomizationFields';
import { GuestField } from './GuestField';
import { defaultStorageFor, withHost } from './wizard-draft';
import type { PageProps } from './wizard-page-props';

export function InstallPage(props: PageProps) {
  const { draft, change, options, template } = props;
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
      {cloud ? <CustomizationFields {...props} /> : null}
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

export function FinishPage({ draft, change, options, template, rules, label, customization }: PageProps) {
  const { t, i18n } = useTranslation();
  const serverName = useStore((s) => s.servers.find((v) => v.id === draft.serverId)?.name ?? '');
  if (!options || !template) return null;
  const customizationWord = customization?.label ? localized(customization.label, i18n.language) : t('guests.wizard.cloudInit');
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
    ['install', t('guests.wizard.step.install'), draft.isoId ? nameOf(options.isos, draft.isoId) : draft.ciUser || draft.ciHostname || draft.ciDomain || draft.ciIpConfig ? customizationWord : t('guests.wizard.none')],
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
