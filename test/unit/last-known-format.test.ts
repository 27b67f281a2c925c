// The last known tree's text, written in slices, is the document the format defines
// (one JSON.stringify of { version, serverId, at, nodes }), and reads back as the tree.
import { describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { decodeLastKnown, encodeLastKnown, encodeLastKnownSlices, LAST_KNOWN_SCHEMA_VERSION } from '../../electron/core/connections/last-known-format';

const node = (i: number): InventoryNode => ({
  id: `s1:vm:OpaqueRef:${i}`,
  serverId: 's1',
  kind: 'vm',
  name: `vm "${i}" ✓`,
  parentId: i ? 's1:host:h' : null,
  nativeRef: `OpaqueRef:${i}`,
  state: 'running',
  allowed: [],
  props: { memory: 2 ** 33, os: 'Debian 12', tags: ['a', 'b'] },
});

describe('last known tree text', () => {
  for (const count of [0, 1, 499, 500, 501, 1_000, 2_500]) {
    it(`${count} nodes: the slices make one JSON document, read back as the tree`, () => {
      const tree = { serverId: 's1', at: 1_700_000_000_123, nodes: Array.from({ length: count }, (_, i) => node(i)) };
      const text = encodeLastKnown(tree);
      expect([...encodeLastKnownSlices(tree)].join('')).toBe(text);
      const compact = tree.nodes.map(({ serverId: _s, allowed: _a, id, parentId, ...rest }) => ({ ...rest, id: id.slice(3), parentId: parentId?.slice(3) ?? null }));
      expect(text).toBe(`${JSON.stringify({ version: LAST_KNOWN_SCHEMA_VERSION, serverId: 's1', at: tree.at, nodes: compact })}\n`);
      expect(decodeLastKnown(JSON.parse(text) as Record<string, unknown>, 's1')).toEqual(tree);
    });
  }

  it('nodes with large properties (a 600 kB snapshot description each) are cut into slices of about 1 MB, not one slice of them all', () => {
    const big = (i: number): InventoryNode => ({ ...node(i), kind: 'snapshot', props: { description: 'd'.repeat(600_000) } });
    const tree = { serverId: 's1', at: 1, nodes: Array.from({ length: 20 }, (_, i) => big(i)) };
    const slices = [...encodeLastKnownSlices(tree)];
    // each slice ends once it passed 1 MiB: at most two such nodes
    expect(Math.max(...slices.map((s) => s.length))).toBeLessThan(1_300_000);
    expect(slices.join('')).toBe(encodeLastKnown(tree));
    expect(decodeLastKnown(JSON.parse(slices.join('')) as Record<string, unknown>, 's1')).toEqual(tree);
  });

  it('a file of another server is unusable', () => {
    const text = encodeLastKnown({ serverId: 's1', at: 1, nodes: [node(1)] });
    expect(decodeLastKnown(JSON.parse(text) as Record<string, unknown>, 's2')).toMatch(/belongs to server "s1"/);
  });
});
