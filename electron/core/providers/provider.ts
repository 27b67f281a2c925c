// One interface for every hypervisor family (XAPI, Proxmox VE, vSphere, Docker).
// Nothing outside a provider folder knows its wire protocol: providers emit the
// normalized model (shared/model.ts) and take normalized action names.

import type { Duplex, Readable } from 'node:stream';
import type { ActionParams, ConsoleOptions, LogsOptions, TaskInfo } from '../../../shared/contract';
import type { StorageChoice } from '../../../shared/migration';
import type { CreateOptions, DeleteItem, GuestChanges, GuestCreateSpec, GuestProperties, GuestSettingKey } from '../../../shared/guests';
import type {
  ActionName,
  Capabilities,
  ConnectionState,
  HypervisorType,
  InventoryDelta,
  NodeKind,
  PowerAction,
} from '../../../shared/model';
import { POWER_ACTIONS } from '../../../shared/model';
import type { ErrorInfo } from '../../../shared/errors';
import type { FieldValue, ProviderDescriptor } from '../../../shared/descriptor';
import type { TlsTrust } from '../tls/trust';
import type { PolicyFrequency, PolicySnapshotType } from '../../../shared/schedules';
import type { Limits } from './common/limits';
import type { ProviderLabels } from './provider-labels';
import type { ProviderAccess } from './provider-access';
import type { ProviderNotifications } from './common/notification-feed';
import type { MetricTimeframe, MetricsAnswer } from '../../../shared/metrics';
import type { StorageDisk } from '../../../shared/storage';
import type { ProviderNetworks } from './provider-networks';
import type { ProviderDisks } from './provider-disks';

