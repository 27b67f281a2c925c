// XAPI records → normalized inventory nodes, placed like XenCenter's Infrastructure view:
// pool → hosts → running VMs on their host; halted VMs and templates under the pool;
// snapshots under the VM they were taken of.

import { nodeId, type ActionName, type InventoryNode, type PowerState, type Props } from '../../../../shared/model';
import { bool, isoTime, isRef, map, num, refs, str, type XapiCache, type XapiRecord } from './records';
import { srNode } from './storage-mapping';
import { networkNode } from './network-mapping';
import { emptyFolders, labelProps } from './labels';

const VM_ALLOWED: Record<string, ActionName> = {
  start: 'start',
  clean_shutdown: 'shutdown',
  hard_shutdown: 'force_shutdown',
  clean_reboot: 'reboot',
  hard_reboot: 'force_reboot',
  suspend: 'suspend',
  resume: 'resume',
  pause: 'pause',
  unpause: 'unpause',
  snapshot: 'snapshot_create',
  checkpoint: 'snapshot_create',
  pool_migrate: 'migrate',
  // issue 14: a fast clone or a full copy are both `clone` (params.full picks the copy)
  clone: 'clone',
  copy: 'clone',
  make_into_template: 'to_template',
  destroy: 'destroy',
};

const TEMPLATE_ALLOWED: Record<string, ActionName> = { clone: 'clone', copy: 'clone', destroy: 'destroy' };

/**
 * A VM's actions from xapi's allowed_operations; a running VM can be deleted by
 * forcing it off first (destroy with params.force), so it offers destroy too.
 */
function vmAllowed(operations: unknown): ActionName[] {
  const out = allowedFrom(operations, VM_ALLOWED);
  if (out.includes('force_shutdown') && !out.includes('destroy')) out.push('destroy');
  return out;
}

/** A template is cloned, copied or destroyed as xapi allows; a custom one can become a VM again (VM.set_is_a_template false). */
function templateAllowed(record: XapiRecord): ActionName[] {
  const out = allowedFrom(record.allowed_operations, TEMPLATE_ALLOWED);
  if (!bool(map(record.other_config).default_template)) out.push('to_vm');
  return out;
}

/** XenCenter's mark of a host in maintenance mode. */
const MAINTENANCE_KEY = 'MAINTENANCE_MODE';

/**
 * What can be done to a host now, from xapi's allowed_operations: a host that is down
 * can only be powered on (when it has a power-on mode); an up one enters maintenance
 * (or leaves it, also when it is only disabled), is evacuated, rebooted or shut down
 * (the provider disables it first, as xapi requires).
 */
function hostAllowed(record: XapiRecord, live: boolean | undefined, maintenance: boolean): ActionName[] {
  const ops = refs(record.allowed_operations);
  if (live === false) return ops.includes('power_on') ? ['host_power_on'] : [];
  const out: ActionName[] = [];
  if (maintenance || !bool(record.enabled)) out.push('maintenance_exit');
  else out.push('maintenance_enter');
  if (ops.includes('evacuate')) out.push('evacuate');
  out.push('host_reboot', 'host_shutdown');
  return out;
}

const SNAPSHOT_ALLOWED: Record<string, ActionName> = {
  revert: 'snapshot_revert',
  destroy: 'snapshot_delete',
  // a new VM from the snapshot, and a template from it, are both VM.clone of the snapshot
  clone: 'snapshot_clone',
};

/** XenCenter's "Create template from snapshot" is a clone too. */
function snapshotAllowed(operations: unknown): ActionName[] {
  const out = allowedFrom(operations, SNAPSHOT_ALLOWED);
  if (out.includes('snapshot_clone')) out.push('snapshot_template');
  // name and description are plain fields: set_name_label/description need no allowed operation
  out.push('snapshot_edit');
  return out;
}

/** The id of a snapshot schedule (VMSS) as a policy. */
export function policyId(serverId: string, vmssRef: string): string {
  return `${serverId}:policy:${vmssRef}`;
}

const POWER_STATES: Record<string, PowerState> = {
  Running: 'running',
  Halted: 'halted',
  Paused: 'paused',
  Suspended: 'suspended',
};

export type VmKind = 'vm' | 'template' | 'snapshot';

export function vmKind(record: XapiRecord): VmKind {
  if (bool(record.is_a_snapshot)) return 'snapshot';
  if (bool(record.is_a_template)) return 'template';
  return 'vm';
}

function allowedFrom(operations: unknown, table: Record<string, ActionName>): ActionName[] {
  const out: ActionName[] = [];
  for (const op of refs(operations)) {
    const action = Object.hasOwn(table, op) ? table[op] : undefined;
    if (action && !out.includes(action)) out.push(action);
  }
  return out;
}

