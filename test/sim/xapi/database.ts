// The live object store of the simulator: one table per XAPI class, a global
// ref index, one-to-many relations kept in step (VM.VBDs, SR.VDIs, ...), and a
// change log that event.from reads. Like xapi's db, each object carries the
// generation at which it was created and last modified; event.from answers
// every object touched since the caller's token with its current state.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { EMPTY_SET, NULL_REF, type XapiModel } from './model';

export type XapiRecord = Record<string, unknown>;
export type EventOperation = 'add' | 'mod' | 'del';

export interface XapiEvent {
  id: number;
  timestamp: string;
  class: string;
  operation: EventOperation;
  ref: string;
  snapshot?: XapiRecord;
}

/** child class, child ref field, parent class, parent set field (from xapi's datamodel relations) */
export const RELATIONS: readonly (readonly [string, string, string, string])[] = [
  ['VBD', 'VM', 'VM', 'VBDs'],
  ['VBD', 'VDI', 'VDI', 'VBDs'],
  ['VDI', 'SR', 'SR', 'VDIs'],
  ['VIF', 'VM', 'VM', 'VIFs'],
  ['VIF', 'network', 'network', 'VIFs'],
  ['PIF', 'host', 'host', 'PIFs'],
  ['PIF', 'network', 'network', 'PIFs'],
  ['VLAN', 'tagged_PIF', 'PIF', 'VLAN_slave_of'],
  ['PBD', 'host', 'host', 'PBDs'],
  ['PBD', 'SR', 'SR', 'PBDs'],
  ['console', 'VM', 'VM', 'consoles'],
  ['VM', 'resident_on', 'host', 'resident_VMs'],
  ['VM', 'snapshot_of', 'VM', 'snapshots'],
  ['VM', 'parent', 'VM', 'children'],
  ['VM', 'snapshot_schedule', 'VMSS', 'VMs'],
  ['VDI', 'snapshot_of', 'VDI', 'snapshots'],
  ['crashdump', 'VM', 'VM', 'crash_dumps'],
  ['crashdump', 'VDI', 'VDI', 'crash_dumps'],
  ['VTPM', 'VM', 'VM', 'VTPMs'],
  ['VGPU', 'VM', 'VM', 'VGPUs'],
  ['host_cpu', 'host', 'host', 'host_CPUs'],
  ['host_crashdump', 'host', 'host', 'crashdumps'],
  ['host_patch', 'host', 'host', 'patches'],
  ['task', 'subtask_of', 'task', 'subtasks'],
];

interface Tombstone {
  cls: string;
  ctime: number;
  dtime: number;
}

interface LogEntry {
  gen: number;
  ref: string;
}

