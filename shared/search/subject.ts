// What one inventory object offers to the search language and to the label views, the
// same for every platform: its names of server, pool and host, its tags (the platform's
// and Polyvisor's own) and folder, sizes and counts. Used by the renderer and the CLI.
import type { OwnLabels } from '../labels';
import type { InventoryNode } from '../model';
import type { SearchSubject } from './evaluate';

export interface NodeLabels {
  tags: string[];
  /** "/Production/Web", or undefined when the object is in no folder */
  folder: string | undefined;
}

export const NO_OWN_LABELS: OwnLabels = { tags: {}, folders: {} };

/** The platform's tags and folder (props.tags, props.folder) with Polyvisor's own merged in. */
export function nodeLabels(node: InventoryNode, own: OwnLabels = NO_OWN_LABELS): NodeLabels {
  // an image's props.tags are its references (busybox:latest), not labels
  const tags = node.kind !== 'image' && Array.isArray(node.props.tags) ? node.props.tags.filter((t): t is string => typeof t === 'string' && t !== '') : [];
  const ownTags = own.tags[node.id];
  const folder = typeof node.props.folder === 'string' && node.props.folder !== '' && node.props.folder !== '/' ? node.props.folder : own.folders[node.id];
  return { tags: ownTags?.length ? [...new Set([...tags, ...ownTags])] : tags, folder };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function ancestorName(nodes: ReadonlyMap<string, InventoryNode>, node: InventoryNode, kinds: ReadonlySet<string>): string | undefined {
  for (let id = node.parentId; id; ) {
    const parent = nodes.get(id);
    if (!parent) return undefined;
    if (kinds.has(parent.kind)) return parent.name;
    id = parent.parentId;
  }
  return undefined;
}

const POOLS = new Set(['pool', 'cluster']);
const HOSTS = new Set(['host']);

export function subjectOf(node: InventoryNode, nodes: ReadonlyMap<string, InventoryNode>, serverName: string | undefined, own: OwnLabels = NO_OWN_LABELS): SearchSubject {
  const labels = nodeLabels(node, own);
  const p = node.props;
  return {
    type: node.kind,
    name: node.name,
    state: node.state ?? str(p.state),
    server: serverName,
    pool: node.kind === 'pool' ? node.name : ancestorName(nodes, node, POOLS),
    host: node.kind === 'host' ? node.name : (str(p.host) ?? str(p.node) ?? ancestorName(nodes, node, HOSTS)),
    tags: labels.tags,
    folder: labels.folder,
    os: str(p.os),
    ips: list(p.ips),
    description: str(p.description),
    uuid: str(p.uuid),
    memory: num(p.memory),
    disk: num(p.disk) ?? node.storage?.size ?? undefined,
    vcpus: num(p.vcpus),
  };
}
