// The search subjects of the inventory (shared/search/subject.ts), made when a search
// first asks for an object and kept per node object: a state change replaces only that
// node's subject, not 10,000 of them. The tree's shape, the server names or Polyvisor's own
// labels changing (ancestor names, labels) starts a fresh cache.
import type { ServerView } from '../../../shared/contract';
import type { OwnLabels } from '../../../shared/labels';
import type { InventoryNode } from '../../../shared/model';
import { NO_OWN_LABELS, subjectOf, type SearchSubject } from '../../../shared/search';
import type { InventoryIndex } from '../tree/inventory-index';

export interface SubjectIndex {
  /** the subject of a node id or of a server row (serverKey) */
  get(key: string): SearchSubject | undefined;
}

interface Generation {
  structure: number;
  servers: readonly ServerView[];
  own: OwnLabels;
  names: Map<string, string>;
  byNode: WeakMap<InventoryNode, SearchSubject>;
  servedRows: Map<string, SearchSubject>;
}

let generation: Generation | null = null;
let last: { index: InventoryIndex; servers: readonly ServerView[]; own: OwnLabels; subjects: SubjectIndex } | null = null;

export function searchSubjects(servers: readonly ServerView[], index: InventoryIndex, own: OwnLabels = NO_OWN_LABELS): SubjectIndex {
  if (last && last.index === index && last.servers === servers && last.own === own) return last.subjects;
  if (!generation || generation.structure !== index.structure || generation.servers !== servers || generation.own !== own) {
    const serverRows = new Map(servers.map((s): [string, SearchSubject] => [`srv|${s.id}`, { type: 'server', name: s.name, server: s.name, state: s.state, tags: [], ips: [] }]));
    generation = { structure: index.structure, servers, own, names: new Map(servers.map((s) => [s.id, s.name])), byNode: new WeakMap(), servedRows: serverRows };
  }
  const g = generation;
  const subjects: SubjectIndex = {
    get(key) {
      const node = index.nodes.get(key);
      if (!node) return g.servedRows.get(key);
      let subject = g.byNode.get(node);
      if (!subject) g.byNode.set(node, (subject = subjectOf(node, index.nodes, g.names.get(node.serverId), own)));
      return subject;
    },
  };
  last = { index, servers, own, subjects };
  return subjects;
}
