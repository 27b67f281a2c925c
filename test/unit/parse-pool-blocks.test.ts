// The parse pool takes an answer's bytes as the socket gives them — views into buffers Node
// reads into, several to one buffer — gathers them into blocks it owns and transfers those to
// the worker: the caller's buffers stay whole (nothing of theirs is detached), every byte
// arrives in order, and a large answer goes over in a few messages, not one per chunk.

import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parsePool } from '../../electron/core/providers/parse-pool';
import type { RecordsJobInit, RecordsJobResult } from '../../electron/core/providers/xenserver/parse-jobs';

const RECORDS = 6_000;

function answer(): Buffer {
  const records: Record<string, unknown> = {};
  for (let i = 0; i < RECORDS; i++) records[`OpaqueRef:${i}`] = { uuid: `u-${i}`, name_label: `vm ${i} ${'x'.repeat(200)}`, power_state: i % 2 ? 'Running' : 'Halted' };
  return Buffer.from(JSON.stringify({ jsonrpc: '2.0', result: records, id: 1 }));
}

describe('parse pool: blocks it owns, transferred', () => {
  afterAll(() => parsePool().close());

  it('parses an answer given as many small views of shared buffers, which stay whole', async () => {
    const bytes = answer();
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const init: RecordsJobInit = { where: 'test', limits: { maxHeadBytes: 1 << 20, maxRecordBytes: 1 << 20, maxRecords: 100_000 }, keepNeededOf: null };
    const records = new Map<string, Record<string, unknown>>();
    const job = parsePool().start<RecordsJobResult>('xapi-records', init, (part) => {
      for (const [ref, record] of part as Array<[string, Record<string, unknown>]>) records.set(ref, record);
    });
    // 64 kB "socket reads", each cut into pieces of odd sizes: views sharing one ArrayBuffer, as Node's body chunks do
    const chunkMessages = vi.spyOn(Worker.prototype, 'postMessage');
    const sources: Buffer[] = [];
    let pieces = 0;
    for (let at = 0; at < bytes.length; at += 65_536) {
      const read = Buffer.from(bytes.subarray(at, at + 65_536));
      sources.push(read);
      for (let p = 0; p < read.length; p += 1_000 + (p % 7)) {
        const wait = job.push(read.subarray(p, Math.min(read.length, p + 1_000 + (p % 7))));
        if (wait) await wait;
        pieces++;
      }
    }
    const done = await job.finish();
    expect(done).toEqual({ streamed: true });
    expect(records.size).toBe(RECORDS);
    expect(records.get('OpaqueRef:4321')).toEqual({ uuid: 'u-4321', name_label: `vm 4321 ${'x'.repeat(200)}`, power_state: 'Running' });
    // the caller's buffers were not handed over: each still holds its bytes
    for (const [i, read] of sources.entries()) {
      expect(read.buffer.byteLength).toBeGreaterThan(0);
      expect(read.equals(bytes.subarray(i * 65_536, i * 65_536 + 65_536))).toBe(true);
    }
    // one message per block of the pool's own, not one per piece
    const chunks = chunkMessages.mock.calls.filter(([m]) => (m as { op?: string }).op === 'chunk');
    chunkMessages.mockRestore();
    expect(pieces).toBeGreaterThan(1_000);
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(bytes.length / (512 * 1024)));
    for (const [, transfer] of chunks) expect(transfer).toHaveLength(1);
  }, 60_000);
});
