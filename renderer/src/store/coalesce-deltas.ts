// When the page falls behind, the deltas of several frames wait together; a node changed
// several times in them is applied once, in its latest state (issue 17): the batch costs
// what changed, not how often. One delta per server comes out: a server's reset drops
// what came before it for that server, since the reset clears it anyway.
import type { InventoryDelta, InventoryNode } from '../../../shared/model';

interface ServerChanges {
  reset: boolean;
  /** each changed node's last state, null when it was last removed (in the order first changed) */
  last: Map<string, InventoryNode | null>;
}

export function coalesceDeltas(deltas: readonly InventoryDelta[]): InventoryDelta[] {
  if (deltas.length < 2) return [...deltas];
  const byServer = new Map<string, ServerChanges>();
  for (const delta of deltas) {
    let changes = byServer.get(delta.serverId);
    if (!changes || delta.reset) {
      // a reset starts the server over: a later place in the order keeps it after the others' changes
      byServer.delete(delta.serverId);
      byServer.set(delta.serverId, (changes = { reset: delta.reset === true || (changes?.reset ?? false), last: new Map() }));
    }
    for (const id of delta.remove) changes.last.set(id, null);
    for (const node of delta.upsert) changes.last.set(node.id, node);
  }
  return [...byServer].map(([serverId, { reset, last }]) => {
    const upsert: InventoryNode[] = [];
    const remove: string[] = [];
    for (const [id, node] of last) {
      if (node) upsert.push(node);
      else remove.push(id);
    }
    return { serverId, ...(reset ? { reset: true } : {}), upsert, remove };
  });
}
