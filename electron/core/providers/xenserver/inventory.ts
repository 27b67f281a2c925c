// Keeps the XAPI records and what consumers were last told, and turns a full
// snapshot or a batch of events into one InventoryDelta.

import type { InventoryDelta, InventoryNode } from '../../../../shared/model';
import type { Snapshot } from './events';
import { InventoryMapper, vmKind } from './mapping';
import { isRef, keepNeeded, refs, str, XapiCache, type XapiEvent, type XapiRecord } from './records';

type Kind = 'pool' | 'host' | 'vm';

export class InventoryTracker {
  readonly cache = new XapiCache();
  readonly mapper: InventoryMapper;
  /** what consumers hold, by node id */
  private emitted = new Map<string, InventoryNode>();
  /** native ref → node id (a VM converted to a template changes id) */
  private idOfRef = new Map<string, string>();
  private vmOfGuestMetrics = new Map<string, string>();

  constructor(private readonly serverId: string) {
    this.mapper = new InventoryMapper(serverId, this.cache);
  }

  /** Replaces every record with a full snapshot (records already reduced by keepNeeded). */
  load(tables: Snapshot['tables']): void {
    this.cache.clear();
    this.vmOfGuestMetrics.clear();
    for (const [cls, records] of tables) {
      const table = this.cache.table(cls);
      if (!table || !records) continue;
      const isVm = table === this.cache.vm;
      for (const ref in records) {
        const record = records[ref]!;
        table.set(ref, record);
        if (isVm) this.indexVm(ref, record);
      }
    }
  }

  /** Everything, replacing what consumers had. */
  resetDelta(): InventoryDelta {
    const nodes = this.mapper.all();
    this.emitted.clear();
    this.idOfRef.clear();
    for (const node of nodes) this.remember(node);
    return { serverId: this.serverId, reset: true, upsert: nodes, remove: [] };
  }

  /** After a reconnect: only what changed while we were away, including removals. */
  resyncDelta(): InventoryDelta {
    const nodes = this.mapper.all();
    const upsert: InventoryNode[] = [];
    const seen = new Set<string>();
    for (const node of nodes) {
      seen.add(node.id);
      if (!sameNode(this.emitted.get(node.id), node)) upsert.push(node);
    }
    const remove = [...this.emitted.keys()].filter((id) => !seen.has(id));
    this.emitted.clear();
    this.idOfRef.clear();
    for (const node of nodes) this.remember(node);
    return { serverId: this.serverId, upsert, remove };
  }

  /** Applies one event.from batch; null when consumers need not hear about it. */
  applyEvents(events: XapiEvent[]): InventoryDelta | null {
    const dirty = new Map<string, Kind>();
    let poolsChanged = false;
    const mark = (ref: string, kind: Kind) => {
      if (isRef(ref)) dirty.set(ref, kind);
    };

    for (const event of events) {
      const table = this.cache.table(event.class);
      if (!table) continue;
      const before = table.get(event.ref);
      const after = event.operation === 'del' || !event.snapshot ? undefined : keepNeeded(event.class.toLowerCase(), event.snapshot);
      if (after) table.set(event.ref, after);
      else table.delete(event.ref);

      switch (table) {
        case this.cache.pool:
          if (!before || !after) poolsChanged = true;
          mark(event.ref, 'pool');
          break;
        case this.cache.host:
          mark(event.ref, 'host');
          for (const poolRef of this.cache.pool.keys()) mark(poolRef, 'pool');
          if (!before || !after || str(before.name_label) !== str(after.name_label)) {
            for (const vm of [...refs(before?.resident_VMs), ...refs(after?.resident_VMs)]) mark(vm, 'vm');
          }
          break;
        case this.cache.host_metrics:
          for (const [hostRef, host] of this.cache.host) if (host.metrics === event.ref) mark(hostRef, 'host');
          break;
        case this.cache.vm_guest_metrics: {
          const vmRef = this.vmOfGuestMetrics.get(event.ref);
          if (vmRef) mark(vmRef, 'vm');
          break;
        }
        case this.cache.vm:
          mark(event.ref, 'vm');
          if (before) this.unindexVm(before);
          if (after) this.indexVm(event.ref, after);
          for (const record of [before, after]) this.markRelatives(record, mark);
          break;
      }
    }

    if (poolsChanged) {
      const delta = this.resyncDelta();
      return delta.upsert.length || delta.remove.length ? delta : null;
    }

    const upsert: InventoryNode[] = [];
    const remove: string[] = [];
    for (const [ref, kind] of dirty) {
      const node = this.map(ref, kind);
      const oldId = this.idOfRef.get(ref);
      if (oldId && (!node || oldId !== node.id)) {
        remove.push(oldId);
        this.emitted.delete(oldId);
        this.idOfRef.delete(ref);
      }
      if (node && !sameNode(this.emitted.get(node.id), node)) {
        upsert.push(node);
        this.remember(node);
      }
    }
    if (!upsert.length && !remove.length) return null;
    return { serverId: this.serverId, upsert: parentsFirst(upsert), remove };
  }

