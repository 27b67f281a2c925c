// A new SDN zone (Proxmox VE): its type, as the server offers them — the types Polyvisor
// does not make (EVPN needs an SDN controller) shown greyed with the reason — and what
// its type needs: the bridge a VLAN or QinQ zone rides, a QinQ zone's service tag, a
// VXLAN zone's peers.
import { useTranslation } from 'react-i18next';
import type { NetworkCreateOptions, NetworkDraft, SdnZoneType } from '../../../shared/networks';

export type ZoneValue = Pick<NetworkDraft, 'zoneType' | 'bridge' | 'vlan' | 'peers'> & { peersText?: string; tagText?: string };

export function zoneDraft(options: NetworkCreateOptions | null | undefined, v: ZoneValue): Pick<NetworkDraft, 'zoneType' | 'bridge' | 'vlan' | 'peers'> {
  const zoneType = v.zoneType ?? options?.zoneTypes?.find((z) => z.built)?.type;
  const bridge = v.bridge || options?.zoneBridges?.[0];
  const tag = v.tagText?.trim() ? Number(v.tagText) : undefined;
  const peers = (v.peersText ?? '').split(/[\s,;]+/).filter(Boolean);
  return {
    ...(zoneType ? { zoneType } : {}),
    ...((zoneType === 'vlan' || zoneType === 'qinq') && bridge ? { bridge } : {}),
    ...(zoneType === 'qinq' && tag !== undefined ? { vlan: tag } : {}),
    ...(zoneType === 'vxlan' ? { peers } : {}),
  };
}

export function zoneInvalid(d: ReturnType<typeof zoneDraft>): boolean {
  if (!d.zoneType) return true;
  if ((d.zoneType === 'vlan' || d.zoneType === 'qinq') && !d.bridge) return true;
  if (d.zoneType === 'qinq' && !(Number.isInteger(d.vlan) && d.vlan! >= 1 && d.vlan! <= 4094)) return true;
  return d.zoneType === 'vxlan' && !d.peers?.length;
}

export function ZoneFields(props: { options: NetworkCreateOptions | null | undefined; value: ZoneValue; onChange: (patch: ZoneValue) => void }) {
  const { t } = useTranslation();
  const { options, value, onChange } = props;
  const d = zoneDraft(options, value);
  const greyed = (options?.zoneTypes ?? []).filter((z) => !z.built).map((z) => z.type);
  return (
    <>
      <label className="field">
        <span>{t('networks.zoneType')}</span>
        <select data-testid="new-network-zone-type" value={d.zoneType ?? ''} onChange={(e) => onChange({ zoneType: e.target.value as SdnZoneType })}>
          {(options?.zoneTypes ?? []).map((z) => (
            <option key={z.type} value={z.type} disabled={!z.built} title={z.built ? undefined : t('networks.zoneTypeNotBuilt', { type: z.type })}>
              {t(`networks.zoneTypeName.${z.type}`)}
            </option>
          ))}
        </select>
        {greyed.length ? (
          <span className="hint" data-testid="new-network-zone-greyed">
            {greyed.map((type) => t('networks.zoneTypeNotBuilt', { type: t(`networks.zoneTypeName.${type}`) })).join(' ')}
          </span>
        ) : null}
      </label>
      {d.zoneType === 'vlan' || d.zoneType === 'qinq' ? (
        <label className="field">
          <span>{t('networks.zoneBridge')}</span>
          <select data-testid="new-network-zone-bridge" value={d.bridge ?? ''} onChange={(e) => onChange({ bridge: e.target.value })}>
            {(options?.zoneBridges ?? []).map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {d.zoneType === 'qinq' ? (
        <label className="field">
          <span>{t('networks.serviceVlan')}</span>
          <input data-testid="new-network-zone-tag" inputMode="numeric" value={value.tagText ?? ''} onChange={(e) => onChange({ tagText: e.target.value })} />
        </label>
      ) : null}
      {d.zoneType === 'vxlan' ? (
        <label className="field">
          <span>{t('networks.peers')}</span>
          <input data-testid="new-network-zone-peers" placeholder="192.168.1.11, 192.168.1.12" value={value.peersText ?? ''} onChange={(e) => onChange({ peersText: e.target.value })} />
        </label>
      ) : null}
    </>
  );
}
