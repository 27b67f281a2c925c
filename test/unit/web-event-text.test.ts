// The web host's event text (electron/web/event-text.ts) is what JSON.stringify of the
// event message makes, whether it was made in one turn or, for a large inventory delta,
// across several; and making a large one lets the event loop go in between (issue 17).
import { describe, expect, it } from 'vitest';
import { eventText } from '../../electron/web/event-text';

const node = (i: number, bytes: number) => ({ id: `s1:snapshot:${i}`, serverId: 's1', kind: 'snapshot', name: `snap "${i}" ✓`, parentId: null, props: { description: 'd'.repeat(bytes) } });

describe('web host event text', () => {
  it('an event without nodes, and a small delta, are made at once and are JSON.stringify of the message', () => {
    const servers = eventText('servers:changed', [{ id: 'a', name: 'ünïcode' }]);
    expect(Buffer.isBuffer(servers)).toBe(true);
    expect(servers.toString()).toBe(JSON.stringify({ type: 'event', event: 'servers:changed', payload: [{ id: 'a', name: 'ünïcode' }] }));
    const payload = { serverId: 's1', reset: true, upsert: [node(1, 10), node(2, 10)], remove: ['s1:vm:9'] };
    const delta = eventText('inventory:delta', payload);
    expect(Buffer.isBuffer(delta)).toBe(true);
    expect(delta.toString()).toBe(JSON.stringify({ type: 'event', event: 'inventory:delta', payload }));
    const empty = { serverId: 's1', upsert: [], remove: [] };
    expect(eventText('inventory:delta', empty).toString()).toBe(JSON.stringify({ type: 'event', event: 'inventory:delta', payload: empty }));
  });

  it('a 60 MB delta is made across turns (timers run in between) and is the same text', async () => {
    const payload = { serverId: 's1', upsert: Array.from({ length: 100 }, (_, i) => node(i, 600_000)), remove: [] };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const made = eventText('inventory:delta', payload);
    expect(Buffer.isBuffer(made)).toBe(false);
    const text = await made;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(text.toString()).toBe(JSON.stringify({ type: 'event', event: 'inventory:delta', payload }));
  });
});
