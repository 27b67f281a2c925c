// A bond or bridge made on one host (Proxmox VE: a Linux bond of a node's NICs, a Linux
// bridge with its ports), drawn from what the server offers: its hosts, each host's free
// NICs (bond) or NICs, bonds and VLANs (bridge ports), the bond modes it takes. A primary
// NIC only for active-backup, a hash policy only for balance-xor and 802.3ad, as Linux
// bonding takes them; the host's own address and gateway optional.
import { useTranslation } from 'react-i18next';
import { BOND_HASH_POLICIES, type BondHashPolicy, type BondMode, type NetworkCreateOptions, type NetworkDraft } from '../../../shared/networks';

export type NodeInterfaceValue = Pick<NetworkDraft, 'host' | 'members' | 'ports' | 'mode' | 'primary' | 'hashPolicy' | 'vlanAware' | 'cidr' | 'gateway'>;

const HASHED: ReadonlySet<string> = new Set(['balance-xor', '802.3ad']);

/** The draft's fields with the defaults the form shows (the first host, balance-rr), and only those the mode takes. */
export function nodeInterfaceDraft(kind: 'bond' | 'bridge', options: NetworkCreateOptions | null | undefined, v: NodeInterfaceValue): NodeInterfaceValue {
  const host = v.host || options?.hosts?.[0]?.value;
  const mode: BondMode = v.mode ?? options?.bondModes?.[0] ?? 'balance-rr';
  const trimmed = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const common = { ...(host ? { host } : {}), ...(trimmed(v.cidr) ? { cidr: trimmed(v.cidr) } : {}), ...(trimmed(v.gateway) ? { gateway: trimmed(v.gateway) } : {}) };
  if (kind === 'bridge') return { ...common, ports: v.ports ?? [], ...(v.vlanAware ? { vlanAware: true } : {}) };
  return {
    ...common,
    members: v.members ?? [],
    mode,
    ...(mode === 'active-backup' && v.primary && v.members?.includes(v.primary) ? { primary: v.primary } : {}),
    ...(HASHED.has(mode) && v.hashPolicy ? { hashPolicy: v.hashPolicy } : {}),
  };
}

export function nodeInterfaceInvalid(kind: 'bond' | 'bridge', draft: NodeInterfaceValue): boolean {
  return !draft.host || (kind === 'bond' && !draft.members?.length);
}

export function NodeInterfaceFields(props: { kind: 'bond' | 'bridge'; options: NetworkCreateOptions | null | undefined; value: NodeInterfaceValue; onChange: (patch: NodeInterfaceValue) => void }) {
  const { t } = useTranslation();
  const { kind, options, onChange } = props;
  const v = nodeInterfaceDraft(kind, options, props.value);
  const list = kind === 'bond' ? 'members' : 'ports';
  const chosen = v[list] ?? [];
  const devices = ((kind === 'bond' ? options?.bondDevices : options?.portDevices) ?? []).filter((d) => d.host === v.host);
  const toggle = (device: string, on: boolean) => onChange({ [list]: on ? [...chosen, device] : chosen.filter((d) => d !== device) });
  return (
    <>
      <label className="field">
        <span>{t('networks.host')}</span>
        <select data-testid="new-network-host" value={v.host ?? ''} onChange={(e) => onChange({ host: e.target.value, members: [], ports: [], primary: undefined })}>
          {(options?.hosts ?? []).map((h) => (
            <option key={h.value} value={h.value}>
              {h.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="field" data-testid={`new-network-${list}`}>
        <legend>{t(kind === 'bond' ? 'networks.bondSlaves' : 'networks.bridgePorts')}</legend>
        {devices.map((d) => (
          <label key={d.value} className="checkbox">
            <input type="checkbox" data-testid={`new-network-${list}-${d.value}`} checked={chosen.includes(d.value)} onChange={(e) => toggle(d.value, e.target.checked)} />
            {d.label}
          </label>
        ))}
        {devices.length === 0 ? <span className="hint">{t(kind === 'bond' ? 'networks.noFreeNics' : 'networks.noFreePorts')}</span> : null}
        {kind === 'bond' && chosen.length === 0 ? <span className="hint">{t('networks.bondSlavesHint')}</span> : null}
      </fieldset>
      {kind === 'bond' ? (
        <>
          <label className="field">
            <span>{t('networks.bondMode')}</span>
            <select data-testid="new-network-bond-mode" value={v.mode} onChange={(e) => onChange({ mode: e.target.value as BondMode })}>
              {(options?.bondModes ?? []).map((m) => (
                <option key={m} value={m}>
                  {t(`networks.bondModeName.${m}`)}
                </option>
              ))}
            </select>
          </label>
          {v.mode === 'active-backup' ? (
            <label className="field">
              <span>{t('networks.bondPrimary')}</span>
              <select data-testid="new-network-bond-primary" value={v.primary ?? ''} onChange={(e) => onChange({ primary: e.target.value || undefined })}>
                <option value="">{t('networks.none')}</option>
                {chosen.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {HASHED.has(v.mode ?? '') ? (
            <label className="field">
              <span>{t('networks.hashPolicy')}</span>
              <select data-testid="new-network-hash-policy" value={v.hashPolicy ?? ''} onChange={(e) => onChange({ hashPolicy: (e.target.value || undefined) as BondHashPolicy | undefined })}>
                <option value="">{t('networks.serverDefault')}</option>
                {BOND_HASH_POLICIES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </>
      ) : (
        <label className="checkbox">
          <input type="checkbox" data-testid="new-network-vlan-aware" checked={!!v.vlanAware} onChange={(e) => onChange({ vlanAware: e.target.checked })} />
          {t('networks.vlanAware')}
        </label>
      )}
      <label className="field">
        <span>{t('networks.cidr')}</span>
        <input data-testid="new-network-cidr" placeholder="10.10.0.2/24" value={props.value.cidr ?? ''} onChange={(e) => onChange({ cidr: e.target.value })} />
      </label>
      <label className="field">
        <span>{t('networks.gateway')}</span>
        <input data-testid="new-network-gateway" placeholder="10.10.0.1" value={props.value.gateway ?? ''} onChange={(e) => onChange({ gateway: e.target.value })} />
      </label>
    </>
  );
}
