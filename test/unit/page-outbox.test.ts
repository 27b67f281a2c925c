// The web host's outbox (issue 17): the core's events reach the pages a frame at a time,
// in order, inventory deltas merged while they wait, and nothing is written while a page's
// socket is behind — the deltas merge instead, bounded by the nodes that changed.

import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import type { InventoryDelta, InventoryNode } from '../../shared/model';
import { PageOutbox } from '../../electron/web/page-outbox';

const node = (n: number, name: string): InventoryNode => ({ id: `s1:vm:${n}`, serverId: 's1', kind: 'vm', name, parentId: null, nativeRef: String(n), allowed: [], props: {} });
const delta = (serverId: string, upsert: InventoryNode[], remove: string[] = []): InventoryDelta => ({ serverId, upsert, remove });

function outbox(frameMs = 20) {
  const sent: Array<{ event: EventName; payload: unknown; at: number }> = [];
  let backlog = 0;
  const box = new PageOutbox({ send: (event, payload) => sent.push({ event, payload, at: performance.now() }), backlog: () => backlog, frameMs, highWaterBytes: 1000 });
  return { box, sent, setBacklog: (b: number) => (backlog = b) };
}

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe('PageOutbox', () => {
  it('sends what came in one turn as one frame: deltas merged per server, other events in their place', async () => {
    const { box, sent } = outbox();
    box.push('inventory:delta', delta('s1', [node(1, 'a')]));
    box.push('inventory:delta', delta('s1', [node(1, 'b'), node(2, 'x')]));
    box.push('server:removed', { id: 's9' });
    box.push('inventory:delta', delta('s1', [], ['s1:vm:2']));
    expect(sent).toHaveLength(0);
    await until(() => sent.length === 3);
    expect(sent.map((s) => s.event)).toEqual(['inventory:delta', 'server:removed', 'inventory:delta']);
    expect(sent[0]!.payload).toEqual(delta('s1', [node(1, 'b'), node(2, 'x')]));
    expect(sent[2]!.payload).toEqual(delta('s1', [], ['s1:vm:2']));
  });

  it('sends at most one frame per frame time, however many deltas come', async () => {
    const { box, sent } = outbox(40);
    const started = performance.now();
    let i = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        box.push('inventory:delta', delta('s1', [node(i % 5, `v${i}`)]));
        if (++i === 60) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    await until(() => sent.some((s) => ((s.payload as InventoryDelta).upsert ?? []).some((n) => n.name === 'v59')));
    const elapsed = performance.now() - started;
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(elapsed / 40) + 1);
    // Node's timers keep whole milliseconds of loop time, so a 40 ms wait can measure 38.x ms on performance.now()
    for (let k = 1; k < sent.length; k++) expect(sent[k]!.at - sent[k - 1]!.at).toBeGreaterThanOrEqual(38);
    // each node's last version is what the page ends with
    const last = new Map<string, string>();
    for (const s of sent) for (const n of (s.payload as InventoryDelta).upsert) last.set(n.id, n.name);
    expect(last).toEqual(new Map([55, 56, 57, 58, 59].map((k) => [`s1:vm:${k % 5}`, `v${k}`])));
  });

  it('writes nothing while a page is behind; the deltas merge meanwhile, bounded by the nodes that changed', async () => {
    const { box, sent, setBacklog } = outbox(5);
    setBacklog(5000);
    for (let i = 0; i < 1000; i++) box.push('inventory:delta', delta('s1', [node(i % 10, `v${i}`)]));
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toHaveLength(0);
    expect(box.waitingNodes).toBe(10);
    setBacklog(0);
    await until(() => sent.length > 0);
    expect(sent).toHaveLength(1);
    expect((sent[0]!.payload as InventoryDelta).upsert.map((n) => n.name).sort()).toEqual(Array.from({ length: 10 }, (_, k) => `v${990 + k}`).sort());
  });

  it('sends nothing after it is closed', async () => {
    const { box, sent } = outbox(5);
    box.push('inventory:delta', delta('s1', [node(1, 'a')]));
    box.close();
    box.push('server:removed', { id: 's1' });
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toHaveLength(0);
  });
});
