// The tree's compact live usage (View → Live usage in the tree): a VM's, container's or
// host's CPU as a small bar with its percentage, when it runs and the platform has a source.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryNode } from '../../../shared/model';
import { useStore } from '../store/store';
import { useUsageStore, watchUsage } from './usage-store';
import { UsageCell } from './UsageCell';

const KINDS = new Set(['vm', 'container', 'host']);

export function TreeUsage({ node }: { node: InventoryNode }) {
  const { i18n } = useTranslation();
  const on = useStore((s) => s.settings?.treeUsage === true);
  const reading = useUsageStore((s) => (on ? s.readings.get(node.id) : undefined));
  if (!on || !KINDS.has(node.kind) || reading?.cpu === undefined) return null;
  const text = `${(reading.cpu * 100).toLocaleString(i18n.language, { maximumFractionDigits: 0 })} %`;
  return (
    <span className="tree-usage" data-testid="tree-usage">
      <UsageCell share={reading.cpu} text={text} missing={undefined} />
    </span>
  );
}

/** While the tree shows usage, the node ids of its rows on screen are what the core samples for it. */
export function useTreeUsageWatch(visibleIds: readonly (string | undefined)[]): void {
  const on = useStore((s) => s.settings?.treeUsage === true);
  const key = on ? visibleIds.filter(Boolean).join('\n') : '';
  useEffect(() => {
    watchUsage('tree', key ? key.split('\n') : []);
  }, [key]);
}
