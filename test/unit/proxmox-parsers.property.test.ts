// Property tests for everything the Proxmox provider reads from a server: the
// bytes-to-JSON decoding, the /api2/json envelope, each answer reader, and the
// path from a /cluster/resources answer and snapshot lists to inventory nodes.
// Arbitrary and mutated inputs give a value or a PolyvisorError, never another exception.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../shared/errors';
import { deepJson } from '../peers/hostile-proxy';
import { NodeDiffer } from '../../electron/core/providers/common/node-differ';
import {
  decodeJson,
  readClusterStatus,
  readClusterTasks,
  readProxyTicket,
  readResources,
  readSnapshotList,
  readTaskLog,
  readTaskStatus,
  readTicket,
  readUpid,
  readVersion,
  unwrapEnvelope,
  upidNode,
} from '../../electron/core/providers/proxmox/answers';
import { ClusterCache } from '../../electron/core/providers/proxmox/cluster-cache';
import { parseGuestRef } from '../../electron/core/providers/proxmox/model-map';

const WHERE = 'Proxmox VE test:8006 (GET /x)';

/** Runs `fn`; a PolyvisorError is a fine outcome, anything else thrown fails the property. */
function valueOrTypedError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isPolyvisorError(e)) throw e;
    expect(e.code).not.toBe('INTERNAL');
    expect(e.message.length).toBeGreaterThan(0);
  }
}

const READERS: Record<string, (data: unknown) => unknown> = {
  readVersion: (d) => readVersion(d, WHERE),
  readClusterStatus: (d) => readClusterStatus(d, WHERE),
  readClusterTasks: (d) => readClusterTasks(d, WHERE),
  readResources: (d) => readResources(d, WHERE),
  readSnapshotList: (d) => readSnapshotList(d, WHERE),
  readTaskStatus: (d) => readTaskStatus(d, WHERE),
  readTaskLog: (d) => readTaskLog(d, WHERE),
  readUpid: (d) => readUpid(d, WHERE),
  readTicket: (d) => readTicket(d),
  readProxyTicket: (d) => readProxyTicket(d, WHERE),
};

// ---- plausible answers, as PVE 6–9 send them, to mutate

const anyScalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const vmid = fc.integer({ min: 100, max: 999_999_999 });

const guestEntry = fc.record(
  {
    id: fc.tuple(fc.constantFrom('qemu', 'lxc'), vmid).map(([t, v]) => `${t}/${v}`),
    type: fc.constantFrom('qemu', 'lxc', 'node', 'storage', 'sdn', 'pool', 'openvz'),
    vmid: fc.oneof(vmid, vmid.map(String)),
    node: fc.constantFrom('node1', 'node2', 'pve', ''),
    name: fc.string(),
    status: fc.constantFrom('running', 'stopped', 'paused', 'prelaunch', 'online', 'offline', 'unknown', 'suspended'),
    template: fc.constantFrom(0, 1, '1', true, false),
    maxcpu: fc.integer({ min: 0, max: 512 }),
    maxmem: fc.nat(),
    maxdisk: fc.nat(),
    uptime: fc.nat(),
    cpu: fc.double({ min: 0, max: 1, noNaN: true }),
    tags: fc.string(),
    lock: fc.constantFrom('snapshot', 'backup', 'suspended', 'migrate', ''),
    hastate: fc.constantFrom('started', 'stopped', 'error'),
  },
  { requiredKeys: ['id', 'type'] },
);

const snapshotEntry = fc.record(
  {
    name: fc.oneof(fc.constant('current'), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/)),
    description: fc.string(),
    snaptime: fc.nat(),
    vmstate: fc.constantFrom(0, 1, true, false),
    parent: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/),
    running: fc.constantFrom(0, 1),
    digest: fc.stringMatching(/^[0-9a-f]{0,40}$/),
  },
  { requiredKeys: ['name'] },
);

/** An object with one field replaced by anything, or removed, or an extra field added. */
function mutated<T extends Record<string, unknown>>(base: fc.Arbitrary<T>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(base, fc.nat(), fc.anything(), fc.constantFrom('replace', 'remove', 'add')).map(([o, i, junk, how]) => {
    const keys = Object.keys(o);
    const out: Record<string, unknown> = { ...o };
    const key = keys[i % Math.max(1, keys.length)] ?? 'id';
    if (how === 'replace') out[key] = junk;
    else if (how === 'remove') delete out[key];
    else out[`extra${i}`] = junk;
    return out;
  });
}

/** Bytes of a valid answer, with some flipped, cut or inserted. */
function mutatedBytes(answer: fc.Arbitrary<unknown>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(answer, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert')), { maxLength: 4 })).map(([value, edits]) => {
    let bytes = Buffer.from(JSON.stringify({ data: value }));
    for (const [at, byte, how] of edits) {
      const i = at % Math.max(1, bytes.length);
      if (how === 'flip') bytes[i] = byte;
      else if (how === 'cut') bytes = bytes.subarray(0, i);
      else bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
    }
    return new Uint8Array(bytes);
  });
}

