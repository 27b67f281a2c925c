// A network's tab (issue 16): what it is (type, VLAN, MTU, bridge or switch, the hosts that
// have it, its ports, a change not applied yet), the interfaces that carry it per host (XenCenter's NICs), and the VMs and
// containers attached with their NIC's MAC and addresses — read when the tab opens and
// after each task on the network. Delete where the platform can, with the server's refusal.
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { localized } from '../../../shared/descriptor';
import { CommandBar } from '../components/CommandBar';
import { ErrorDetails } from '../components/ErrorDetails';
import { descriptorOf } from '../providers/descriptors';
import { storeActions, useStore } from '../store/store';
import { useAnswer } from '../storage/use-answer';
import { fetchNetworkDetails } from './network-requests';
import { SubnetsSection } from './SubnetsSection';
import './networks.css';

const NETWORK_TAB = [
  { id: 'new-network', testId: 'network-new' },
  { id: 'delete-network', testId: 'network-delete' },
] as const;

export function NetworkTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const index = useStore((s) => s.index);
  const facet = useStore((s) => descriptorOf(s, s.servers.find((v) => v.id === node.serverId)?.type)?.facets.networks);
  const finished = useStore((s) => s.tasks.filter((task) => task.serverId === node.serverId && task.status !== 'running').length);
  const { value: details, error } = useAnswer(() => fetchNetworkDetails(node.id), `${node.id}\n${finished}`);
  const info = node.network;
  const hosts = (info?.hostIds ?? []).map((id) => index.nodes.get(id)?.name ?? id);
  const dash = '—';
  // a bonded network: every host's bond has the same mode and members' devices
  const bond = details?.interfaces.find((i) => i.bond)?.bond;
  return (
    <div className="network-tab" data-testid="network-tab">
      <div className="subtoolbar" role="toolbar" aria-label={t('networks.toolbarLabel')}>
        <CommandBar layout={NETWORK_TAB} testIdPrefix="network-" scope={{ keys: [node.id] }} />
        {facet && !facet.delete && facet.deleteNote ? (
          <span className="hint" data-testid="network-delete-note">
            {localized(facet.deleteNote, i18n.language)}
          </span>
        ) : null}
      </div>
      {info ? (
        <dl className="storage-facts" data-testid="network-facts">
          <dt>{t('networks.type')}</dt>
          <dd data-testid="network-type">
            {t(`networks.typeName.${info.type}`)}
            {info.driver ? ` (${info.driver})` : ''}
          </dd>
          <dt>{t('networks.vlan')}</dt>
          <dd data-testid="network-vlan">{info.vlan ?? t('networks.untagged')}</dd>
          <dt>{t('networks.mtu')}</dt>
          <dd data-testid="network-mtu">{info.mtu ?? dash}</dd>
          <dt>{t('networks.bridge')}</dt>
          <dd data-testid="network-bridge">{info.bridge ?? dash}</dd>
          {info.subnets?.length ? (
            <>
              <dt>{t('networks.subnets')}</dt>
              <dd data-testid="network-subnets">{info.subnets.join(', ')}</dd>
            </>
          ) : null}
          {typeof node.props.ports === 'string' ? (
            <>
              <dt>{t('networks.ports')}</dt>
              <dd data-testid="network-ports">{node.props.ports}</dd>
            </>
          ) : null}
          {bond ? (
            <>
              <dt>{t('networks.bondMode')}</dt>
              <dd data-testid="network-bond-mode">{t(`networks.bondModeName.${bond.mode}`, { defaultValue: bond.mode })}</dd>
              <dt>{t('networks.bondMembers')}</dt>
              <dd data-testid="network-bond-members">{bond.members.join(' + ')}</dd>
            </>
          ) : null}
          <dt>{t('networks.hosts')}</dt>
          <dd data-testid="network-hosts">{hosts.length ? hosts.join(', ') : t('networks.noHosts')}</dd>
          {typeof node.props.pending === 'string' ? (
            <>
              <dt>{t('networks.state')}</dt>
              <dd data-testid="network-pending">{t(`networks.pendingState.${node.props.pending}`, { defaultValue: node.props.pending })}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {error ? <ErrorDetails error={error} /> : null}
      {details === null && !error ? <p className="details-hint">{t('networks.loading')}</p> : null}
      {details && details.interfaces.length > 0 ? (
        <>
          <h3 className="section-title">{t('networks.interfaces')}</h3>
          <table className="network-table" data-testid="network-interfaces">
            <thead>
              <tr>
                <th>{t('networks.col.host')}</th>
                <th>{t('networks.col.device')}</th>
                <th>{t('networks.col.kind')}</th>
                <th>{t('networks.col.vlan')}</th>
                <th>{t('networks.col.mac')}</th>
                <th>{t('networks.col.ip')}</th>
                <th>{t('networks.col.link')}</th>
              </tr>
            </thead>
            <tbody>
              {details.interfaces.map((i) => (
                <tr key={i.ref} data-testid="network-interface">
                  <td>{i.hostName}</td>
                  <td>{i.device}</td>
                  <td>{i.kind}</td>
                  <td>{i.vlan ?? ''}</td>
                  <td className="mono">{i.mac ?? ''}</td>
                  <td>{i.ip ?? ''}</td>
                  <td>{i.connected === null ? t('networks.linkUnknown') : i.connected ? t('networks.connected') : t('networks.disconnected')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {details?.subnets && facet?.subnets ? <SubnetsSection nodeId={node.id} subnets={details.subnets} /> : null}
      <h3 className="section-title">{t('networks.attached')}</h3>
      {details && details.attached.length === 0 ? <p className="details-hint" data-testid="network-no-guests">{t('networks.noGuests')}</p> : null}
      {details && details.attached.length > 0 ? (
        <table className="network-table" data-testid="network-guests">
          <thead>
            <tr>
              <th>{t('networks.col.guest')}</th>
              <th>{t('networks.col.device')}</th>
              <th>{t('networks.col.mac')}</th>
              <th>{t('networks.col.ip')}</th>
            </tr>
          </thead>
          <tbody>
            {details.attached.map((a) => (
              <tr key={`${a.guestId}\n${a.device}`} data-testid="network-guest">
                <td>
                  <button type="button" className="link-button" onClick={() => storeActions.select(a.guestId, 'single')}>
                    {a.guestName}
                  </button>
                </td>
                <td>{a.device}</td>
                <td className="mono">{a.mac ?? ''}</td>
                <td>{a.ips.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
