// Command surfaces follow changes to the objects they act on at once, and the rest of the
// inventory (a fleet's power changes elsewhere) at most every PACE_MS.
import { describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { PACE_MS, mustShowNow, shownNow } from '../../renderer/src/commands/command-index-pace';
import { applyDeltas, emptyIndex } from '../../renderer/src/tree/inventory-index';

const vm = (ref: string, state: 'running' | 'halted'): InventoryNode => ({
  id: `s:vm:${ref}`,
  serverId: 's',
  kind: 'vm',
  name: ref,
  parentId: null,
  nativeRef: ref,
  state,
  allowed: [],
  props: {},
});

const base = applyDeltas(emptyIndex(), [{ serverId: 's', reset: true, upsert: [vm('a', 'running'), vm('b', 'running')], remove: [] }]);

describe('command surfaces pace inventory changes', () => {
  it('shows a change to a selected object at once', () => {
    const shown = shownNow(base, ['s:vm:a'], 1_000);
    const next = applyDeltas(base, [{ serverId: 's', upsert: [vm('a', 'halted')], remove: [] }]);
    expect(next.nodes.get('s:vm:a')?.state).toBe('halted');
    expect(mustShowNow(shown, next, ['s:vm:a'], 1_001)).toBe(true);
  });

  it('holds a change elsewhere until PACE_MS after the last shown index', () => {
    const shown = shownNow(base, ['s:vm:a'], 1_000);
    const next = applyDeltas(base, [{ serverId: 's', upsert: [vm('b', 'halted')], remove: [] }]);
    expect(mustShowNow(shown, next, ['s:vm:a'], 1_000 + PACE_MS - 1)).toBe(false);
    expect(mustShowNow(shown, next, ['s:vm:a'], 1_000 + PACE_MS)).toBe(true);
  });

  it('shows at once when the objects acted on change, and never for the same index', () => {
    const shown = shownNow(base, ['s:vm:a'], 1_000);
    const next = applyDeltas(base, [{ serverId: 's', upsert: [vm('b', 'halted')], remove: [] }]);
    expect(mustShowNow(shown, next, ['s:vm:b'], 1_001)).toBe(true);
    expect(mustShowNow(shown, base, ['s:vm:b'], 99_999)).toBe(false);
    expect(mustShowNow(null, base, [], 0)).toBe(true);
  });
});
