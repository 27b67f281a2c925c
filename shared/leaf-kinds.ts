// The kinds of node nothing hangs under in the Infrastructure tree (guests and snapshots):
// the core serves the inventory's other nodes first, and the window patches these into
// its index in place where a host or a pool would make it rebuild.
import type { NodeKind } from './model';

export const LEAF_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(['vm', 'template', 'container', 'snapshot']);
