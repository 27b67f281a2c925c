// A software-defined network's subnets on its tab (issue 16; Proxmox SDN vnet): each with
// its gateway and source NAT, removed with one click; a new one by CIDR, gateway and
// SNAT — each change a task, applied at once; the server's refusal is a notice.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SdnSubnet } from '../../../shared/networks';
import { addSubnet, removeSubnet } from './network-requests';

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-f:]+\/\d{1,3}$/i;

export function SubnetsSection({ nodeId, subnets }: { nodeId: string; subnets: SdnSubnet[] }) {
  const { t } = useTranslation();
  const [cidr, setCidr] = useState('');
  const [gateway, setGateway] = useState('');
  const [snat, setSnat] = useState(false);
  const cidrInvalid = cidr.trim() !== '' && !CIDR.test(cidr.trim());
  const add = async () => {
    const task = await addSubnet(nodeId, { cidr: cidr.trim(), ...(gateway.trim() ? { gateway: gateway.trim() } : {}), ...(snat ? { snat } : {}) });
    if (task) {
      setCidr('');
      setGateway('');
      setSnat(false);
    }
  };
  return (
    <>
      <h3 className="section-title">{t('networks.subnets')}</h3>
      {subnets.length === 0 ? <p className="details-hint" data-testid="network-no-subnets">{t('networks.noSubnets')}</p> : null}
      {subnets.length > 0 ? (
        <table className="network-table" data-testid="network-subnet-list">
          <thead>
            <tr>
              <th>{t('networks.col.subnet')}</th>
              <th>{t('networks.col.gateway')}</th>
              <th>{t('networks.col.snat')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {subnets.map((s) => (
              <tr key={s.id} data-testid="network-subnet" data-id={s.id}>
                <td className="mono">{s.cidr}</td>
                <td className="mono">{s.gateway ?? ''}</td>
                <td>{s.snat ? t('common.yes') : t('common.no')}</td>
                <td>
                  <button type="button" data-testid="network-subnet-remove" onClick={() => void removeSubnet(nodeId, s.id)}>
                    {t('networks.removeSubnet')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form
        className="subnet-add"
        data-testid="network-subnet-add"
        onSubmit={(e) => {
          e.preventDefault();
          if (cidr.trim() && !cidrInvalid) void add();
        }}
      >
        <input aria-label={t('networks.col.subnet')} data-testid="network-subnet-cidr" placeholder="10.60.0.0/24" value={cidr} onChange={(e) => setCidr(e.target.value)} aria-invalid={cidrInvalid} />
        <input aria-label={t('networks.col.gateway')} data-testid="network-subnet-gateway" placeholder="10.60.0.1" value={gateway} onChange={(e) => setGateway(e.target.value)} />
        <label className="checkbox">
          <input type="checkbox" data-testid="network-subnet-snat" checked={snat} onChange={(e) => setSnat(e.target.checked)} />
          {t('networks.col.snat')}
        </label>
        <button type="submit" data-testid="network-subnet-ok" disabled={!cidr.trim() || cidrInvalid}>
          {t('networks.addSubnet')}
        </button>
      </form>
    </>
  );
}
