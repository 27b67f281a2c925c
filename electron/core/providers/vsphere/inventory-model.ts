// The PropertyCollector's view of the inventory (managed object → property
// values) and its mapping to normalized nodes:
//   datacenter (pool) → cluster → host → VMs and templates (under runtime.host)
//   datacenter → standalone host → VMs
//   VM → its snapshot tree (VirtualMachineSnapshotTree)
// A standalone ESXi's ha-datacenter is marked `standalone` and named after its host.

import { nodeId, type ActionName, type InventoryNode, type NodeKind, type PowerState, type Props } from '../../../../shared/model';
import { customTags } from './custom-tags';
import { datastoreNode } from './datastores';
import { portgroupNode, standardNetworkNode, switchNode } from './network-nodes';
import { hostActions, targetRefusal, type HostFacts, type VmPlacement } from './migration-rules';
import type { ObjectUpdate, PropertyValues } from './property-collector';
import { LOCAL_SNAPSHOT_ACTIONS, SNAPSHOT_ACTIONS, findSnapshot, snapshotNodes, snapshotTrees, type SnapshotTree } from './snapshot-tree';
import { VM_METHODS } from './vm-methods';
import { child, children, readBool, readMoRef, readNumber, text, type ManagedObjectReference, type XmlNode } from './xml';

interface StoredObject {
  ref: ManagedObjectReference;
  props: PropertyValues;
}

interface HostsView {
  stored: StoredObject[];
  facts: HostFacts[];
}

const VM_STATES: Record<string, PowerState> = { poweredOn: 'running', poweredOff: 'halted', suspended: 'suspended' };
const HOST_STATES: Record<string, PowerState> = { poweredOn: 'running', poweredOff: 'halted', standBy: 'halted' };

