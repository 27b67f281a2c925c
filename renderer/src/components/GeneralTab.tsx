// General tab: the node's state and properties with translated labels and readable values.
import { useTranslation } from 'react-i18next';
import type { InventoryNode, PropValue } from '../../../shared/model';
import { useStore } from '../store/store';
import { formatBytes, formatDateTime, formatSeconds, isByteKey, isSecondsKey, isTimeKey } from './format';

/** Properties shown first, in this order; the rest follow alphabetically. */
const ORDER = ['description', 'host', 'pool', 'os', 'memory', 'memoryMax', 'vcpus', 'cpus', 'ips', 'uuid', 'version'];
/** Keys used internally by the tree, not shown. */
const HIDDEN = new Set(['standalone', 'state']);

export function GeneralTab({ node }: { node: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const parent = useStore((s) => (node.parentId ? s.index.nodes.get(node.parentId) : undefined));
  const keys = Object.keys(node.props).filter((k) => !HIDDEN.has(k));
  keys.sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib);
    return a.localeCompare(b);
  });

  const render = (key: string, value: PropValue): string => {
    if (value === null || value === '') return '—';
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
    if (typeof value === 'number' && isByteKey(key)) return formatBytes(value);
    if (typeof value === 'number' && isSecondsKey(key)) return value > 0 ? formatSeconds(value) : '—';
    if (typeof value === 'string' && isTimeKey(key)) return formatDateTime(value, i18n.language);
    if (typeof value === 'number') return value.toLocaleString(i18n.language);
    return value;
  };

  return (
    <div className="general-tab">
      <h3 className="section-title">{t('general.title')}</h3>
      <dl className="prop-grid" data-testid="general-props">
        <dt>{t('prop.name')}</dt>
        <dd data-prop="name">{node.name}</dd>
        {node.state ? (
          <>
            <dt>{t('prop.state')}</dt>
            <dd data-prop="state">{t(`powerState.${node.state}`)}</dd>
          </>
        ) : null}
        {parent && !('host' in node.props) ? (
          <>
            <dt>{t(`prop.parent.${parent.kind}`, { defaultValue: t('prop.location') })}</dt>
            <dd data-prop="parent">{parent.name}</dd>
          </>
        ) : null}
        {keys.map((key) => (
          <PropRow key={key} name={key} label={t(`prop.${key}`, { defaultValue: key })} value={render(key, node.props[key])} />
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
