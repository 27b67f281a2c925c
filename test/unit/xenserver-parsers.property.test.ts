// Every reader of XAPI server input, fed arbitrary and mutated answers: the outcome
// is a value or a typed PolyvisorError, never an exception of another kind; and
// what the inventory makes of arbitrary records can always be sent (JSON) and diffed.

import fc from 'fast-check';
import { serializeMethodResponse } from 'xmlrpc/lib/serializer.js';
import { describe, expect, it } from 'vitest';
import { PolyvisorError } from '../../shared/errors';
import { decodeJsonRpcAnswer, recordMap, xmlRpcResult } from '../../electron/core/providers/xenserver/answers';
import { xapiFailure } from '../../electron/core/providers/xenserver/errors';
import { readEventBatch } from '../../electron/core/providers/xenserver/events';
import { InventoryTracker } from '../../electron/core/providers/xenserver/inventory';
import { JsonRecordsReader } from '../../electron/core/providers/xenserver/json-records';
import { keepNeeded, isoTime, WATCHED_CLASSES } from '../../electron/core/providers/xenserver/records';
import { taskResult } from '../../electron/core/providers/xenserver/tasks';
import { XmlRpcAnswerReader } from '../../electron/core/providers/xenserver/xmlrpc-answer';

const RUNS = { numRuns: 300 };
const LIMITS = { maxHeadBytes: 1 << 20, maxRecordBytes: 1 << 16, maxRecords: 500 };

/** Runs `read`; a PolyvisorError is a fine outcome, anything else thrown fails the property. */
function valueOrTyped(read: () => unknown): void {
  try {
    read();
  } catch (err) {
    if (!(err instanceof PolyvisorError)) throw err;
    expect(err.code).not.toBe('INTERNAL');
  }
}

/** Cuts bytes into pieces at the given (sorted, deduplicated) places. */
function cut(bytes: Buffer, places: number[]): Buffer[] {
  const at = [...new Set(places.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of at) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

const STRUCTURAL = ['{', '}', '[', ']', '"', ':', ',', '\\', '<', '>', '/', '&', '\u00e9', '\ufffd', '&#x110000;', '&#99999999;', '&amp;', '<![CDATA[', ']]>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;'];

/** A valid answer with bytes flipped, removed, or structural characters inserted. */
function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...STRUCTURAL) }),
  );
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) => {
    let bytes = Buffer.from(text, 'utf8');
    for (const e of edits) {
      const at = bytes.length ? e.at % bytes.length : 0;
      if (e.kind === 'flip' && bytes.length) bytes[at] = e.byte;
      else if (e.kind === 'drop') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + e.n)]);
      else if (e.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(e.text), bytes.subarray(at)]);
    }
    return bytes;
  });
}

const refKey = fc.oneof(fc.uuid().map((u) => `OpaqueRef:${u}`), fc.constantFrom('__proto__', 'constructor', 'toString', ''), fc.string());
const fieldName = fc.oneof(fc.constantFrom('name_label', 'power_state', 'is_a_snapshot', 'snapshot_of', 'snapshots', 'allowed_operations', 'other_config', '__proto__'), fc.string());
const recordArb = fc.dictionary(fieldName, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
const recordsArb = fc.dictionary(refKey, recordArb, { maxKeys: 6 });

const jsonRecordsAnswer = recordsArb.map((records) => JSON.stringify({ jsonrpc: '2.0', result: records, id: 1 }));
const jsonAnswer = fc.oneof(jsonRecordsAnswer, fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)));

/** XML-RPC answers as the xmlrpc package writes them (strings it cannot write are left out). */
const xmlRecordsAnswer = recordsArb.chain((records) => {
  try {
    return fc.constant(serializeMethodResponse({ Status: 'Success', Value: records }));
  } catch {
    return fc.constant(serializeMethodResponse({ Status: 'Success', Value: {} }));
  }
});

function readJsonRecords(chunks: Buffer[]): unknown {
  const reader = new JsonRecordsReader('test', LIMITS, (r) => keepNeeded('vm', r));
  for (const c of chunks) reader.push(c);
  return recordMap(reader.finish(), (r) => r, 'test');
}

function readXml(chunks: Buffer[], records: boolean): unknown {
  const reader = new XmlRpcAnswerReader('test', { maxTextBytes: 1 << 16, records: records ? { transform: (r) => keepNeeded('vm', r), maxRecords: 500 } : undefined });
  for (const c of chunks) reader.push(c);
  return reader.finish();
}

