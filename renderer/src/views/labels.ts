// A node's tags and folder as the tree, the search and the General tab see them: the
// platform's own (props.tags, props.folder as the provider reads them) and Polyvisor's own
// (the profile's, for what the platform keeps none of) — shared/search/subject.ts.
import type { OwnLabels } from '../../../shared/labels';
import type { InventoryNode } from '../../../shared/model';
import { nodeLabels } from '../../../shared/search';

export { NO_OWN_LABELS, type NodeLabels } from '../../../shared/search';
export const labelsOf = nodeLabels;

/** The node's properties with its tags and folder as the views see them (Polyvisor's own merged in), for the General tab. */
export function propsWithLabels(node: InventoryNode, own: OwnLabels): InventoryNode['props'] {
  if (!own.tags[node.id]?.length && !own.folders[node.id]) return node.props;
  const { tags, folder } = labelsOf(node, own);
  return { ...node.props, tags, ...(folder ? { folder } : {}) };
}