  node(ref: string): InventoryNode | undefined {
    const id = this.idOfRef.get(ref);
    return id ? this.emitted.get(id) : undefined;
  }

  /** Snapshot refs whose `parent` is the given snapshot. */
  childSnapshots(ref: string): string[] {
    const snapshot = this.cache.vm.get(ref);
    const of = snapshot && isRef(snapshot.snapshot_of) ? this.cache.vm.get(snapshot.snapshot_of) : undefined;
    const candidates = of ? refs(of.snapshots) : [...this.cache.vm.keys()];
    return candidates.filter((r) => {
      const rec = this.cache.vm.get(r);
      return rec !== undefined && vmKind(rec) === 'snapshot' && rec.parent === ref;
    });
  }

  private map(ref: string, kind: Kind): InventoryNode | null {
    if (kind === 'pool') return this.cache.pool.has(ref) ? this.mapper.pool(ref) : null;
    if (kind === 'host') return this.cache.host.has(ref) ? this.mapper.host(ref) : null;
    return this.mapper.vm(ref);
  }

  /** A snapshot's VM and siblings, a VM's snapshots: their nodes depend on each other. */
  private markRelatives(record: XapiRecord | undefined, mark: (ref: string, kind: Kind) => void): void {
    if (!record) return;
    if (vmKind(record) === 'snapshot') {
      const ofRef = str(record.snapshot_of);
      mark(ofRef, 'vm');
      const of = this.cache.vm.get(ofRef);
      for (const sibling of refs(of?.snapshots)) mark(sibling, 'vm');
    } else {
      for (const snapshot of refs(record.snapshots)) mark(snapshot, 'vm');
    }
  }

  private remember(node: InventoryNode): void {
    this.emitted.set(node.id, node);
    this.idOfRef.set(node.nativeRef, node.id);
  }

  private indexVm(ref: string, record: XapiRecord): void {
    if (isRef(record.guest_metrics)) this.vmOfGuestMetrics.set(record.guest_metrics, ref);
  }

  private unindexVm(record: XapiRecord): void {
    if (isRef(record.guest_metrics)) this.vmOfGuestMetrics.delete(record.guest_metrics);
  }
}

function sameNode(a: InventoryNode | undefined, b: InventoryNode): boolean {
  return a !== undefined && sameValue(a, b);
}

/** Deep equality for plain JSON-like data (what nodes are made of). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    if (ra[key] === undefined) continue;
    count++;
    if (!sameValue(ra[key], rb[key])) return false;
  }
  for (const key in rb) if (rb[key] !== undefined) count--;
  return count === 0;
}

const KIND_ORDER: Record<string, number> = { pool: 0, host: 1, vm: 2, template: 2, snapshot: 3 };

function parentsFirst(nodes: InventoryNode[]): InventoryNode[] {
  return nodes.length < 2 ? nodes : nodes.sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9));
}
