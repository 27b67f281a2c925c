// The shared provider runtime: connection loop, owner-keyed differ, declared options, limits.
import { describe, expect, it } from 'vitest';
import { PolyvisorError } from '../../shared/errors';
import type { ConnectionState, InventoryNode } from '../../shared/model';
import { LiveConnection, type LiveSession } from '../../electron/core/providers/common/live-connection';
import { NodeDiffer } from '../../electron/core/providers/common/node-differ';
import { defineOptions, integerOption, choiceOption } from '../../electron/core/providers/common/options';
import { LineSplitter, readLimited } from '../../electron/core/providers/common/limits';
import { Readable } from 'node:stream';

const node = (id: string, props: InventoryNode['props'] = {}): InventoryNode => ({
  id: `s:vm:${id}`,
  serverId: 's',
  kind: 'vm',
  name: id,
  parentId: null,
  nativeRef: id,
  allowed: [],
  props,
});

describe('NodeDiffer', () => {
  it('sends everything once, then only what changed, ignoring volatile props', () => {
    const d = new NodeDiffer('s', { volatileProps: ['uptime'] });
    const reset = d.reset(new Map([['a', [node('a', { uptime: 1 })]], ['b', [node('b')]]]));
    expect(reset.reset).toBe(true);
    expect(reset.upsert).toHaveLength(2);
    expect(d.diffAll(new Map([['a', [node('a', { uptime: 9 })]], ['b', [node('b')]]]))).toBeNull();
    const delta = d.diffAll(new Map([['a', [node('a', { uptime: 9, memory: 2 })]]]));
    expect(delta?.upsert.map((n) => n.id)).toEqual(['s:vm:a']);
    expect(delta?.remove).toEqual(['s:vm:b']);
  });

  it('upserts a node that moved to another owner instead of removing it', () => {
    const d = new NodeDiffer('s');
    d.reset(new Map([['x', [node('a')]]]));
    const delta = d.diff(new Map([['x', []], ['y', [node('a', { moved: true })]]]));
    expect(delta?.remove).toEqual([]);
    expect(delta?.upsert.map((n) => n.id)).toEqual(['s:vm:a']);
  });
});

describe('LiveConnection', () => {
  function source(script: Array<'ok' | Error>) {
    const states: Array<[ConnectionState, string | undefined]> = [];
    let opens = 0;
    let failFollow: ((e: Error) => void) | null = null;
    const conn = new LiveConnection({
      name: 'test',
      backoff: { minMs: 5, maxMs: 20 },
      onState: (s, e) => states.push([s, e?.code]),
      async open() {
        const step = script[Math.min(opens++, script.length - 1)];
        if (step instanceof Error) throw step;
        const session: LiveSession = {
          follow: (signal) =>
            new Promise<void>((resolve, reject) => {
              failFollow = reject;
              signal.addEventListener('abort', () => resolve());
            }),
          close: async () => undefined,
        };
        return session;
      },
    });
    return { conn, states, opens: () => opens, drop: (e: Error) => failFollow?.(e) };
  }

  it('reconnects with backoff after a drop and says so', async () => {
    const s = source(['ok', new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'down' }), 'ok']);
    await s.conn.connect();
    s.drop(new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'dropped' }));
    await expect.poll(() => s.states.at(-1)?.[0]).toBe('connected');
    expect(s.states.map((x) => x[0])).toEqual(['reconnecting', 'connected']);
    expect(s.opens()).toBe(3);
    await s.conn.disconnect();
  });

  it('stops with error on a failure a retry cannot fix', async () => {
    const s = source(['ok', new PolyvisorError({ code: 'AUTH_FAILED', message: 'password changed' })]);
    await s.conn.connect();
    s.drop(new Error('socket hang up'));
    await expect.poll(() => s.states.at(-1)).toEqual(['error', 'AUTH_FAILED']);
    expect(s.conn.active).toBe(false);
  });

  it('rejects connect() with the first failure', async () => {
    const s = source([new PolyvisorError({ code: 'CERT_UNTRUSTED', message: 'who are you' })]);
    await expect(s.conn.connect()).rejects.toMatchObject({ code: 'CERT_UNTRUSTED' });
    expect(s.conn.active).toBe(false);
  });
});

describe('declared options', () => {
  const opts = defineOptions({
    poll: integerOption({ label: { en: 'Poll', 'zh-CN': '轮询' }, default: 3000, min: 10 }),
    mode: choiceOption({ label: { en: 'Mode', 'zh-CN': '模式' }, default: 'a', choices: [{ value: 'a', label: { en: 'A', 'zh-CN': 'A' } }, { value: 'b', label: { en: 'B', 'zh-CN': 'B' } }] }),
  });
  it('gives descriptor fields and a typed reader with defaults', () => {
    expect(opts.fields.map((f) => f.key)).toEqual(['poll', 'mode']);
    expect(opts.read({ poll: '250', mode: 'b' })).toEqual({ poll: 250, mode: 'b' });
    expect(opts.read({ poll: 1, mode: 'zzz' })).toEqual({ poll: 3000, mode: 'a' });
    expect(opts.read(JSON.parse('{"__proto__": {"poll": 5}}'))).toEqual({ poll: 3000, mode: 'a' });
  });
});

describe('limits', () => {
  it('splits lines and refuses one that never ends', () => {
    const s = new LineSplitter('engine', 8);
    expect(s.push(Buffer.from('ab\ncd'))).toEqual(['ab']);
    expect(s.push(Buffer.from('e\n'))).toEqual(['cde']);
    expect(() => s.push(Buffer.from('123456789'))).toThrow(expect.objectContaining({ code: 'RESPONSE_TOO_LARGE' }));
  });

  it('reads a body within its limit and stops past it', async () => {
    expect((await readLimited(Readable.from([Buffer.from('1234')]), 'x', 4)).toString()).toBe('1234');
    await expect(readLimited(Readable.from([Buffer.from('12345')]), 'x', 4)).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
  });
});