export interface ProviderConfig {
  serverId: string;
  host: string;
  port: number;
  username: string;
  /** resolved from the keychain (or typed once) by the core; never logged */
  password?: string;
  /** provider-specific options (realm, API token id, socket path, cert dir, poll interval, …) */
  options: Record<string, string | number | boolean>;
  /** how to verify the server's certificate: CA-valid or the pinned fingerprint */
  tls: TlsTrust;
  /**
   * The user's trust for another address the server sends us to (an XAPI pool
   * master after HOST_IS_SLAVE, the host of a console): pins are per host:port.
   */
  trustFor?: (host: string, port: number) => TlsTrust;
  /** size and time limits on the server's answers; tests lower them, the app uses LIMITS (common/limits.ts) */
  limits?: Partial<Limits>;
  /** only for logging; secrets never go here */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Handed to a long operation so it can report progress and be cancelled. */
export interface TaskReporter {
  progress(fraction: number): void;
  /** the operation can be cancelled from now on; `cancel` asks the server to stop it */
  setCancellable(cancel: (() => Promise<void>) | null): void;
  readonly signal: AbortSignal;
  /**
   * Runs one step on another item as a child task of this one (an evacuation: one
   * migration per VM), shown under it in the tasks panel. Resolves with the child's
   * outcome, whether it succeeded or failed; cancelling the parent cancels it.
   */
  child(step: ChildStep, work: (reporter: TaskReporter) => Promise<ActionResult | void>): Promise<TaskInfo>;
}

export interface ChildStep {
  target: { nativeRef: string; kind: NodeKind };
  /** the item's name as the user knows it */
  name: string;
  action: ActionName;
}

/** ActionParams as a provider gets them: the core has resolved a same-server migration target to its native ref. */
export type ProviderActionParams = ActionParams & { targetRef?: string };

/** One host a VM could move to within its server, or the server's reason why not. */
export interface ProviderMigrationTarget {
  hostRef: string;
  ok: boolean;
  reason?: ErrorInfo;
  /** the move stops the VM first (Proxmox LXC restart-migration) */
  offline?: boolean;
}

/** Moving VMs and emptying hosts (descriptor facet `migration`); absent where the platform cannot. */
export interface ProviderMigration {
  /** For each VM, every other host of this server with ok or the server's own reason (codes and parameters kept). */
  plan(vmRefs: string[]): Promise<Array<{ vmRef: string; targets: ProviderMigrationTarget[] }>>;
  /** Where each running VM of the host would go if it were evacuated now, or why it cannot move. */
  evacuationPlan(hostRef: string): Promise<Array<{ vmRef: string; hostRef?: string; reason?: ErrorInfo }>>;
  /** Moves to a server of this same type (descriptor facet `crossServerMigration`). */
  crossServer?: CrossServerMigration;
}

export interface CrossServerMigration {
  /** On the destination: what a VM from elsewhere may land on at this host ([] where disks are not placed by choice). */
  landing(hostRef: string): Promise<{ storages: StorageChoice[]; offline: boolean }>;
  /** On the source: moves the VM to `hostRef` of `destination`, a connected provider of this same type. */
  send(vmRef: string, destination: Provider, hostRef: string, options: { storageId?: string }, task: TaskReporter): Promise<ActionResult>;
}

/**
 * Pool membership (XAPI pool.join): a standalone host of this server joins the pool of another
 * connected server of the same type. Leaving (pool_eject) is an action on the member host (runAction).
 */
export interface ProviderPools {
  /** Why the host cannot join the pool `destination` serves now (the servers' own codes and parameters); undefined when it can. */
  joinReason(hostRef: string, destination: Provider): Promise<ErrorInfo | undefined>;
  /** Joins; afterwards this server's address answers as a pool member (XAPI HOST_IS_SLAVE) and the connection follows to the master. */
  join(hostRef: string, destination: Provider, task: TaskReporter): Promise<ActionResult>;
}

/** A guest to make, as a provider gets it: the core has resolved the home host to its native ref. */
export type ProviderCreateSpec = Omit<GuestCreateSpec, 'hostId'> & { hostRef?: string };

/**
 * Making, changing and removing guests (descriptor facet `guests`). clone, to_template,
 * to_vm and destroy (params full, keepDisks, force) go through runAction; ids in the
 * answers are inventory ids built with nodeId(config.serverId, …).
 */
export interface ProviderGuests {
  /** templates or images, hosts, storages (free space), networks and ISOs a new guest may use */
  createOptions(): Promise<Omit<CreateOptions, 'serverId'>>;
  /** makes the guest (and starts it when asked); resolves with resultId = the new guest's inventory id */
  create(spec: ProviderCreateSpec, task: TaskReporter): Promise<ActionResult>;
  properties(target: { nativeRef: string; kind: string }): Promise<Omit<GuestProperties, 'nodeId'>>;
  /** applies the changes the server takes now; refuses (with the server's code) what it does not */
  configure(target: { nativeRef: string; kind: string }, changes: GuestChanges, task: TaskReporter): Promise<ActionResult>;
  /** what destroying the guest would remove: its disks (or named volumes) and snapshots */
  deletePlan(target: { nativeRef: string; kind: string }): Promise<Pick<DeleteItem, 'snapshots' | 'disks'>>;
}

/** Container images and volumes of an engine (descriptor facet guests.images); removing one is `destroy` on its node. */
export interface ProviderImages {
  pull(reference: string, task: TaskReporter): Promise<ActionResult>;
  pruneImages(task: TaskReporter): Promise<ActionResult>;
  pruneVolumes(task: TaskReporter): Promise<ActionResult>;
}

export interface ActionResult {
  /** id of a node created by the action, e.g. the new snapshot */
  resultId?: string;
  /** bytes a clean-up freed (Docker prune), as the server counted them */
  reclaimedBytes?: number;
  /** configure: settings saved for the guest's next start, not taken while it runs (Proxmox pending changes) */
  nextBoot?: GuestSettingKey[];
}

export interface ConsoleStream {
  protocol: 'rfb' | 'text';
  /** raw RFB bytes, or terminal bytes both ways */
  stream: Duplex;
  /** text consoles: follow the terminal's size */
  resize?(cols: number, rows: number): Promise<void> | void;
  close(): void;
}

/** A viewer's way in, from the platform (issue 18): a link (vmrc://) or a file (a SPICE .vv, which holds a one-time password). */
export type ExternalConsoleMaterial = { link: string } | { file: { name: string; content: string } };

/** A snapshot policy the server runs itself (XAPI: a VMSS object), in the provider's own refs. */
export interface ServerPolicy {
  nativeRef: string;
  name: string;
  description: string;
  type: PolicySnapshotType;
  frequency: PolicyFrequency;
  /** the zone the server reads its schedule in ('UTC' when it does not say) */
  timeZone: string;
  retain: number;
  enabled: boolean;
  /** native refs of the member VMs */
  memberRefs: string[];
  /** ISO time of the server's last run, if any */
  lastRunAt?: string;
}

export type ServerPolicyDraft = Omit<ServerPolicy, 'nativeRef' | 'lastRunAt' | 'timeZone'>;

/** The facet of a provider whose server runs snapshot policies (descriptor facet serverPolicies). */
export interface ServerPolicies {
  /** what the server has now (kept live with the inventory) */
  list(): ServerPolicy[];
  /** returns the new policy's native ref */
  create(draft: ServerPolicyDraft): Promise<string>;
  update(nativeRef: string, changes: Partial<ServerPolicyDraft>): Promise<void>;
  destroy(nativeRef: string): Promise<void>;
  runNow(nativeRef: string): Promise<void>;
}

/** Performance data (descriptor facet `metrics`), in the shared series model. */
export interface ProviderMetrics {
  /** the node's series over the timeframe, as the server keeps them (or, Docker, as sampled since the tab opened) */
  query(target: { nativeRef: string; kind: string }, timeframe: MetricTimeframe): Promise<Omit<MetricsAnswer, 'nodeId'>>;
  /**
   * The live CPU and memory series of many nodes since `sinceSeconds` in as few requests as the
   * platform allows (XAPI: one per host), by native ref; nodes the server has no data for are left out.
   */
  liveSince?(targets: Array<{ nativeRef: string; kind: string }>, sinceSeconds: number): Promise<Map<string, Omit<MetricsAnswer, 'nodeId'>>>;
  /** stops whatever sampling the provider does for its queries (the app closes) */
  close?(): void;
}

/** One node's current usage as the provider read it (ProviderUsage.sample). */
export interface ProviderUsageReading {
  nativeRef: string;
  /** 0..1 of the node's CPUs */
  cpu?: number;
  memoryUsed?: number;
  memoryTotal?: number;
}

/** Live usage from the platform's cheapest source (one call for many nodes where it has one); without it the core reads the last point of the live metrics. */
export interface ProviderUsage {
  /** readings for the targets the provider knows; the ones it leaves out have no value */
  sample(targets: Array<{ nativeRef: string; kind: string }>): Promise<ProviderUsageReading[]>;
}

/** A storage's disks and rescan (descriptor facet `storage`); storage nodes themselves come with the inventory. */
export interface ProviderStorage {
  /** the disks (volumes, files) on the storage node with this native ref, with the guests that use each (inventory ids) */
  contents(storageRef: string): Promise<StorageDisk[]>;
  /** asks the server to look at the storage again; absent where the platform cannot */
  rescan?(storageRef: string, task: TaskReporter): Promise<ActionResult>;
  /** moves one disk of a guest (diskId as GuestDisk.id) to the storage with this native ref, with progress */
  moveDisk?(guest: { nativeRef: string; kind: string }, diskId: string, storageRef: string, task: TaskReporter): Promise<ActionResult>;
  /** a guest's disks added, attached, grown, detached (issue 16) */
  readonly disks?: ProviderDisks;
}

export interface ProviderEvents {
  inventory: (delta: InventoryDelta) => void;
  /** the server's snapshot policies changed (the whole list; providers with the serverPolicies facet) */
  policies: (policies: ServerPolicy[]) => void;
  /** connection state changes after connect(): reconnecting after a drop, live again, failed */
  state: (state: ConnectionState, error?: ErrorInfo) => void;
}

export interface Provider {
  readonly type: HypervisorType;
  readonly capabilities: Capabilities;