export function xapiDate(d = new Date()): string {
  // XAPI's wire form: 20240131T12:34:56Z
  return d.toISOString().replace(/-/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export function newRef(): string {
  return `OpaqueRef:${randomUUID()}`;
}

export function formatToken(gen: number): string {
  return `${String(gen).padStart(20, '0')},${'0'.repeat(20)}`;
}

export function parseToken(token: string): number | undefined {
  const m = /^(\d+)(,\d+)?$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

export class XapiDatabase extends EventEmitter {
  readonly model: XapiModel;
  /** state.db manifest pairs (schema version, product brand, pool_conf, ...) */
  manifest: Record<string, string> = {};
  private readonly tables = new Map<string, Map<string, XapiRecord>>();
  // per object: its class, and the generations of creation / last change (absent = 0,
  // as for everything bulk-loaded) — kept in flat maps so 100,000s of objects stay cheap
  private readonly refClass = new Map<string, string>();
  private readonly ctimes = new Map<string, number>();
  private readonly mtimes = new Map<string, number>();
  /** uuid → ref per class, built on first lookup */
  private readonly uuids = new Map<string, Map<string, string>>();
  private readonly tombstones = new Map<string, Tombstone>();
  private log: LogEntry[] = [];
  private gen = 0;
  private readonly relationsByChild = new Map<string, (readonly [string, string, string, string])[]>();
  private readonly relationsByParent = new Map<string, (readonly [string, string, string, string])[]>();

  constructor(model: XapiModel) {
    super();
    this.setMaxListeners(0);
    this.model = model;
    for (const c of model.classes.keys()) this.tables.set(c, new Map());
    for (const r of RELATIONS) {
      if (!model.classes.has(r[0]) || !model.classes.has(r[2])) continue;
      const child = this.relationsByChild.get(r[0]) ?? [];
      child.push(r);
      this.relationsByChild.set(r[0], child);
      const parent = this.relationsByParent.get(r[2]) ?? [];
      parent.push(r);
      this.relationsByParent.set(r[2], parent);
    }
  }

  get generation(): number {
    return this.gen;
  }

  /** Class names that have a table (every class of the data model). */
  classes(): string[] {
    return [...this.tables.keys()];
  }

  /** The live table of a class (do not mutate records directly: use set/update so events fire). */
  records(cls: string): Map<string, XapiRecord> {
    const name = this.model.className(cls) ?? cls;
    const t = this.tables.get(name);
    if (!t) throw new Error(`no table ${cls}`);
    return t;
  }

  get(cls: string, ref: string): XapiRecord | undefined {
    return this.tables.get(cls)?.get(ref);
  }

  classOf(ref: string): string | undefined {
    return this.refClass.get(ref);
  }

  byUuid(cls: string, uuid: string): string | undefined {
    return this.uuidIndex(cls).get(uuid);
  }

  /**
   * Inserts a record. Missing fields get their data-model default; `uuid` is
   * generated when empty. Relations are updated unless `raw` (bulk loading of a
   * dump that already carries both sides).
   */
  add(cls: string, fields: XapiRecord, opts: { ref?: string; raw?: boolean; silent?: boolean } = {}): string {
    const table = this.tables.get(cls);
    if (!table) throw new Error(`no table ${cls}`);
    const ref = opts.ref ?? newRef();
    if (this.refClass.has(ref)) throw new Error(`duplicate ref ${ref}`);
    const rec = this.model.emptyRecord(cls);
    for (const k in fields) if (fields[k] !== undefined) rec[k] = fields[k];
    if ('uuid' in rec && !rec.uuid) rec.uuid = randomUUID();
    table.set(ref, rec);
    const gen = opts.silent ? this.gen : ++this.gen;
    this.refClass.set(ref, cls);
    if (gen) {
      this.ctimes.set(ref, gen);
      this.mtimes.set(ref, gen);
    }
    if (typeof rec.uuid === 'string') this.uuids.get(cls)?.set(rec.uuid, ref);
    if (!opts.silent) this.log.push({ gen, ref });
    if (!opts.raw) this.linkParents(cls, ref, rec, opts.silent);
    if (!opts.silent) this.changed();
    return ref;
  }

  /** Sets fields of an existing record; emits one `mod` event (plus relation side effects). */
  update(cls: string, ref: string, patch: XapiRecord): void {
    const rec = this.mustGet(cls, ref);
    const rels = this.relationsByChild.get(cls);
    for (const k in patch) {
      const old = rec[k];
      const value = patch[k];
      if (rels) {
        for (const r of rels) {
          if (r[1] !== k || old === value) continue;
          this.unlink(r, old as string, ref);
          this.link(r, value as string, ref);
        }
      }
      if (k === 'uuid' && typeof old === 'string') {
        this.uuids.get(cls)?.delete(old);
        this.uuids.get(cls)?.set(value as string, ref);
      }
      rec[k] = value;
    }
    this.touch(ref);
    this.changed();
  }

  set(cls: string, ref: string, field: string, value: unknown): void {
    this.update(cls, ref, { [field]: value });
  }

  /** Records a `mod` for an object without changing it (event.inject). */
  touch(ref: string): void {
    if (!this.refClass.has(ref)) return;
    const gen = ++this.gen;
    this.mtimes.set(ref, gen);
    this.log.push({ gen, ref });
  }

  remove(cls: string, ref: string): void {
    const table = this.tables.get(cls);
    const rec = table?.get(ref);
    if (!table || !rec) throw new Error(`no ${cls} ${ref}`);
    const rels = this.relationsByChild.get(cls);
    if (rels) for (const r of rels) this.unlink(r, rec[r[1]] as string, ref);
    // the other side of relations pointing at this object now dangles, as in xapi
    table.delete(ref);
    if (typeof rec.uuid === 'string') this.uuids.get(cls)?.delete(rec.uuid);
    const ctime = this.ctimes.get(ref) ?? 0;
    this.refClass.delete(ref);
    this.ctimes.delete(ref);
    this.mtimes.delete(ref);
    const dtime = ++this.gen;
    this.tombstones.set(ref, { cls, ctime, dtime });
    this.log.push({ gen: dtime, ref });
    this.changed();
  }

  /** Events for objects of `classes` ('*' = all) changed after generation `since`. */
  eventsSince(classes: Set<string> | '*', since: number): XapiEvent[] {
    const out: XapiEvent[] = [];
    const log = this.log;
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log[mid].gen <= since) lo = mid + 1;
      else hi = mid;
    }
    const seen = new Set<string>();
    const timestamp = xapiDate();
    for (let i = log.length - 1; i >= lo; i--) {
      const { ref } = log[i];
      if (seen.has(ref)) continue;
      seen.add(ref);
      const cls = this.refClass.get(ref);
      if (cls) {
        if (classes !== '*' && !classes.has(cls)) continue;
        out.push({
          id: this.mtimes.get(ref) ?? 0,
          timestamp,
          class: cls.toLowerCase(),
          operation: (this.ctimes.get(ref) ?? 0) > since ? 'add' : 'mod',
          ref,
          snapshot: this.tables.get(cls)!.get(ref),
        });
      } else {
        const t = this.tombstones.get(ref);
        if (!t || t.ctime > since) continue; // created and deleted within the window
        if (classes !== '*' && !classes.has(t.cls)) continue;
        out.push({ id: t.dtime, timestamp, class: t.cls.toLowerCase(), operation: 'del', ref });
      }
    }
    return out.reverse();
  }

  /** Every current object of `classes` as an `add` event (event.from with an empty token). */
  allAsEvents(classes: Set<string> | '*'): XapiEvent[] {
    const out: XapiEvent[] = [];
    const timestamp = xapiDate();
    for (const [cls, table] of this.tables) {
      if (classes !== '*' && !classes.has(cls)) continue;
      const lc = cls.toLowerCase();
      for (const [ref, rec] of table) {
        out.push({ id: this.mtimes.get(ref) ?? 0, timestamp, class: lc, operation: 'add', ref, snapshot: rec });
      }
    }
    return out;
  }

  /**
   * Recomputes every one-to-many set (VM.VBDs, SR.VDIs, host.resident_VMs, ...)
   * from the child side, as xapi computes them: dumps do not always store them.
   */
  rebuildRelations(): void {
    for (const [childCls, field, parentCls, setField] of RELATIONS) {
      const parents = this.tables.get(parentCls);
      const children = this.tables.get(childCls);
      if (!parents || !children) continue;
      const sets = new Map<string, string[]>();
      for (const [ref, rec] of children) {
        const parent = rec[field] as string;
        if (!parents.has(parent)) continue;
        const set = sets.get(parent);
        if (set) set.push(ref);
        else sets.set(parent, [ref]);
      }
      for (const [ref, rec] of parents) rec[setField] = sets.get(ref) ?? EMPTY_SET;
    }
  }

  /** Count of the log entries kept; compacts when it grows far beyond the number of objects. */
  compactLog(keepAfter: number): void {
    this.log = this.log.filter((e) => e.gen > keepAfter);
  }

  private mustGet(cls: string, ref: string): XapiRecord {
    const rec = this.tables.get(cls)?.get(ref);
    if (!rec) throw new Error(`no ${cls} ${ref}`);
    return rec;
  }

  private uuidIndex(cls: string): Map<string, string> {
    let m = this.uuids.get(cls);
    if (!m) {
      m = new Map();
      for (const [ref, rec] of this.tables.get(cls) ?? []) if (typeof rec.uuid === 'string') m.set(rec.uuid, ref);
      this.uuids.set(cls, m);
    }
    return m;
  }

  private linkParents(cls: string, ref: string, rec: XapiRecord, silent?: boolean): void {
    const rels = this.relationsByChild.get(cls);
    if (rels) for (const r of rels) this.link(r, rec[r[1]] as string, ref, silent);
    // a record created with its own set field filled must not double count: parents' sets only
  }

  private link(r: readonly [string, string, string, string], parentRef: string, childRef: string, silent?: boolean): void {
    if (!parentRef || parentRef === NULL_REF) return;
    const parent = this.tables.get(r[2])?.get(parentRef);
    if (!parent) return;
    const set = (parent[r[3]] as string[] | undefined) ?? [];
    if (!set.includes(childRef)) {
      parent[r[3]] = [...set, childRef];
      if (!silent) this.touch(parentRef);
    }
  }

  private unlink(r: readonly [string, string, string, string], parentRef: string, childRef: string): void {
    if (!parentRef || parentRef === NULL_REF) return;
    const parent = this.tables.get(r[2])?.get(parentRef);
    if (!parent) return;
    const set = parent[r[3]] as string[] | undefined;
    if (set && set.includes(childRef)) {
      parent[r[3]] = set.filter((x) => x !== childRef);
      this.touch(parentRef);
    }
  }

  private changed(): void {
    this.emit('change', this.gen);
  }
}