const ACTIONS_BY_STATE: Record<string, ActionName[]> = {
  poweredOn: ['shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'suspend', 'snapshot_create'],
  poweredOff: ['start', 'snapshot_create'],
  suspended: ['resume', 'force_shutdown', 'snapshot_create'],
};

/** Clone, convert and delete (guest-actions.ts); a running VM is deleted only with force. */
const LIFECYCLE_BY_STATE: Record<string, ActionName[]> = {
  poweredOn: ['clone', 'destroy'],
  poweredOff: ['clone', 'to_template', 'destroy'],
  suspended: ['clone', 'destroy'],
};

const TEMPLATE_ACTIONS: ActionName[] = ['clone', 'to_vm', 'destroy'];
/** Templates and clones are vCenter's: a standalone ESXi host has neither. */
const VCENTER_ONLY = new Set<ActionName>(['clone', 'to_template', 'to_vm']);

export const key = (ref: ManagedObjectReference) => `${ref.type}:${ref.value}`;
const str = (node: XmlNode | undefined) => text(node)?.trim() ?? '';

export class InventoryModel {
  private readonly objects = new Map<string, StoredObject>();
  /** the key of the server's `polyvisor.tags` custom field (custom-tags.ts), null while it has none */
  tagsField: string | null = null;

  constructor(
    private readonly serverId: string,
    /** ESXi answers as 'HostAgent', vCenter as 'VirtualCenter' */
    private readonly standaloneHost: boolean,
  ) {}

  get size(): number {
    return this.objects.size;
  }

  /**
   * Applies WaitForUpdatesEx changes. Returns the keys of the objects touched and the objects
   * whose changed paths could not be applied in place (to be read again).
   */
  applyUpdates(
    updates: ObjectUpdate[],
    knownPaths: (type: string) => readonly string[] | undefined,
  ): { touched: Set<string>; refetch: ManagedObjectReference[] } {
    const refetch: ManagedObjectReference[] = [];
    const touched = new Set<string>();
    for (const u of updates) {
      const k = key(u.obj);
      touched.add(k);
      if (u.kind === 'leave') {
        this.objects.delete(k);
        continue;
      }
      let stored = this.objects.get(k);
      if (!stored || u.kind === 'enter') {
        stored = { ref: u.obj, props: u.kind === 'enter' ? new Map() : (stored?.props ?? new Map()) };
        this.objects.set(k, stored);
      }
      const paths = knownPaths(u.obj.type);
      for (const change of u.changes) {
        if (paths && !paths.includes(change.name)) {
          // e.g. `disabledMethod["Destroy_Task"]`: read the whole property again
          if (!refetch.some((r) => key(r) === k)) refetch.push(u.obj);
          continue;
        }
        if ((change.op === 'assign' || change.op === 'add') && change.val !== undefined) stored.props.set(change.name, change.val);
        else stored.props.delete(change.name);
      }
    }
    return { touched, refetch };
  }

  /** True when only VMs changed: no other node depends on a VM, so only their nodes need mapping again. */
  static onlyVms(keys: Iterable<string>): boolean {
    for (const k of keys) if (!k.startsWith('VirtualMachine:')) return false;
    return true;
  }

  /** Forgets an object the server no longer has. */
  removeObject(ref: ManagedObjectReference): void {
    this.objects.delete(key(ref));
  }

  /** Replaces one object's properties (after a refetch). */
  setObject(ref: ManagedObjectReference, props: PropertyValues): void {
    this.objects.set(key(ref), { ref, props });
  }

  /** runtime.powerState of a VM (poweredOn / poweredOff / suspended), if known */
  vmPowerState(vm: string): string | undefined {
    const o = this.objects.get(`VirtualMachine:${vm}`);
    return o ? str(o.props.get('runtime.powerState')) || undefined : undefined;
  }

  /** A snapshot as its VM's tree has it (raw description included), with the VM it belongs to. */
  snapshot(ref: string): { vm: ManagedObjectReference; vmName: string; tree: SnapshotTree } | undefined {
    for (const o of this.objects.values()) {
      if (o.ref.type !== 'VirtualMachine') continue;
      const tree = findSnapshot(snapshotTrees(o.props.get('snapshot')), ref);
      if (tree) return { vm: o.ref, vmName: str(o.props.get('name')), tree };
    }
    return undefined;
  }

  /** The datacenter holding this object (its vmFolder is where copies go when the VM is in a vApp). */
  datacenterRef(ref: ManagedObjectReference): ManagedObjectReference | null {
    const o = this.objects.get(key(ref));
    return o ? (this.datacenterOf(o)?.ref ?? null) : null;
  }

  /** An object of the tree by its managed object id, with its type (a distributed switch is Vmware… on vCenter, the base type on vcsim). */
  objectRef(value: string): ManagedObjectReference | undefined {
    for (const o of this.objects.values()) if (o.ref.value === value) return o.ref;
    return undefined;
  }

  /** ESXi answering for itself: no vCenter, so no cloning. */
  get isStandaloneHost(): boolean {
    return this.standaloneHost;
  }

  /** A host's state as the migration rules read it. */
  host(ref: string): HostFacts | undefined {
    const o = this.objects.get(`HostSystem:${ref}`);
    return o ? this.hostFacts(o) : undefined;
  }

  hostList(): HostFacts[] {
    return this.hosts().map((o) => this.hostFacts(o));
  }

  /** The datacenters, by moref. */
  datacenters(): ManagedObjectReference[] {
    return [...this.objects.values()].filter((o) => o.ref.type === 'Datacenter').map((o) => o.ref);
  }

  /** The VMs marked as templates, with their datacenter's moref value. */
  templates(): Array<{ ref: string; name: string; datacenter: string | null }> {
    return [...this.objects.values()]
      .filter((o) => o.ref.type === 'VirtualMachine' && readBool(o.props.get('config.template')) === true)
      .map((o) => ({ ref: o.ref.value, name: str(o.props.get('name')), datacenter: this.datacenterOf(o)?.ref.value ?? null }));
  }

  /** A VM or template: where it is, whether it runs, whether it is a template. */
  guest(ref: string): (VmPlacement & { template: boolean }) | undefined {
    const o = this.objects.get(`VirtualMachine:${ref}`);
    return o ? { ...this.placement(o), template: readBool(o.props.get('config.template')) === true } : undefined;
  }

  /** Where a VM (not a template) is and whether it runs. */
  vm(ref: string): VmPlacement | undefined {
    const o = this.objects.get(`VirtualMachine:${ref}`);
    return o && readBool(o.props.get('config.template')) !== true ? this.placement(o) : undefined;
  }

  /** The VMs (templates left out) whose runtime.host is this host. */
  vmsOn(hostRef: string): VmPlacement[] {
    const out: VmPlacement[] = [];
    for (const o of this.objects.values()) {
      if (o.ref.type !== 'VirtualMachine' || readBool(o.props.get('config.template')) === true) continue;
      if (readMoRef(o.props.get('runtime.host'))?.value === hostRef) out.push(this.placement(o));
    }
    return out;
  }

  /** Every object's nodes, keyed by the object (see NodeDiffer). */
  nodesByOwner(): Map<string, InventoryNode[]> {
    const hosts = this.hostsView();
    const out = new Map<string, InventoryNode[]>();
    for (const [k, o] of this.objects) {
      const nodes = this.nodesOf(o, hosts);
      if (nodes.length) out.set(k, nodes);
    }
    return out;
  }

  /** The nodes of these objects only (an object that is gone maps to none). */
  nodesOfOwners(keys: Iterable<string>): Map<string, InventoryNode[]> {
    const hosts = this.hostsView();
    const out = new Map<string, InventoryNode[]>();
    for (const k of keys) {
      const o = this.objects.get(k);
      out.set(k, o ? this.nodesOf(o, hosts) : []);
    }
    return out;
  }

  /** All nodes of the normalized model. */
  nodes(): InventoryNode[] {
    return [...this.nodesByOwner().values()].flat();
  }

  private hosts(): StoredObject[] {
    return [...this.objects.values()].filter((o) => o.ref.type === 'HostSystem');
  }

  /** The hosts, and their facts read once per mapping (every VM's `migrate` looks at them). */
  private hostsView(): HostsView {
    const stored = this.hosts();
    return { stored, facts: stored.map((o) => this.hostFacts(o)) };
  }

  private hostFacts(o: StoredObject): HostFacts {
    const parent = readMoRef(o.props.get('parent'));
    return {
      ref: o.ref.value,
      name: str(o.props.get('name')),
      connectionState: str(o.props.get('runtime.connectionState')),
      powerState: str(o.props.get('runtime.powerState')),
      inMaintenance: readBool(o.props.get('runtime.inMaintenanceMode')) === true,
      computeResource: parent && parent.type !== 'Folder' ? parent : null,
      datacenter: this.datacenterOf(o)?.ref.value ?? null,
      disabledMethods: new Set(children(o.props.get('disabledMethod'), 'string').map((s) => str(s))),
    };
  }

  private placement(o: StoredObject): VmPlacement {
    return {
      ref: o.ref.value,
      name: str(o.props.get('name')),
      powerState: str(o.props.get('runtime.powerState')),
      host: readMoRef(o.props.get('runtime.host'))?.value ?? null,
      datacenter: this.datacenterOf(o)?.ref.value ?? null,
    };
  }

  /** A VM can move when another host of its datacenter could take it now. */
  private canMove(o: StoredObject, hosts: HostFacts[]): boolean {
    const vm = this.placement(o);
    return hosts.some((h) => h.ref !== vm.host && targetRefusal(h, vm.datacenter) === null);
  }

  private nodesOf(o: StoredObject, hosts: HostsView): InventoryNode[] {
    switch (o.ref.type) {
      case 'Datacenter':
        return [this.datacenterNode(o, hosts.stored)];
      case 'ClusterComputeResource':
        return [this.clusterNode(o)];
      case 'HostSystem':
        return [this.hostNode(o)];
      case 'VirtualMachine':
        return this.vmNodes(o, hosts.facts);
      case 'Datastore':
        return [this.tagged(o, datastoreNode(this.serverId, o.ref.value, o.props, this.datacenterId(o)))];
      case 'Network':
        return [this.tagged(o, standardNetworkNode(this.serverId, o.ref.value, o.props, this.datacenterId(o)))];
      case 'VmwareDistributedVirtualSwitch':
      case 'DistributedVirtualSwitch':
        return [this.tagged(o, switchNode(this.serverId, o.ref.value, o.props, this.datacenterId(o)))];
      case 'DistributedVirtualPortgroup': {
        const sw = readMoRef(o.props.get('config.distributedVirtualSwitch'));
        const stored = sw ? this.objects.get(key(sw)) : undefined;
        const pg = portgroupNode(this.serverId, o.ref.value, o.props, stored ? { ref: stored.ref.value, props: stored.props } : undefined);
        return pg ? [this.tagged(o, pg)] : [];
      }
      default:
        return [];
    }
  }

  /** The entity's tags in the polyvisor.tags custom field (every managed entity has custom values). */
  private tagged(o: StoredObject, node: InventoryNode): InventoryNode {
    node.props = { ...node.props, tags: customTags(o.props.get('customValue'), this.tagsField) };
    return node;
  }

  private id(kind: NodeKind, value: string): string {
    return nodeId(this.serverId, kind, value);
  }

  private base(o: StoredObject, kind: NodeKind, parentId: string | null): InventoryNode {
    return {
      id: this.id(kind, o.ref.value),
      serverId: this.serverId,
      kind,
      name: str(o.props.get('name')),
      parentId,
      nativeRef: o.ref.value,
      allowed: [],
      props: {},
    };
  }

  /** Walks `parent` links up to the datacenter holding this object. */
  private datacenterOf(o: StoredObject): StoredObject | null {
    let current: StoredObject | undefined = o;
    for (let i = 0; current && i < 64; i++) {
      if (current.ref.type === 'Datacenter') return current;
      const parent = readMoRef(current.props.get('parent'));
      current = parent ? this.objects.get(key(parent)) : undefined;
    }
    return null;
  }

  private datacenterId(o: StoredObject): string | null {
    const dc = this.datacenterOf(o);
    return dc ? this.id('pool', dc.ref.value) : null;
  }

  private datacenterNode(o: StoredObject, hosts: StoredObject[]): InventoryNode {
    const node = this.base(o, 'pool', null);
    node.props = { type: 'datacenter', tags: customTags(o.props.get('customValue'), this.tagsField) };
    if (this.standaloneHost) {
      node.props.standalone = true;
      const host = hosts.find((h) => this.datacenterOf(h) === o) ?? hosts[0];
      if (host) node.name = str(host.props.get('name')) || node.name;
    }
    return node;
  }

  private clusterNode(o: StoredObject): InventoryNode {
    return this.tagged(o, this.base(o, 'cluster', this.datacenterId(o)));
  }

  private hostNode(o: StoredObject): InventoryNode {
    const parentRef = readMoRef(o.props.get('parent'));
    const parent = parentRef ? this.objects.get(key(parentRef)) : undefined;
    const parentId =
      parent?.ref.type === 'ClusterComputeResource' ? this.id('cluster', parent.ref.value) : parent ? this.datacenterId(parent) : null;
    const node = this.base(o, 'host', parentId);
    const connection = str(o.props.get('runtime.connectionState'));
    node.state = connection && connection !== 'connected' ? 'unknown' : (HOST_STATES[str(o.props.get('runtime.powerState'))] ?? 'unknown');
    const memory = readNumber(o.props.get('summary.hardware.memorySize'));
    node.props = {
      version: str(o.props.get('summary.config.product.fullName')) || null,
      cpus: readNumber(o.props.get('summary.hardware.numCpuCores')) ?? null,
      cpuModel: str(o.props.get('summary.hardware.cpuModel')) || null,
      memoryTotal: memory ?? null,
      connectionState: connection || null,
      maintenanceMode: readBool(o.props.get('runtime.inMaintenanceMode')) ?? false,
      tags: customTags(o.props.get('customValue'), this.tagsField),
    };
    const facts = this.hostFacts(o);
    node.maintenance = facts.inMaintenance;
    node.allowed = hostActions(facts);
    return node;
  }

  private vmNodes(o: StoredObject, hosts: HostFacts[]): InventoryNode[] {
    const p = o.props;
    const template = readBool(p.get('config.template')) === true;
    const hostRef = readMoRef(p.get('runtime.host'));
    const host = hostRef ? this.objects.get(key(hostRef)) : undefined;
    const parentId = host ? this.id('host', host.ref.value) : this.datacenterId(o);
    const node = this.base(o, template ? 'template' : 'vm', parentId);
    const power = str(p.get('runtime.powerState'));
    const memoryMB = readNumber(p.get('config.hardware.memoryMB'));
    const ip = str(p.get('guest.ipAddress'));
    const props: Props = {
      uuid: str(p.get('config.uuid')) || null,
      host: host ? str(host.props.get('name')) : null,
      memory: memoryMB === undefined ? null : memoryMB * 1024 * 1024,
      vcpus: readNumber(p.get('config.hardware.numCPU')) ?? null,
      os: str(p.get('guest.guestFullName')) || str(p.get('summary.config.guestFullName')) || null,
      ips: ip ? [ip] : [],
      powerState: power || null,
      tags: customTags(p.get('customValue'), this.tagsField),
    };
    node.props = props;
    const info = p.get('snapshot');
    const trees = snapshotTrees(info);
    const current = readMoRef(child(info, 'currentSnapshot'));
    const disabled = new Set(children(p.get('disabledMethod'), 'string').map((s) => str(s)));
    const serverTakes = (a: ActionName) => {
      if (this.standaloneHost && VCENTER_ONLY.has(a)) return false;
      const method = VM_METHODS[a]?.method;
      return !method || !disabled.has(method);
    };
    if (template) node.allowed = TEMPLATE_ACTIONS.filter(serverTakes);
    if (!template) {
      node.state = VM_STATES[power] ?? 'unknown';
      const toolsDown = str(p.get('guest.toolsRunningStatus')) === 'guestToolsNotRunning';
      const candidates = [...(ACTIONS_BY_STATE[power] ?? [])];
      if (trees.length) candidates.push('snapshot_delete');
      if (this.canMove(o, hosts)) candidates.push('migrate');
      candidates.push(...(LIFECYCLE_BY_STATE[power] ?? []));
      node.allowed = candidates.filter((a) => !(toolsDown && (a === 'shutdown' || a === 'reboot')) && serverTakes(a));
      node.currentSnapshotId = current ? this.id('snapshot', current.value) : null;
    }
    return [node, ...snapshotNodes(this.serverId, node, trees, this.standaloneHost ? LOCAL_SNAPSHOT_ACTIONS : SNAPSHOT_ACTIONS)];
  }
}
