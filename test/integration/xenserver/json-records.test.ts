// The streaming get_all_records reader must give exactly what JSON.parse gives,
// however the body is cut into chunks.

import { describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../../shared/errors';
import { JsonRecordsReader } from '../../../electron/core/providers/xenserver/json-records';

const LIMITS = { maxHeadBytes: 1 << 30, maxRecordBytes: 1 << 24, maxRecords: 1_000_000 };

function chunked(text: string, sizes: () => number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = Math.max(1, sizes());
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

function read(text: string, sizes: () => number, transform?: (r: Record<string, unknown>) => Record<string, unknown>): unknown {
  const reader = new JsonRecordsReader('test', LIMITS, transform);
  for (const chunk of chunked(text, sizes)) reader.push(chunk);
  const result = reader.finish();
  return result instanceof Map ? Object.fromEntries(result) : result;
}

function failure(text: string, sizes: () => number): unknown {
  try {
    read(text, sizes);
  } catch (err) {
    return isPolyvisorError(err) ? { code: err.code, serverCode: err.info.serverCode, serverParams: err.info.serverParams } : err;
  }
  return 'no error';
}

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const records: Record<string, Record<string, unknown>> = {};
for (let i = 0; i < 200; i++) {
  records[`OpaqueRef:${i.toString(16).padStart(8, '0')}-aaaa`] = {
    name_label: i % 7 ? `vm ${i} "quoted" {brace} [bracket] \\ back ünïcødé 🎉` : '',
    allowed_operations: ['start', 'snapshot'],
    other_config: { 'key:with:colons': '}{', nested: `${i}` },
    memory_static_max: 1024 * 1024 * i,
    is_a_template: i % 3 === 0,
    VCPUs_params: {},
    blobs: [],
  };
}

describe('JsonRecordsReader', () => {
  const body = JSON.stringify({ jsonrpc: '2.0', result: records, id: 7 });

  it.each([1, 2, 3, 7, 64, 1000, 16384, 1 << 24])('reads records cut into %i-byte chunks', (size) => {
    expect(read(body, () => size)).toEqual(records);
  });

  it('reads records cut at random places', () => {
    for (let round = 0; round < 20; round++) {
      expect(read(body, () => Math.floor(random() * 300))).toEqual(records);
    }
  });

  it('hands each record to the transform', () => {
    const result = read(body, () => 500, (r) => ({ name: r.name_label }));
    expect(Object.keys(result as object)).toHaveLength(200);
    expect((result as Record<string, { name: string }>)['OpaqueRef:00000001-aaaa']!.name).toBe(records['OpaqueRef:00000001-aaaa']!.name_label);
  });

  it('gives errors and other shapes as parsed whole', () => {
    const error = { jsonrpc: '2.0', error: { code: 1, message: 'SESSION_INVALID', data: ['OpaqueRef:x'] }, id: 1 };
    expect(failure(JSON.stringify(error), () => 5)).toEqual({ code: 'SERVER_ERROR', serverCode: 'SESSION_INVALID', serverParams: ['OpaqueRef:x'] });
    expect(read(JSON.stringify({ jsonrpc: '2.0', result: {}, id: 1 }), () => 3)).toEqual({});
    expect(read(JSON.stringify({ id: 1, result: ['a', 'b'], jsonrpc: '2.0' }), () => 2)).toEqual(['a', 'b']);
    expect(failure(JSON.stringify({ result: null, error: ['HOST_IS_SLAVE', '10.0.0.1'], id: 1 }), () => 4)).toEqual({
      code: 'SERVER_ERROR',
      serverCode: 'HOST_IS_SLAVE',
      serverParams: ['10.0.0.1'],
    });
  });

  it('refuses a body that ends inside a record', () => {
    const reader = new JsonRecordsReader('test', LIMITS);
    for (const chunk of chunked(body.slice(0, body.length - 200), () => 100)) reader.push(chunk);
    expect(() => reader.finish()).toThrow(/ended in the middle/);
  });
});
