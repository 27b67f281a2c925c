// The New VM wizard's hardware pages: vCPUs and memory (the dynamic range, reservation,
// limit and shares where the platform declares them), disks (the template's first, then
// added ones, each on a storage with its free space), and network interfaces.
import { useTranslation } from 'react-i18next';
import { parseSize } from '../../../shared/sizes';
import { GuestField, SizeInput } from './GuestField';
import { StorageBar } from './StorageBar';
import { defaultStorageFor, disksThatDoNotFit, storagesFor, type DiskDraft } from './wizard-draft';
import type { PageProps } from './wizard-page-props';

export function ResourcesPage({ draft, change, problems, rules, label }: PageProps) {
  const { t } = useTranslation();
  return (
    <div className="form-grid">
      <div className="field-row">
        <GuestField label={label('vcpus')} testId="wizard-vcpus" problem={problems.vcpus} narrow>
          <input type="text" inputMode="numeric" data-testid="wizard-vcpus" value={draft.vcpus} onChange={(e) => change({ vcpus: e.target.value })} />
        </GuestField>
        <GuestField label={label('memory')} testId="wizard-memory" problem={problems.memory} hint={t('guests.field.sizeHint')}>
          <SizeInput testId="wizard-memory" value={draft.memory} onChange={(memory) => change({ memory })} />
        </GuestField>
      </div>
      {rules.has('memory.dynamic') ? (
        <fieldset className="field">
          <legend>{label('dynamicRange')}</legend>
          <p className="hint">{t('guests.field.dynamicHint')}</p>
          <div className="field-row">
            <GuestField label={label('dynamicMin')} testId="wizard-dynamic-min" problem={problems.dynamicMin}>
              <SizeInput testId="wizard-dynamic-min" value={draft.dynamicMin} onChange={(dynamicMin) => change({ dynamicMin })} />
            </GuestField>
            {rules.get('memory.dynamic')?.endsAtSize ? null : (
              <GuestField label={label('dynamicMax')} testId="wizard-dynamic-max" problem={problems.dynamicMax}>
                <SizeInput testId="wizard-dynamic-max" value={draft.dynamicMax} onChange={(dynamicMax) => change({ dynamicMax })} />
              </GuestField>
            )}
          </div>
        </fieldset>
      ) : null}
      <div className="field-row">
        {rules.has('memory.reservation') ? (
          <GuestField label={label('reservation')} testId="wizard-reservation" problem={problems.reservation}>
            <SizeInput testId="wizard-reservation" value={draft.reservation} onChange={(reservation) => change({ reservation })} />
          </GuestField>
        ) : null}
        {rules.has('memory.limit') ? (
          <GuestField label={label('limit')} testId="wizard-limit" problem={problems.limit} hint={t('guests.field.limitHint')}>
            <SizeInput testId="wizard-limit" value={draft.limit} onChange={(limit) => change({ limit })} />
          </GuestField>
        ) : null}
        {rules.has('memory.shares') ? (
          <GuestField label={label('shares')} testId="wizard-shares" problem={problems.shares} narrow>
            <input type="text" inputMode="numeric" data-testid="wizard-shares" value={draft.shares} onChange={(e) => change({ shares: e.target.value })} />
          </GuestField>
        ) : null}
      </div>
    </div>
  );
}

export function DisksPage({ draft, change, problems, options, label }: PageProps) {
  const { t } = useTranslation();
  if (!options) return null;
  const setDisk = (i: number, disk: Partial<DiskDraft>) => change({ disks: draft.disks.map((d, j) => (j === i ? { ...d, ...disk } : d)) });
  const offered = storagesFor(draft, options);
  const fallback = defaultStorageFor(draft, options);
  const tooBig = new Set(disksThatDoNotFit(draft, options));
  const wanted = (storageId: string) =>
    draft.disks.reduce((sum, d) => {
      const parsed = parseSize(d.size, 'mib');
      return (d.storageId || fallback?.id) === storageId && parsed.ok ? sum + parsed.bytes : sum;
    }, 0);
  return (
    <div className="form-grid">
      <table className="guest-disks" data-testid="wizard-disks">
        <thead>
          <tr>
            <th>{t('guests.wizard.disk')}</th>
            <th>{label('disk0')}</th>
            <th>{t('guests.wizard.storage')}</th>
            <th aria-label={t('guests.wizard.remove')} />
          </tr>
        </thead>
        <tbody>
          {draft.disks.map((disk, i) => (
            <tr key={i} data-testid="wizard-disk" data-template={disk.fromTemplate}>
              <td>{disk.fromTemplate ? t('guests.wizard.templateDisk', { n: i + 1 }) : t('guests.wizard.newDisk', { n: i + 1 })}</td>
              <td>
                <SizeInput testId={`wizard-disk-size-${i}`} value={disk.size} onChange={(size) => setDisk(i, { size })} />
                {problems[`disk${i}`] ? <div className="field-error" role="alert" data-testid={`problem-disk-${i}`}>{problems[`disk${i}`]}</div> : null}
                {tooBig.has(i) ? <div className="guest-warning" data-testid={`disk-too-big-${i}`}>{t('guests.wizard.doesNotFit')}</div> : null}
              </td>
              <td>
                <select data-testid={`wizard-disk-storage-${i}`} value={disk.storageId} onChange={(e) => setDisk(i, { storageId: e.target.value })}>
                  <option value="">{t('guests.wizard.defaultStorage', { name: fallback?.name ?? '' })}</option>
                  {offered.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {disk.fromTemplate ? null : (
                  <button type="button" data-testid={`wizard-disk-remove-${i}`} onClick={() => change({ disks: draft.disks.filter((_, j) => j !== i) })}>
                    {t('guests.wizard.remove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <button type="button" data-testid="wizard-disk-add" onClick={() => change({ disks: [...draft.disks, { size: '10GiB', storageId: '', fromTemplate: false }] })}>
          {t('guests.wizard.addDisk')}
        </button>
      </div>
      <div className="guest-storages">
        {offered.map((s) => (
          <StorageBar key={s.id} storage={s} wanted={wanted(s.id)} />
        ))}
      </div>
    </div>
  );
}

export function NetworksPage({ draft, change, options }: PageProps) {
  const { t } = useTranslation();
  if (!options) return null;
  const setNic = (i: number, id: string) => change({ networks: draft.networks.map((n, j) => (j === i ? id : n)) });
  const first = (options.networks.find((n) => n.isDefault) ?? options.networks[0])?.id;
  return (
    <div className="form-grid">
      {draft.networks.length === 0 ? <p className="hint">{t('guests.wizard.noNics')}</p> : null}
      {draft.networks.map((networkId, i) => (
        <div key={i} className="field-row" data-testid="wizard-nic">
          <label className="field grow">
            <span>{t('guests.wizard.nic', { n: i })}</span>
            <select data-testid={`wizard-nic-${i}`} value={networkId} onChange={(e) => setNic(i, e.target.value)}>
              {options.networks.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid={`wizard-nic-remove-${i}`} onClick={() => change({ networks: draft.networks.filter((_, j) => j !== i) })}>
            {t('guests.wizard.remove')}
          </button>
        </div>
      ))}
      <div>
        <button type="button" data-testid="wizard-nic-add" disabled={!first} onClick={() => first && change({ networks: [...draft.networks, first] })}>
          {t('guests.wizard.addNic')}
        </button>
      </div>
    </div>
  );
}