  /**
   * Log in, emit the whole inventory as one `reset` delta, then keep it live
   * (event stream or polling) and reconnect with backoff on drops.
   * Rejects with PolyvisorError: AUTH_FAILED, CERT_UNTRUSTED, CERT_CHANGED, CONNECTION_FAILED.
   */
  connect(): Promise<void>;
  disconnect(): Promise<void>;

  on<E extends keyof ProviderEvents>(event: E, listener: ProviderEvents[E]): () => void;

  /**
   * Run a power or snapshot action on one node (by its native ref and kind).
   * snapshot_create targets a VM/container; snapshot_revert/snapshot_delete target a snapshot.
   * Rejects with PolyvisorError SERVER_ERROR carrying the server's own code and message.
   */
  runAction(
    target: { nativeRef: string; kind: string },
    action: ActionName,
    params: ProviderActionParams,
    task: TaskReporter,
  ): Promise<ActionResult>;

  /** Moving VMs and emptying hosts; the actions themselves (migrate, evacuate, maintenance_*, host_*) go through runAction. */
  readonly migration?: ProviderMigration;

  /** Making, changing and removing guests; absent where the platform (or this provider) cannot. */
  readonly guests?: ProviderGuests;

  /** Docker: images and volumes of the engine. */
  /** Users and access: the session's own permissions, the Users tab (issue 16). */
  readonly access?: ProviderAccess;