export class InventoryMapper {
  constructor(
    private readonly serverId: string,
    private readonly cache: XapiCache,
  ) {}

  id(kind: InventoryNode['kind'], ref: string): string {
    return nodeId(this.serverId, kind, ref);
  }

  /** The connection's pool (XAPI always has exactly one). */
  poolRef(): string | undefined {
    for (const ref of this.cache.pool.keys()) return ref;
    return undefined;
  }

  all(): InventoryNode[] {
    return [...this.walk()];
  }

  /** Every node, parents before children (a consumer can build the tree in one pass), mapped as they are asked for. */
  *walk(): Generator<InventoryNode> {
    for (const ref of this.cache.pool.keys()) yield this.pool(ref);
    for (const ref of this.cache.host.keys()) yield this.host(ref);
    for (const ref of this.cache.sr.keys()) {
      const node = this.storage(ref);
      if (node) yield node;
    }
    for (const ref of this.cache.network.keys()) {
      const node = this.network(ref);
      if (node) yield node;
    }
    const snapshots: InventoryNode[] = [];
    for (const ref of this.cache.vm.keys()) {
      const node = this.vm(ref)!;
      if (node.kind === 'snapshot') snapshots.push(node);
      else yield node;
    }
    yield* snapshots;
  }

  pool(ref: string): InventoryNode {
    const record = this.cache.pool.get(ref)!;
    const master = isRef(record.master) ? this.cache.host.get(record.master) : undefined;
    const label = str(record.name_label);
    const props: Props = { uuid: str(record.uuid), description: str(record.name_description), ...labelProps(record) };
    const empty = emptyFolders(record);
    if (empty.length) props.emptyFolders = empty;
    let name = label;
    if (label === '') {
      // an unnamed pool is how XAPI represents a standalone host: show the host's name
      name = master ? str(master.name_label) : '';
      if (this.cache.host.size <= 1) props.standalone = true;
    }
    if (master) props.master = str(master.name_label);
    return {
      id: this.id('pool', ref),
      serverId: this.serverId,
      kind: 'pool',
      name,
      parentId: null,
      nativeRef: ref,
      allowed: [],
      props,
    };
  }

  /** An SR as XenCenter shows it (storage-mapping.ts), or null for one it hides. */
  storage(ref: string): InventoryNode | null {
    return srNode(this.serverId, this.cache, ref, (kind, r) => this.id(kind, r), this.poolRef());
  }

  /** A network as XenCenter shows it (network-mapping.ts), or null for one it hides. */
  network(ref: string): InventoryNode | null {
    return networkNode(this.serverId, this.cache, ref, (kind, r) => this.id(kind, r), this.poolRef());
  }

  /** XenCenter's Add Server to Pool on a host on its own, Remove Server from Pool on an up member that is not the master. */
  private membershipAllowed(ref: string, live: boolean | undefined): ActionName[] {
    if (live === false) return [];
    if (this.cache.host.size <= 1) return ['pool_join'];
    const poolRef = this.poolRef();
    return poolRef && this.cache.pool.get(poolRef)!.master !== ref ? ['pool_eject'] : [];
  }

  host(ref: string): InventoryNode {
    const record = this.cache.host.get(ref)!;
    const metrics = isRef(record.metrics) ? this.cache.host_metrics.get(record.metrics) : undefined;
    const software = map(record.software_version);
    const cpuInfo = map(record.cpu_info);
    const cpuCount = num(cpuInfo.cpu_count);
    const live = metrics ? bool(metrics.live) : undefined;
    const poolRef = this.poolRef();
    const maintenance = str(map(record.other_config)[MAINTENANCE_KEY]) === 'true';
    return {
      id: this.id('host', ref),
      serverId: this.serverId,
      kind: 'host',
      name: str(record.name_label),
      parentId: poolRef ? this.id('pool', poolRef) : null,
      nativeRef: ref,
      state: live === undefined ? 'unknown' : live ? 'running' : 'halted',
      allowed: [...hostAllowed(record, live, maintenance), ...this.membershipAllowed(ref, live)],
      maintenance,
      props: {
        uuid: str(record.uuid),
        description: str(record.name_description),
        address: str(record.address),
        hostname: str(record.hostname),
        version: str(software.product_version) || str(software.platform_version) || null,
        cpus: cpuCount ?? (refs(record.host_CPUs).length || null),
        memoryTotal: metrics ? num(metrics.memory_total) : null,
        // what new or moving VMs can still get here (the Memory tab, the New VM wizard's home host)
        memoryFree: metrics ? num(metrics.memory_free) : null,
        enabled: bool(record.enabled),
        live: live ?? null,
        ...labelProps(record),
      },
    };
  }

