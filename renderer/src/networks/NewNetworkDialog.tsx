// New network… on a server (issue 16): the kinds the platform takes (a VLAN on a NIC of
// every host, a private network, a port group on a distributed switch, an SDN vnet in a
// zone, a Docker network, a bond or bridge on one node and an SDN zone), with the server's own choices; the network is made as a task
// and the tree shows it when the server does.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BOND_MODES, type BondMode, type NetworkDraft, type NetworkKind } from '../../../shared/networks';
import { ErrorDetails } from '../components/ErrorDetails';
import { FormDialog } from '../dialogs/FormDialog';
import { useSubmit } from '../dialogs/use-submit';
import { storeActions, useStore } from '../store/store';
import { useAnswer } from '../storage/use-answer';
import { createNetwork, fetchNetworkOptions } from './network-requests';
import { NodeInterfaceFields, nodeInterfaceDraft, nodeInterfaceInvalid, type NodeInterfaceValue } from './NodeInterfaceFields';
import { StandardPortGroupFields, standardDraft, standardInvalid, type StandardValue } from './StandardPortGroupFields';
import { ZoneFields, zoneDraft, zoneInvalid, type ZoneValue } from './ZoneFields';

const TAGGED: ReadonlySet<NetworkKind> = new Set(['vlan', 'dvportgroup', 'sdn', 'standard']);

