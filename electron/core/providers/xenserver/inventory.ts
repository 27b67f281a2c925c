// Keeps the XAPI records and turns a full load or a batch of events into one
// InventoryDelta. What consumers were told is the shared NodeDiffer's business:
// every XAPI object (by ref) owns the one node it maps to, so a VM that becomes a
// template (a new node id for the same ref) is an upsert plus a removal, and a
// snapshot follows its VM's kind because the events of either mark the other.

import type { InventoryDelta, InventoryNode } from '../../../../shared/model';
import { NodeDiffer, type NodesByOwner } from '../common/node-differ';
import type { Snapshot } from './events';
import { InventoryMapper, vmKind } from './mapping';
import { isRef, keepNeeded, refs, str, XapiCache, type XapiEvent, type XapiRecord } from './records';
import { inUnits, runInSlices } from '../../util/time-slices';

type Kind = 'pool' | 'host' | 'vm' | 'sr' | 'network';

/** Nodes mapped between two looks at the clock (a VM with its props takes some µs). */
const MAP_UNIT = 64;

export class InventoryTracker {
  readonly cache = new XapiCache();
  readonly mapper: InventoryMapper;
  private readonly differ: NodeDiffer;
  private vmOfGuestMetrics = new Map<string, string>();
  private policiesChanged = false;

  constructor(serverId: string) {
    this.mapper = new InventoryMapper(serverId, this.cache);
    this.differ = new NodeDiffer(serverId);
  }

  /** Replaces every record with a full snapshot (records already reduced by keepNeeded). */
  load(tables: Snapshot['tables']): void {
    this.cache.clear();
    this.vmOfGuestMetrics.clear();
    for (const [cls, records] of tables) {
      const table = this.cache.table(cls);
      if (!table) continue;
      const isVm = table === this.cache.vm;
      for (const [ref, record] of records) {
        table.set(ref, record);
        if (isVm) this.indexVm(ref, record);
      }
    }
    this.policiesChanged = true;
  }

  /** The schedules are to be published again (their zone changed). */
  markPoliciesChanged(): void {
    this.policiesChanged = true;
  }

  /** Whether the snapshot schedules changed since the last call (a load counts). */
  takePoliciesChanged(): boolean {
    const changed = this.policiesChanged;
    this.policiesChanged = false;
    return changed;
  }

  /** Everything, replacing what consumers had (the first load of a connection); mapped in slices of the event loop. */
  async reset(): Promise<InventoryDelta> {
    const all: NodesByOwner = new Map();
    const upsert: InventoryNode[] = [];
    await runInSlices(
      inUnits(this.mapper.walk(), MAP_UNIT, (node) => {
        all.set(node.nativeRef, [node]);
        upsert.push(node);
      }),
    );
    return this.differ.resetTaking(all, upsert);
  }

  /** After a reconnect: only what changed while we were away, removals included; null when nothing did. Mapped in slices. */
  async resync(): Promise<InventoryDelta | null> {
    const all: NodesByOwner = new Map();
    await runInSlices(inUnits(this.mapper.walk(), MAP_UNIT, (node) => all.set(node.nativeRef, [node])));
    return this.differ.diffAll(all);
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
          if (!before || !after) for (const sr of this.cache.sr.keys()) mark(sr, 'sr');
          if (!before || !after) for (const network of this.cache.network.keys()) mark(network, 'network');
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
        case this.cache.vmss:
          // a schedule's snapshots show its name
          this.policiesChanged = true;
          for (const vm of [...refs(before?.VMs), ...refs(after?.VMs)]) this.markRelatives(this.cache.vm.get(vm), mark);
          break;
        case this.cache.sr:
          mark(event.ref, 'sr');
          break;
        case this.cache.pbd:
          // a plugged or unplugged PBD changes its SR's hosts (and a local SR's home)
          for (const record of [before, after]) if (record) mark(str(record.SR), 'sr');
          break;
        case this.cache.network:
          mark(event.ref, 'network');
          break;
        case this.cache.pif:
          // a PIF's network changes type, VLAN, hosts or name with it; a bond member hides its network
          for (const record of [before, after]) if (record) mark(str(record.network), 'network');
          if (refs(after?.bond_master_of).length || refs(before?.bond_master_of).length) for (const network of this.cache.network.keys()) mark(network, 'network');
          break;
        case this.cache.vm:
          mark(event.ref, 'vm');
          if (before) this.unindexVm(before);
          if (after) this.indexVm(event.ref, after);
          for (const record of [before, after]) this.markRelatives(record, mark);
          break;
      }
    }

    // every host and VM hangs under the pool: a pool that comes or goes re-places them all
    if (poolsChanged) return this.differ.diffAll(this.everything());
    const changed: NodesByOwner = new Map();
    for (const [ref, kind] of dirty) {
      const node = this.map(ref, kind);
      changed.set(ref, node ? [node] : []);
    }
    return this.differ.diff(changed);
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

  private everything(): NodesByOwner {
    const all: NodesByOwner = new Map();
    for (const node of this.mapper.walk()) all.set(node.nativeRef, [node]);
    return all;
  }

  private map(ref: string, kind: Kind): InventoryNode | null {
    if (kind === 'pool') return this.cache.pool.has(ref) ? this.mapper.pool(ref) : null;
    if (kind === 'host') return this.cache.host.has(ref) ? this.mapper.host(ref) : null;
    if (kind === 'sr') return this.mapper.storage(ref);
    if (kind === 'network') return this.mapper.network(ref);
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

  private indexVm(ref: string, record: XapiRecord): void {
    if (isRef(record.guest_metrics)) this.vmOfGuestMetrics.set(record.guest_metrics, ref);
  }

  private unindexVm(record: XapiRecord): void {
    if (isRef(record.guest_metrics)) this.vmOfGuestMetrics.delete(record.guest_metrics);
  }
}
