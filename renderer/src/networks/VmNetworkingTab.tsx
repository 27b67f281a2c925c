// A VM's or container's Networking tab (issue 16, XenCenter's): its NICs with their
// network, MAC, addresses and link, read when the tab opens and after each task on the
// guest; a NIC's network changed from its row, a NIC removed, one added on a network of
// the guest's server. Where the platform cannot, the facet's note says why.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { localized } from '../../../shared/descriptor';
import { ErrorDetails } from '../components/ErrorDetails';
import { descriptorOf } from '../providers/descriptors';
import { storeActions, useStore } from '../store/store';
import { useAnswer } from '../storage/use-answer';
import { addNic, fetchNics, removeNic, setNicNetwork } from './network-requests';
import './networks.css';

export function VmNetworkingTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const index = useStore((s) => s.index);
  const facet = useStore((s) => descriptorOf(s, s.servers.find((v) => v.id === node.serverId)?.type)?.facets.networks);
  const finished = useStore((s) => s.tasks.filter((task) => task.targetId === node.id && task.status !== 'running').length);
  const { value: list, error } = useAnswer(() => fetchNics(node.id), `${node.id}\n${finished}`);
  const host = hostOf(node, index.nodes);
  // a NIC goes on a network its host has (a network with no hosts is everywhere), where guests may go at all
  const networks = [...index.nodes.values()]
    .filter((n) => n.kind === 'network' && n.serverId === node.serverId && n.network?.type !== 'dvswitch' && n.network?.forGuests !== false)
    .filter((n) => !host || !n.network?.hostIds.length || n.network.hostIds.includes(host))
    .sort((a, b) => a.name.localeCompare(b.name));
  const [chosen, setChosen] = useState('');
  const addTo = chosen || networks[0]?.id || '';
  const nics = list?.nics ?? null;
  const note = facet?.nics.note ? localized(facet.nics.note, i18n.language) : null;
  return (
    <div className="network-tab" data-testid="vm-networking-tab">
      {note ? (
        <p className="hint" data-testid="nic-note">
          {note}
        </p>
      ) : null}
      {error ? <ErrorDetails error={error} /> : null}
      {nics === null && !error ? <p className="details-hint">{t('networks.loading')}</p> : null}
      {nics && nics.length === 0 ? <p className="details-hint" data-testid="vm-no-nics">{t('networks.noNics')}</p> : null}
      {nics && nics.length > 0 ? (
        <table className="network-table" data-testid="vm-nics">
          <thead>
            <tr>
              <th>{t('networks.col.device')}</th>
              <th>{t('networks.col.network')}</th>
              <th>{t('networks.col.mac')}</th>
              <th>{t('networks.col.ip')}</th>
              <th>{t('networks.col.link')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {nics.map((nic) => (
              <tr key={nic.id} data-testid="vm-nic" data-id={nic.id}>
                <td>{nic.device}</td>
                <td>
                  {facet?.nics.move && nic.networkId ? (
                    <select
                      aria-label={t('networks.changeNetwork', { device: nic.device })}
                      data-testid="vm-nic-network"
                      value={nic.networkId}
                      onChange={(e) => void setNicNetwork(node.id, nic.id, e.target.value)}
                    >
                      {networks.map((n) => (
                        <option key={n.id} value={n.id}>
                          {n.name}
                        </option>
                      ))}
                    </select>
                  ) : nic.networkId ? (
                    <button type="button" className="link-button" data-testid="vm-nic-network-link" onClick={() => storeActions.select(nic.networkId!, 'single')}>
                      {nic.networkName}
                    </button>
                  ) : (
                    <span data-testid="vm-nic-network-name">{nic.networkName}</span>
                  )}
                </td>
                <td className="mono" data-testid="vm-nic-mac">
                  {nic.mac ?? ''}
                </td>
                <td data-testid="vm-nic-ips">{nic.ips.join(', ')}</td>
                <td data-testid="vm-nic-link">{nic.connected === null ? t('networks.linkUnknown') : nic.connected ? t('networks.connected') : t('networks.disconnected')}</td>
                <td>
                  {facet?.nics.remove ? (
                    <button type="button" data-testid="vm-nic-remove" onClick={() => void removeNic(node.id, nic.id)}>
                      {t('networks.removeNic')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {facet?.nics.add ? (
        <div className="nic-add">
          <label htmlFor="nic-add-network">{t('networks.addNicOn')}</label>
          <select id="nic-add-network" data-testid="nic-add-network" value={addTo} onChange={(e) => setChosen(e.target.value)}>
            {networks.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
          </select>
          <button type="button" data-testid="nic-add" disabled={!addTo} onClick={() => void addNic(node.id, addTo)}>
            {t('networks.addNic')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** The host the guest is on (its nearest host ancestor), if the tree places it under one. */
function hostOf(node: InventoryNode, nodes: ReadonlyMap<string, InventoryNode>): string | null {
  for (let p = node.parentId ? nodes.get(node.parentId) : undefined; p; p = p.parentId ? nodes.get(p.parentId) : undefined) if (p.kind === 'host') return p.id;
  return null;
}
