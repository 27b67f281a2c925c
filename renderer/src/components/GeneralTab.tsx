// General tab: the node's state and properties with translated labels and readable values;
// a pool's or host's page opens with its summary (guests by state, capacity, attention).
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { useStore } from '../store/store';
import { descriptorOf } from '../providers/descriptors';
import { SummarySection } from '../summary/SummarySection';
import { propHidden, propLabel, propText, stateLabel } from './prop-text';
import { propsWithLabels } from '../views/labels';
import { useViewStore } from '../views/view-store';
import { LastKnownNote } from '../last-known/LastKnownNote';

/** Properties shown first, in this order; the rest follow alphabetically. */
const ORDER = ['description', 'host', 'pool', 'os', 'memory', 'memoryMax', 'vcpus', 'cpus', 'ips', 'uuid', 'version'];
/** Keys used internally by the tree, not shown. */
const HIDDEN = new Set(['standalone', 'state']);

export function GeneralTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const parent = useStore((s) => (node.parentId ? s.index.nodes.get(node.parentId) : undefined));
  const reading = useStore((s) => descriptorOf(s, s.servers.find((v) => v.id === node.serverId)?.type)?.properties);
  // Polyvisor's own tags and folder show with the platform's (issue 16)
  const props = propsWithLabels(node, useViewStore((s) => s.ownLabels));
  const keys = Object.keys(props).filter((k) => !HIDDEN.has(k) && !propHidden(reading, node.kind, k));
  keys.sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib);
    return a.localeCompare(b);
  });
  const ctx = { t, language: i18n.language, reading };
  const exists = (key: string) => i18n.exists(key);

  return (
    <div className="general-tab">
      {node.kind === 'pool' || node.kind === 'host' || node.kind === 'cluster' ? <SummarySection serverId={node.serverId} rootId={node.id} ofHost={node.kind === 'host'} /> : null}
      <h3 className="section-title">{t('general.title')}</h3>
      <LastKnownNote serverId={node.serverId} />
      <dl className="prop-grid" data-testid="general-props">
        <dt>{t('prop.name')}</dt>
        <dd data-prop="name">{node.name}</dd>
        {node.state ? (
          <>
            <dt>{t('prop.state')}</dt>
            <dd data-prop="state">{stateLabel(t, exists, node.kind, node.state)}</dd>
          </>
        ) : null}
        {node.kind === 'host' && node.maintenance !== undefined ? (
          <>
            <dt>{t('migration.maintenanceLabel')}</dt>
            <dd data-prop="maintenance" className={node.maintenance ? 'maintenance-on' : undefined}>
              {node.maintenance ? <span className="maintenance-badge">{t('migration.inMaintenance')}</span> : t('common.no')}
            </dd>
          </>
        ) : null}
        {parent && !('host' in node.props) ? (
          <>
            <dt>{t(`prop.parent.${parent.kind}`, { defaultValue: t('prop.location') })}</dt>
            <dd data-prop="parent">{parent.name}</dd>
          </>
        ) : null}
        {keys.map((key) => (
          <PropRow key={key} name={key} label={propLabel(t, exists, node.kind, key)} value={propText(key, props[key], ctx)} />
        ))}
      </dl>
    </div>
  );
}

function PropRow({ name, label, value }: { name: string; label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-prop={name}>{value}</dd>
    </>
  );
}
