// The search subjects of the whole inventory (shared/search/subject.ts), built once per
// inventory change, not per keystroke.
import type { ServerView } from '../../../shared/contract';
import type { OwnLabels } from '../../../shared/labels';
import { NO_OWN_LABELS, subjectOf, type SearchSubject } from '../../../shared/search';
import type { InventoryIndex } from '../tree/inventory-index';

export interface SubjectIndex {
  /** node id → subject; server rows under serverKey */
  byKey: Map<string, SearchSubject>;
}

let cached: { index: InventoryIndex; servers: readonly ServerView[]; own: OwnLabels; subjects: SubjectIndex } | null = null;

export function searchSubjects(servers: readonly ServerView[], index: InventoryIndex, own: OwnLabels = NO_OWN_LABELS): SubjectIndex {
  if (cached && cached.index === index && cached.servers === servers && cached.own === own) return cached.subjects;
  const names = new Map(servers.map((s) => [s.id, s.name]));
  const byKey = new Map<string, SearchSubject>();
  for (const server of servers) byKey.set(`srv|${server.id}`, { type: 'server', name: server.name, server: server.name, state: server.state, tags: [], ips: [] });
  for (const node of index.nodes.values()) byKey.set(node.id, subjectOf(node, index.nodes, names.get(node.serverId), own));
  cached = { index, servers, own, subjects: { byKey } };
  return cached.subjects;
}