export function NewNetworkDialog({ serverId }: { serverId: string }) {
  const { t } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === serverId));
  const { value: options, error } = useAnswer(() => fetchNetworkOptions(serverId), serverId);
  const [kindChoice, setKind] = useState<NetworkKind | ''>('');
  const [name, setName] = useState('');
  const [vlan, setVlan] = useState('');
  const [device, setDevice] = useState('');
  const [parent, setParent] = useState('');
  const [driver, setDriver] = useState('');
  const [subnet, setSubnet] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const [mode, setMode] = useState<BondMode>('balance-slb');
  const [nodeIface, setNodeIface] = useState<NodeInterfaceValue>({});
  const [zone, setZone] = useState<ZoneValue>({});
  const [standard, setStandard] = useState<StandardValue>({});
  const kind = kindChoice || options?.kinds[0] || '';
  // a bond on one host at a time (Proxmox VE) rather than on every host (XAPI)
  const perHost = !!options?.hosts?.length;
  const onNode = kind === 'bridge' || (kind === 'bond' && perHost) ? nodeInterfaceDraft(kind, options, nodeIface) : null;
  const zoneFields = kind === 'zone' ? zoneDraft(options, zone) : null;
  const standardFields = kind === 'standard' ? standardDraft(options, standard) : null;
  const tag = vlan.trim() === '' ? undefined : Number(vlan);
  const tagInvalid = tag !== undefined && !(Number.isInteger(tag) && tag >= 0 && tag <= 4094);
  const needsTag = kind === 'vlan' || kind === 'dvportgroup';
  // XenCenter bonds 2 to 4 NICs
  const membersInvalid = kind === 'bond' && !perHost && (members.length < 2 || members.length > 4);
  const fieldsInvalid = (onNode !== null && nodeInterfaceInvalid(kind as 'bond' | 'bridge', onNode)) || (zoneFields !== null && zoneInvalid(zoneFields)) || (standardFields !== null && standardInvalid(standardFields));
  const toggleMember = (device: string, on: boolean) => setMembers((now) => (on ? [...now, device] : now.filter((d) => d !== device)));
  const draft = (): NetworkDraft => ({
    kind: kind as NetworkKind,
    name: name.trim(),
    ...(TAGGED.has(kind as NetworkKind) && tag !== undefined ? { vlan: tag } : {}),
    ...(kind === 'vlan' ? { device: device || options?.devices[0]?.value } : {}),
    ...(kind === 'dvportgroup' || kind === 'sdn' ? { parent: parent || options?.parents[0]?.value } : {}),
    ...(kind === 'container' ? { driver: driver || options?.drivers[0] } : {}),
    ...(kind === 'container' || kind === 'sdn') && subnet.trim() ? { subnet: subnet.trim() } : {},
    ...(kind === 'bond' && !perHost ? { members, mode } : {}),
    ...(onNode ?? {}),
    ...(zoneFields ?? {}),
    ...(standardFields ?? {}),
  });
  const submission = useSubmit(async () => {
    if (!kind || !name.trim() || tagInvalid || membersInvalid || fieldsInvalid || (needsTag && tag === undefined)) return;
    const task = await createNetwork(serverId, draft());
    if (task) storeActions.closeDialog();
  });
  return (
    <FormDialog
      title={t('networks.newTitle', { name: server?.name ?? serverId })}
      testId="new-network-dialog"
      submitLabel={t('networks.create')}
      submitTestId="new-network-ok"
      onSubmit={submission.submit}
      submitDisabled={!kind || name.trim() === '' || tagInvalid || membersInvalid || fieldsInvalid || (needsTag && tag === undefined)}
      busy={submission.busy}
    >
      <div className="form-grid">
        {error ? <ErrorDetails error={error} /> : null}
        {submission.error ? <ErrorDetails error={submission.error} /> : null}
        <label className="field">
          <span>{t('networks.kind')}</span>
          <select data-testid="new-network-kind" value={kind} onChange={(e) => setKind(e.target.value as NetworkKind)}>
            {(options?.kinds ?? []).map((k) => (
              <option key={k} value={k}>
                {t(`networks.kindName.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('networks.name')}</span>
          <input data-testid="new-network-name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        {kind === 'vlan' ? (
          <label className="field">
            <span>{t('networks.device')}</span>
            <select data-testid="new-network-device" value={device || options?.devices[0]?.value || ''} onChange={(e) => setDevice(e.target.value)}>
              {(options?.devices ?? []).map((d) => (
                <option key={d.value} value={d.value}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {onNode ? <NodeInterfaceFields kind={kind as 'bond' | 'bridge'} options={options} value={nodeIface} onChange={(patch) => setNodeIface((now) => ({ ...now, ...patch }))} /> : null}
        {standardFields ? <StandardPortGroupFields options={options} value={standard} onChange={(patch) => setStandard((now) => ({ ...now, ...patch }))} /> : null}
        {zoneFields ? <ZoneFields options={options} value={zone} onChange={(patch) => setZone((now) => ({ ...now, ...patch }))} /> : null}
        {kind === 'bond' && !perHost ? (
          <>
            <fieldset className="field" data-testid="new-network-bond-devices">
              <legend>{t('networks.bondDevices')}</legend>
              {(options?.bondDevices ?? []).map((d) => (
                <label key={d.value} className="checkbox">
                  <input type="checkbox" data-testid={`new-network-bond-device-${d.value}`} checked={members.includes(d.value)} onChange={(e) => toggleMember(d.value, e.target.checked)} />
                  {d.label}
                </label>
              ))}
              {membersInvalid ? <span className="hint">{t('networks.bondMembersHint')}</span> : null}
            </fieldset>
            <label className="field">
              <span>{t('networks.bondMode')}</span>
              <select data-testid="new-network-bond-mode" value={mode} onChange={(e) => setMode(e.target.value as BondMode)}>
                {BOND_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`networks.bondModeName.${m}`)}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : null}
        {kind === 'dvportgroup' || kind === 'sdn' ? (
          <label className="field">
            <span>{t(kind === 'sdn' ? 'networks.zone' : 'networks.switch')}</span>
            <select data-testid="new-network-parent" value={parent || options?.parents[0]?.value || ''} onChange={(e) => setParent(e.target.value)}>
              {(options?.parents ?? []).map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {kind === 'container' ? (
          <label className="field">
            <span>{t('networks.driver')}</span>
            <select data-testid="new-network-driver" value={driver || options?.drivers[0] || ''} onChange={(e) => setDriver(e.target.value)}>
              {(options?.drivers ?? []).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {TAGGED.has(kind as NetworkKind) ? (
          <label className={`field${tagInvalid ? ' invalid' : ''}`}>
            <span>{t('networks.vlanTag')}</span>
            <input data-testid="new-network-vlan" inputMode="numeric" value={vlan} onChange={(e) => setVlan(e.target.value)} />
            {tagInvalid ? (
              <span className="field-error" role="alert" data-testid="new-network-vlan-invalid">
                {t('networks.vlanInvalid')}
              </span>
            ) : null}
          </label>
        ) : null}
        {kind === 'container' || kind === 'sdn' ? (
          <label className="field">
            <span>{t('networks.subnet')}</span>
            <input data-testid="new-network-subnet" placeholder="10.20.0.0/24" value={subnet} onChange={(e) => setSubnet(e.target.value)} />
          </label>
        ) : null}
      </div>
    </FormDialog>
  );
}