describe('Proxmox answer parsing (property-based)', () => {
  it('decodes arbitrary bytes to a value or a typed error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => valueOrTypedError(() => decodeJson(bytes, WHERE))), { numRuns: 500 });
  });

  it('unwraps any status, reason and body to data or a typed error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.string(), fc.anything(), (status, reason, body) =>
        valueOrTypedError(() => unwrapEnvelope({ status, reason, body }, WHERE)),
      ),
      { numRuns: 500 },
    );
  });

  it('reads any JSON value with every reader to a value or a typed error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(READERS)), fc.anything({ withNullPrototype: true, withObjectString: true }), (reader, data) =>
        valueOrTypedError(() => READERS[reader](data)),
      ),
      { numRuns: 1000 },
    );
  });

  it('reads mutated resource lists, snapshot lists and tickets to a value or a typed error', () => {
    const answers = fc.oneof(
      fc.array(fc.oneof(guestEntry, mutated(guestEntry)), { maxLength: 8 }).map((data) => ['readResources', data] as const),
      fc.array(fc.oneof(snapshotEntry, mutated(snapshotEntry)), { maxLength: 8 }).map((data) => ['readSnapshotList', data] as const),
      mutated(fc.record({ ticket: fc.string(), CSRFPreventionToken: fc.string(), username: fc.string() })).map((data) => ['readTicket', data] as const),
      mutated(fc.record({ port: fc.oneof(fc.integer(), fc.string()), ticket: fc.string(), user: fc.string(), password: anyScalar })).map((data) => ['readProxyTicket', data] as const),
      mutated(fc.record({ status: fc.constantFrom('running', 'stopped'), exitstatus: fc.string() })).map((data) => ['readTaskStatus', data] as const),
    );
    fc.assert(fc.property(answers, ([reader, data]) => valueOrTypedError(() => READERS[reader](data))), { numRuns: 1000 });
  });

  it('reads mutated answer bytes through decode, envelope and reader to a value or a typed error', () => {
    fc.assert(
      fc.property(mutatedBytes(fc.array(guestEntry, { maxLength: 4 })), (bytes) =>
        valueOrTypedError(() => readResources(unwrapEnvelope({ status: 200, reason: 'OK', body: decodeJson(bytes, WHERE) }, WHERE), WHERE)),
      ),
      { numRuns: 500 },
    );
  });

  it('reads task ids: a UPID names its node, anything else is a typed error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `UPID:${s}`), fc.stringMatching(/^UPID:[a-z0-9-]{1,10}:[0-9A-F:]{0,40}$/)), (upid) =>
        valueOrTypedError(() => expect(typeof upidNode(upid)).toBe('string')),
      ),
      { numRuns: 500 },
    );
    expect(upidNode('UPID:node2:0000A1B2:0ABC:6543210F:qmsnapshot:100:root@pam:')).toBe('node2');
  });

  it('reads deeply nested values in any field and any envelope part without overflowing the stack', () => {
    const deep = JSON.parse(deepJson(100_000)) as unknown;
    const hostile = JSON.parse('{"toString": null, "valueOf": null, "toJSON": null}') as unknown;
    for (const odd of [deep, hostile]) {
      for (const read of Object.values(READERS)) {
        valueOrTypedError(() => read(odd));
        valueOrTypedError(() => read([odd]));
        for (const field of ['status', 'upid', 'id', 'type', 'name', 'ticket', 'port', 'vmid', 'snaptime', 'uptime']) valueOrTypedError(() => read([{ id: 'qemu/1', type: 'qemu', [field]: odd }]));
        for (const field of ['status', 'upid', 'ticket', 'port', 'version', 'exitstatus']) valueOrTypedError(() => read({ status: 'stopped', [field]: odd }));
      }
      valueOrTypedError(() => unwrapEnvelope({ status: 500, reason: '', body: { message: odd, errors: { a: odd } } }, WHERE));
      valueOrTypedError(() => unwrapEnvelope({ status: 200, reason: 'OK', body: odd }, WHERE));
    }
  });

  it('parses native refs of any text without throwing', () => {
    fc.assert(fc.property(fc.string(), (ref) => void parseGuestRef(ref)), { numRuns: 500 });
  });

  it('turns whatever the readers accept into inventory nodes without throwing', () => {
    const poll = fc.record({
      resources: fc.array(fc.oneof(guestEntry, mutated(guestEntry)), { maxLength: 12 }),
      snapshots: fc.array(fc.array(fc.oneof(snapshotEntry, mutated(snapshotEntry)), { maxLength: 6 }), { maxLength: 12 }),
    });
    fc.assert(
      fc.property(fc.array(poll, { minLength: 1, maxLength: 3 }), (polls) => {
        const cache = new ClusterCache('s', 'pve.example');
        const differ = new NodeDiffer('s', { volatileProps: ['uptime'] });
        polls.forEach((p, i) => {
          let resources: ReturnType<typeof readResources>;
          try {
            resources = readResources(p.resources, WHERE);
          } catch (e) {
            if (isPolyvisorError(e)) return;
            throw e;
          }
          cache.applyResources(resources);
          cache.guestRefs().forEach((ref, j) => {
            try {
              cache.setSnapshots(ref, readSnapshotList(p.snapshots[j] ?? [], WHERE));
            } catch (e) {
              if (!isPolyvisorError(e)) throw e;
            }
          });
          const delta = i === 0 ? differ.reset(cache.nodesByOwner()) : differ.diff(cache.changedNodes());
          for (const n of delta?.upsert ?? []) expect(typeof n.id).toBe('string');
        });
      }),
      { numRuns: 300 },
    );
  });
});