  readonly images?: ProviderImages;

  /** Performance data of VMs, containers and hosts; absent where the platform has none. */
  readonly metrics?: ProviderMetrics;

  /** Current CPU and memory for the live usage columns (MetricsFacet.usage); absent = read from `metrics`. */
  readonly usage?: ProviderUsage;

  /** Storage nodes' disks and rescan (issue 16). */
  readonly storage?: ProviderStorage;

  /** Tags and folders the server keeps (issue 16; the descriptor's labels facet says for which kinds). */
  readonly labels?: ProviderLabels;

  /** Networks' tabs, making and deleting networks, a guest's NICs (issue 16). */
  readonly networks?: ProviderNetworks;

  /** XAPI: a standalone host joining another server's pool. */
  readonly pools?: ProviderPools;

  /** The shells a text console may start in this container, each found there (Docker: the engine stats each path). */
  consoleShells?(target: { nativeRef: string; kind: string }): Promise<string[]>;

  /** A platform viewer's link or file for a guest (VMRC clone ticket, SPICE spiceproxy); UNSUPPORTED where it has none. */
  externalConsole?(target: { nativeRef: string; kind: string }, viewer: 'vmrc' | 'spice'): Promise<ExternalConsoleMaterial>;

  /** Reads a guest's snapshot list now, ahead of any background fill, and publishes its nodes; at once if it is read already (only where nodes carry `snapshotsPending`). */
  readSnapshotList?(target: { nativeRef: string; kind: string }): Promise<void>;

  /** What a running guest's agent reports now (Proxmox: get-osinfo, network-get-interfaces), for RDP/SSH where the inventory does not carry it. */
  guestFacts?(target: { nativeRef: string; kind: string }): Promise<{ os: string | null; ips: string[] }>;

  /** Open a console for a node; UNSUPPORTED when the platform or node has none. */
  openConsole?(
    target: { nativeRef: string; kind: string },
    protocol: 'rfb' | 'text',
    options?: ConsoleOptions,
  ): Promise<ConsoleStream>;

  /** Snapshot policies the server runs itself (XAPI VMSS); absent where Polyvisor runs them. */
  readonly policies?: ServerPolicies;

  /** The server's alerts and everyone's tasks/events (descriptor facet notifications). */
  readonly notifications?: ProviderNotifications;

  /** A node's log as plain text (Docker containers); ends unless `follow`. */
  openLogs?(target: { nativeRef: string; kind: string }, options: LogsOptions): Promise<Readable>;
}

export interface ProviderFactory {
  /** the form, display rules, snapshot-name rule and capability facets (shared/descriptor.ts) */
  descriptor: ProviderDescriptor;
  create(config: ProviderConfig): Provider;
  /** fills in options that a server saved by an older Polyvisor lacks, before validation */
  normalizeOptions?(server: { host: string; port: number; username: string; options: Record<string, FieldValue> }): Record<string, FieldValue>;
}

export function isPowerAction(action: ActionName): action is PowerAction {
  return (POWER_ACTIONS as readonly string[]).includes(action);
}
