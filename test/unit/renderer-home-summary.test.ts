// The home page's per-server summaries come from one pass over the inventory; each must be
// exactly the summary the server's own page computes (summarize with no root).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InventoryNode, NodeKind, PowerState } from '../../shared/model';
import { summarize, summarizeServers } from '../../renderer/src/summary/summary-data';

const KINDS: NodeKind[] = ['pool', 'host', 'vm', 'container', 'template', 'snapshot'];
const STATES: PowerState[] = ['running', 'halted', 'paused', 'suspended', 'unknown', 'unhealthy'];

const nodeArb = fc.record({
  server: fc.constantFrom('a', 'b', 'c', 'gone'),
  kind: fc.constantFrom(...KINDS),
  state: fc.option(fc.constantFrom(...STATES), { nil: undefined }),
  controlDomain: fc.boolean(),
  version: fc.option(fc.constantFrom('8.2', '8.3', '7.4'), { nil: undefined }),
  cpus: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
  maintenance: fc.boolean(),
});

type NodeSpec = typeof nodeArb extends fc.Arbitrary<infer T> ? T : never;

function inventory(specs: NodeSpec[]): Map<string, InventoryNode> {
  const nodes = new Map<string, InventoryNode>();
  specs.forEach((s, i) => {
    const id = `${s.server}:${s.kind}:${i}`;
    nodes.set(id, {
      id,
      serverId: s.server,
      kind: s.kind,
      name: `n${i}`,
      parentId: null,
      nativeRef: String(i),
      state: s.state,
      allowed: [],
      props: { ...(s.version ? { version: s.version } : {}), ...(s.cpus ? { cpus: s.cpus } : {}) },
      controlDomain: s.controlDomain,
      maintenance: s.maintenance,
    });
  });
  return nodes;
}

describe('home page summaries', () => {
  it('one pass gives each server the summary of its own page', () => {
    fc.assert(
      fc.property(fc.array(nodeArb, { maxLength: 60 }), (specs) => {
        const nodes = inventory(specs);
        const all = summarizeServers(nodes, ['a', 'b', 'c']);
        expect([...all.keys()]).toEqual(['a', 'b', 'c']);
        for (const id of ['a', 'b', 'c']) expect(all.get(id)).toEqual(summarize(nodes, id, null));
      }),
      { numRuns: 300 },
    );
  });

  it('counts guests by state and leaves out control domains and unlisted servers', () => {
    const nodes = inventory([
      { server: 'a', kind: 'vm', state: 'running', controlDomain: false, version: undefined, cpus: undefined, maintenance: false },
      { server: 'a', kind: 'vm', state: 'running', controlDomain: true, version: undefined, cpus: undefined, maintenance: false },
      { server: 'a', kind: 'vm', state: 'halted', controlDomain: false, version: undefined, cpus: undefined, maintenance: false },
      { server: 'gone', kind: 'vm', state: 'running', controlDomain: false, version: undefined, cpus: undefined, maintenance: false },
    ]);
    const a = summarizeServers(nodes, ['a']).get('a')!;
    expect(a.guests.vm).toEqual({ running: 1, halted: 1 });
    expect(summarizeServers(nodes, ['a']).has('gone')).toBe(false);
  });
});
