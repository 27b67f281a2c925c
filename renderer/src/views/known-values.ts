// What the search box completes a field's value from: the servers, pools, hosts, tags,
// folders, states and types the inventory has now.
import type { ServerView } from '../../../shared/contract';
import type { OwnLabels } from '../../../shared/labels';
import type { KnownValues } from '../../../shared/search';
import type { InventoryIndex } from '../tree/inventory-index';
import { labelsOf, NO_OWN_LABELS } from './labels';

const STATES = ['running', 'halted', 'paused', 'suspended'];

export function knownValues(servers: readonly ServerView[], index: InventoryIndex, own: OwnLabels = NO_OWN_LABELS): KnownValues {
  const types = new Set<string>(['server']);
  const pools = new Set<string>();
  const hosts = new Set<string>();
  const tags = new Set<string>();
  const folders = new Set<string>();
  const oses = new Set<string>();
  for (const node of index.nodes.values()) {
    if (node.kind === 'snapshot') continue;
    types.add(node.kind);
    if (node.kind === 'pool' || node.kind === 'cluster') pools.add(node.name);
    if (node.kind === 'host') hosts.add(node.name);
    if (typeof node.props.os === 'string' && node.props.os) oses.add(node.props.os);
    const labels = labelsOf(node, own);
    for (const tag of labels.tags) tags.add(tag);
    if (labels.folder) folders.add(labels.folder);
  }
  return {
    server: servers.map((s) => s.name),
    type: [...types],
    state: STATES,
    pool: [...pools],
    host: [...hosts],
    tag: [...tags],
    folder: [...folders],
    os: [...oses],
  };
}
