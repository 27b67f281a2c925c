// A new standard port group (vSphere): the host it goes on, or a cluster for every host of
// it, and the standard vSwitch, as the server offers them (createOptions standardPlaces,
// vswitches); its VLAN is the dialog's tag field.
import { useTranslation } from 'react-i18next';
import type { NetworkCreateOptions, NetworkDraft } from '../../../shared/networks';

export type StandardValue = Pick<NetworkDraft, 'parent' | 'device'>;

export function standardDraft(options: NetworkCreateOptions | null | undefined, v: StandardValue): StandardValue {
  const parent = v.parent || options?.standardPlaces?.[0]?.value;
  const device = v.device || options?.vswitches?.[0];
  return { ...(parent ? { parent } : {}), ...(device ? { device } : {}) };
}

export const standardInvalid = (d: StandardValue): boolean => !d.parent || !d.device;

export function StandardPortGroupFields(props: { options: NetworkCreateOptions | null | undefined; value: StandardValue; onChange: (patch: StandardValue) => void }) {
  const { t } = useTranslation();
  const { options, value, onChange } = props;
  const d = standardDraft(options, value);
  return (
    <>
      <label className="field">
        <span>{t('networks.standardPlace')}</span>
        <select data-testid="new-network-standard-place" value={d.parent ?? ''} onChange={(e) => onChange({ parent: e.target.value })}>
          {(options?.standardPlaces ?? []).map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('networks.vswitch')}</span>
        <select data-testid="new-network-vswitch" value={d.device ?? ''} onChange={(e) => onChange({ device: e.target.value })}>
          {(options?.vswitches ?? []).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">{t('networks.standardHint')}</p>
    </>
  );
}