  /** VM-class record as a vm, template or snapshot node. */
  vm(ref: string): InventoryNode | null {
    const record = this.cache.vm.get(ref);
    if (!record) return null;
    const kind = vmKind(record);
    if (kind === 'snapshot') return this.snapshot(ref, record);
    const poolRef = this.poolRef();
    const poolId = poolRef ? this.id('pool', poolRef) : null;
    const powerState = str(record.power_state);
    const state = (Object.hasOwn(POWER_STATES, powerState) ? POWER_STATES[powerState] : undefined) ?? 'unknown';
    const residentOn = isRef(record.resident_on) ? record.resident_on : undefined;
    const residentHost = residentOn ? this.cache.host.get(residentOn) : undefined;
    const onHost = kind === 'vm' && powerState !== 'Halted' && residentHost !== undefined;
    const props: Props = {
      uuid: str(record.uuid),
      state,
      description: str(record.name_description),
      host: onHost ? str(residentHost!.name_label) : null,
      memory: num(record.memory_static_max),
      vcpus: num(record.VCPUs_at_startup) ?? num(record.VCPUs_max),
      ...labelProps(record),
    };
    if (kind === 'vm') {
      const guest = isRef(record.guest_metrics) ? this.cache.vm_guest_metrics.get(record.guest_metrics) : undefined;
      props.os = guest ? osName(guest) : null;
      props.ips = guest ? addresses(guest) : [];
    } else if (bool(map(record.other_config).default_template)) {
      props.defaultTemplate = true;
    }
    const node: InventoryNode = {
      id: this.id(kind, ref),
      serverId: this.serverId,
      kind,
      name: str(record.name_label),
      parentId: onHost ? this.id('host', residentOn!) : poolId,
      nativeRef: ref,
      state: kind === 'vm' ? state : undefined,
      allowed: kind === 'vm' ? vmAllowed(record.allowed_operations) : templateAllowed(record),
      props,
    };
    if (kind === 'vm') {
      const parent = isRef(record.parent) ? this.cache.vm.get(record.parent) : undefined;
      node.currentSnapshotId = parent && bool(parent.is_a_snapshot) ? this.id('snapshot', record.parent as string) : null;
      if (bool(record.is_control_domain)) node.controlDomain = true;
    }
    return node;
  }

  private snapshot(ref: string, record: XapiRecord): InventoryNode {
    const ofRef = str(record.snapshot_of);
    const of = isRef(ofRef) ? this.cache.vm.get(ofRef) : undefined;
    const ofVm = of !== undefined && vmKind(of) !== 'snapshot';
    const ofId = this.id(of ? vmKind(of) : 'vm', ofRef);
    const parent = isRef(record.parent) ? this.cache.vm.get(record.parent) : undefined;
    const time = isoTime(record.snapshot_time);
    const description = str(record.name_description);
    const poolRef = this.poolRef();
    const props: Props = { uuid: str(record.uuid), description, time };
    // a snapshot whose VM is gone stays visible under the pool rather than dangling
    if (!ofVm) props.orphan = true;
    // xapi does not record which schedule took a snapshot: it is the VM's (a VM has at most one)
    const scheduleRef = bool(record.is_vmss_snapshot) && of ? str(of.snapshot_schedule) : '';
    const schedule = isRef(scheduleRef) ? this.cache.vmss.get(scheduleRef) : undefined;
    return {
      id: this.id('snapshot', ref),
      serverId: this.serverId,
      kind: 'snapshot',
      name: str(record.name_label),
      parentId: ofVm ? ofId : poolRef ? this.id('pool', poolRef) : null,
      nativeRef: ref,
      allowed: snapshotAllowed(record.allowed_operations),
      props,
      snapshot: {
        ofId,
        parentSnapshotId: parent && bool(parent.is_a_snapshot) ? this.id('snapshot', record.parent as string) : null,
        time,
        withMemory: isRef(record.suspend_VDI) || str(record.power_state) === 'Suspended',
        description,
        ...(schedule ? { policyId: policyId(this.serverId, scheduleRef), policyName: str(schedule.name_label) } : {}),
      },
    };
  }
}

function osName(guest: XapiRecord): string | null {
  const name = str(map(guest.os_version).name);
  // Windows guests report "Product name|C:\Windows|\Device\Harddisk0\Partition1"
  return name ? name.split('|')[0]! : null;
}

function addresses(guest: XapiRecord): string[] {
  const networks = map(guest.networks);
  const out: string[] = [];
  for (const key of Object.keys(networks).sort()) {
    const address = str(networks[key]);
    if (address && !out.includes(address)) out.push(address);
  }
  return out;
}