describe('XAPI JSON-RPC answers', () => {
  it('a streamed get_all_records answer, valid or mutated, cut anywhere', () => {
    fc.assert(
      fc.property(fc.oneof(jsonRecordsAnswer.map((t) => Buffer.from(t)), mutated(jsonRecordsAnswer)), fc.array(fc.nat(), { maxLength: 8 }), (bytes, places) => {
        valueOrTyped(() => readJsonRecords(cut(bytes, places)));
      }),
      RUNS,
    );
  });

  it('gives every valid record back, whatever the chunking', () => {
    fc.assert(
      fc.property(recordsArb, fc.array(fc.nat(), { maxLength: 8 }), (records, places) => {
        const bytes = Buffer.from(JSON.stringify({ jsonrpc: '2.0', result: records, id: 1 }));
        const reader = new JsonRecordsReader('test', LIMITS);
        for (const c of cut(bytes, places)) reader.push(c);
        const got = recordMap(reader.finish(), (r) => r, 'test');
        expect(new Map([...got].map(([k, v]) => [k, JSON.stringify(v)]))).toEqual(
          new Map(Object.entries(JSON.parse(JSON.stringify(records)) as Record<string, unknown>).map(([k, v]) => [k, JSON.stringify(v)])),
        );
      }),
      RUNS,
    );
  });

  it('an answer read whole, arbitrary bytes or mutated JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)), mutated(jsonAnswer), jsonAnswer.map((t) => Buffer.from(t))), (bytes) => {
        valueOrTyped(() => decodeJsonRpcAnswer(bytes, 'test'));
      }),
      RUNS,
    );
  });
});

describe('XAPI XML-RPC answers', () => {
  it('a get_all_records answer, valid or mutated, cut anywhere', () => {
    fc.assert(
      fc.property(fc.oneof(xmlRecordsAnswer.map((t) => Buffer.from(t)), mutated(xmlRecordsAnswer)), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (bytes, places, records) => {
        valueOrTyped(() => readXml(cut(bytes, places), records));
      }),
      RUNS,
    );
  });

  it('arbitrary text as an answer', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString('latin1'))), (text) => {
        valueOrTyped(() => readXml([Buffer.from(text, 'utf8')], false));
        valueOrTyped(() => readXml([Buffer.from(`<?xml version="1.0"?><methodResponse><params><param><value>${text}</value></param></params></methodResponse>`)], true));
      }),
      RUNS,
    );
  });
});

describe('XAPI results and events', () => {
  it('any value as a result, an error description, an event batch or a task result', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }), (value) => {
        valueOrTyped(() => xmlRpcResult(value, 'test'));
        valueOrTyped(() => recordMap(value, (r) => r, 'test'));
        valueOrTyped(() => readEventBatch(value, 'test'));
        valueOrTyped(() => readEventBatch({ token: '1', events: [value] }, 'test'));
        expect(xapiFailure(value)).toBeInstanceOf(PolyvisorError);
        expect(typeof taskResult(value)).toBe('string');
        const time = isoTime(value);
        expect(time === null || !Number.isNaN(Date.parse(time))).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('XAPI records into the inventory', () => {
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('OpaqueRef:a', 'OpaqueRef:b', 'OpaqueRef:p', 'OpaqueRef:h', 'Running', 'Halted', 'constructor', '__proto__'));
  const refs = fc.constantFrom('OpaqueRef:a', 'OpaqueRef:b', 'OpaqueRef:p', 'OpaqueRef:h', 'OpaqueRef:NULL', '__proto__');
  const fields = fc.constantFrom('name_label', 'power_state', 'resident_on', 'is_a_template', 'is_a_snapshot', 'is_control_domain', 'snapshot_of', 'snapshots', 'parent', 'snapshot_time', 'suspend_VDI', 'allowed_operations', 'memory_static_max', 'VCPUs_at_startup', 'guest_metrics', 'other_config', 'master', 'metrics', 'software_version', 'cpu_info', 'resident_VMs', 'os_version', 'networks', 'live', 'memory_total', 'uuid');
  const record = fc.dictionary(fields, fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(fc.string(), value, { maxKeys: 3 })), { maxKeys: 10 });
  const table = fc.array(fc.tuple(refs, record), { maxLength: 4 }).map((rows) => new Map(rows));
  const event = fc.record({
    class: fc.constantFrom(...WATCHED_CLASSES.map((c) => c.toLowerCase()), 'message', 'vm'),
    ref: refs,
    operation: fc.constantFrom('add' as const, 'mod' as const, 'del' as const),
    snapshot: fc.option(record, { nil: undefined }),
  });

  it('maps, diffs and sends whatever the records hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(...WATCHED_CLASSES.map(() => table)), fc.array(fc.array(event, { maxLength: 5 }), { maxLength: 4 }), async (tables, batches) => {
        const tracker = new InventoryTracker('s');
        tracker.load(WATCHED_CLASSES.map((cls, i) => [cls, new Map([...tables[i]!].map(([ref, r]) => [ref, keepNeeded(cls.toLowerCase(), r)]))]));
        const deltas = [await tracker.reset()];
        for (const batch of batches) {
          const delta = tracker.applyEvents(batch);
          if (delta) deltas.push(delta);
          deltas.push((await tracker.resync()) ?? deltas[0]!);
        }
        for (const delta of deltas) {
          for (const node of delta.upsert) {
            expect(typeof node.name).toBe('string');
            expect(node.state === undefined || typeof node.state === 'string').toBe(true);
            for (const action of node.allowed) expect(typeof action).toBe('string');
            for (const v of Object.values(node.props)) {
              expect(v === null || ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.every((x) => typeof x === 'string'))).toBe(true);
            }
          }
          expect(() => JSON.stringify(delta)).not.toThrow();
        }
      }),
      { numRuns: 200 },
    );
  });
});
