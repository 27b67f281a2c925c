// The one typed contract between the renderer and the main process.
// Each channel maps its argument tuple to its result; each event to its payload.
// Electron IPC (preload) and the web-mode WebSocket host both serve exactly this map.

import type { ErrorInfo, CertificateInfo } from './errors';
import type { ProviderDescriptor } from './descriptor';
import type { PolicyDraft, PolicyRun, RunnerStatus, SnapshotPolicy } from './schedules';
import type { Alert, NotificationDelta, ServerTask } from './notifications';
import type { ExternalConsole, ExternalViewer } from './external-consoles';
import type { GuestSettingKey } from './guests';
import { SCHEDULE_CHANNELS, type ScheduleChannels } from './channels/schedules';
import { GUEST_CHANNELS, type GuestChannels } from './channels/guests';
import { ACCESS_CHANNELS, type AccessChannels } from './channels/access';
import type { SessionAccess } from './access';
import { INSIGHT_CHANNELS, type InsightChannels } from './channels/insight';
import { VIEW_CHANNELS, type ViewChannels } from './channels/views';
import type { OwnLabels, SavedSearch } from './labels';
import { THRESHOLD_CHANNELS, type ThresholdChannels } from './channels/thresholds';
import type { ThresholdRule } from './thresholds';
import { NETWORK_CHANNELS, type NetworkChannels } from './channels/networks';
import { DISK_CHANNELS, type DiskChannels } from './channels/disks';
import { USAGE_CHANNELS, type UsageChannels } from './channels/usage';
import { TREE_CHANNELS, type TreeChannels } from './channels/tree';
import { SNAPSHOT_LIST_CHANNELS, type SnapshotListChannels } from './channels/snapshot-lists';
import type { UsageReading } from './usage';
import type {
  ActionName,
  Capabilities,
  ConnectionState,
  HypervisorType,
  InventoryDelta,
  InventoryNode,
} from './model';

export interface ServerDraft {
  type: HypervisorType;
  /** display name; defaults to the address */
  name?: string;
  host: string;
  port?: number;
  username?: string;
  /** write-only: goes to the OS keychain, never comes back */
  password?: string;
  rememberPassword?: boolean;
  /** connect at start-up */
  autoConnect?: boolean;
  /** provider-specific: Proxmox realm / API token id, Docker socket path or TLS cert dir, … */
  options?: Record<string, string | number | boolean>;
}

export interface ServerView {
  id: string;
  type: HypervisorType;
  name: string;
  host: string;
  port: number;
  username: string;
  autoConnect: boolean;
  rememberPassword: boolean;
  /** true when a password is stored in the keychain (the password itself never crosses) */
  hasStoredPassword: boolean;
  options: Record<string, string | number | boolean>;
  state: ConnectionState;
  error?: ErrorInfo;
  capabilities?: Capabilities;
  /** what the logged-in user may do there (issue 16), once connected where the platform says */
  access?: SessionAccess;
  /** pinned certificate fingerprint, if any */
  pinnedFingerprint?: string;
  /** why no password is stored although one was: the address, port, type or user changed since it was saved */
  passwordNotice?: 'endpoint-changed';
  /** while not connected: its tree is the one last known at this time (ms since the epoch) */
  lastKnownAt?: number;
}

export type TaskStatus = 'running' | 'success' | 'failure' | 'cancelled';

export interface TaskInfo {
  id: string;
  serverId: string;
  targetId: string;
  targetName: string;
  /** a snapshot's task: the VM or container the snapshot belongs to (shown "VM › snapshot") */
  ownerName?: string;
  action: ActionName | string;
  status: TaskStatus;
  /** 0..1 */
  progress: number;
  startedAt: number;
  finishedAt?: number;
  cancellable: boolean;
  error?: ErrorInfo;
  /** id of a created object, e.g. the new snapshot */
  resultId?: string;
  /** what a clean-up freed (Docker image and volume prune), as the server counted it */
  reclaimedBytes?: number;
  /** configure: settings the server saved that the running guest takes only at its next start (Proxmox pending changes) */
  nextBoot?: GuestSettingKey[];
  /** a step of a larger task (one VM's migration within a host evacuation) */
  parentId?: string;
}

export interface ActionParams {
  /** snapshot_create */
  name?: string;
  description?: string;
  memory?: boolean;
  quiesce?: boolean;
  includeVolumes?: boolean;
  /** snapshot_delete */
  withChildren?: boolean;
  /** snapshot_revert: take a snapshot of the current state first (XenCenter's option), named by the platform's default */
  snapshotFirst?: boolean;
  /** snapshot_create by a policy: the provider marks the snapshot with it (description or label) so retention can find its own */
  policyId?: string;
  /** migrate: inventory id of the target host (Docker: engine); on another server of the same type it is a cross-server move; pool_join: inventory id of the pool to join */
  targetId?: string;
  /** migrate across servers: a StorageChoice id from `migration:plan`; omitted = the destination's default */
  storageId?: string;
  /** host_reboot / host_shutdown: although VMs still run there; migrate (Proxmox): with local disks; destroy: although it runs */
  force?: boolean;
  /** clone: a full copy rather than the platform's fast (copy-on-write / linked) clone */
  full?: boolean;
  /** destroy: keep the guest's disks (or a container's named volumes) */
  keepDisks?: boolean;
}

export interface ActionRequest {
  nodeIds: string[];
  action: ActionName;
  params?: ActionParams;
}

export interface Settings {
  reconnectAtStart: boolean;
  showTemplates: boolean;
  /** 'system' follows the OS */
  language: 'system' | 'en' | 'zh-CN';
  theme: 'system' | 'light' | 'dark';
  /** servers whose new alerts show as desktop notifications (absent = none) */
  desktopNotifications?: string[];
  /** graphical consoles kept connected after their tab closed (absent = 4; 0 = close at once) */
  consolesKept?: number;
  /** minutes a kept console stays connected unseen (absent = 15) */
  consoleIdleMinutes?: number;
  /** keep each server's last known tree in the profile, shown while it is not connected (absent = true) */
  lastKnownTrees?: boolean;
  /** servers connecting at once when many start together (absent = 8) */
  connectAtOnce?: number;
  /** live CPU bars on the tree's rows (View menu; absent = off) */
  treeUsage?: boolean;
}

export interface StoreProblem {
  file: string;
  /** where the unreadable file was moved to */
  keptAs: string;
  message: string;
  at: number;
}

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web' | 'cli';
  keychain: { available: boolean; message?: string };
  storeProblems: StoreProblem[];
  settings: Settings;
  /** every provider this build has, with its form, rules and facets */
  providers: ProviderDescriptor[];
}

/** Optional settings for `console:open`. */
export interface ConsoleOptions {
  /** text consoles that start a process (Docker exec): the shell to run; default `/bin/sh` */
  shell?: string;
}

/** Optional settings for `logs:open`. */
export interface LogsOptions {
  /** only the last N lines; omitted = the whole log */
  tail?: number;
  /** keep the stream open and deliver new lines as they are written */
  follow?: boolean;
  /** each line starts with the time the engine recorded it (RFC 3339) and a space */
  timestamps?: boolean;
  /** each line the container wrote to stderr starts with STDERR_MARK */
  markStderr?: boolean;
}

/** Starts a log line written to stderr (LogsOptions.markStderr): a control character no log line begins with. */
export const STDERR_MARK = '\u0002';

export interface ConsoleTicket {
  /** ws://127.0.0.1:PORT/console/ID?token=… (one-time) */
  url: string;
  protocol: 'rfb' | 'text';
}

/** Users and access (issue 16): declarations of an interface merge, so this area's `extends` joins the one below. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ChannelMap extends AccessChannels, NetworkChannels, DiskChannels {}

/** Threshold rules (issue 15): declarations of an interface merge, so this area's `extends` joins the one below. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ChannelMap extends ThresholdChannels {}

// the navigation views' channels (issue 16)
export interface ChannelMap extends ViewChannels {}

/** An area's channels live in `shared/channels/<area>.ts` (its map and its exhaustive key set), joined here and in CHANNEL_SET. */
export interface ChannelMap extends ScheduleChannels, GuestChannels, InsightChannels, UsageChannels, TreeChannels, SnapshotListChannels {
  'app:info': { args: []; result: AppInfo };
  'settings:set': { args: [Partial<Settings>]; result: Settings };

  'servers:list': { args: []; result: ServerView[] };
  'servers:add': { args: [ServerDraft]; result: ServerView };
  'servers:update': { args: [id: string, changes: Partial<ServerDraft>]; result: ServerView };
  'servers:remove': { args: [id: string]; result: void };
  /** password: one-time, when none is stored (never persisted unless rememberPassword) */
  'servers:connect': { args: [id: string, password?: string]; result: ServerView };
  'servers:disconnect': { args: [id: string]; result: ServerView };
  'servers:reconnectAll': { args: []; result: ServerView[] };
  'servers:export': { args: []; result: string };
  'servers:import': { args: [content: string]; result: { added: number; skipped: number } };

  /** trust the certificate with this fingerprint for the server's host:port, then connect */
  'certs:accept': { args: [serverId: string, fingerprint256: string]; result: ServerView };
  'certs:forget': { args: [serverId: string]; result: void };

  'inventory:get': { args: []; result: InventoryNode[] };

  'actions:run': { args: [ActionRequest]; result: TaskInfo[] };
  'tasks:list': { args: []; result: TaskInfo[] };
  'tasks:cancel': { args: [taskId: string]; result: void };
  'tasks:clearFinished': { args: []; result: void };

  'console:open': { args: [nodeId: string, protocol: 'rfb' | 'text', options?: ConsoleOptions]; result: ConsoleTicket };
  /** the shells a text console may start in this container (ConsoleOptions.shell), each found there */
  'console:shells': { args: [nodeId: string]; result: string[] };
  /** hands the node to a viewer outside the window (VMRC, SPICE, RDP, SSH): the host opens it, or the page gets the link/file */
  'console:external': { args: [nodeId: string, viewer: ExternalViewer]; result: ExternalConsole };
  /** a container's log as a read-only text stream on the console bridge */
  'logs:open': { args: [nodeId: string, options?: LogsOptions]; result: ConsoleTicket };

  /** the renderer's command registry describes the native menu (labels in the UI's language, enablement); Electron draws it, other hosts ignore it */
  'menu:update': { args: [MenuModel]; result: void };
}

export interface EventMap {
  'inventory:delta': InventoryDelta;
  'server:changed': ServerView;
  'server:removed': { id: string };
  'task:changed': TaskInfo;
  'store:problem': StoreProblem;
  'settings:changed': Settings;
  'schedule:changed': SnapshotPolicy;
  'schedule:removed': { id: string };
  /** a policy run started, progressed or finished */
  'schedule:run': PolicyRun;
  /** Electron only: a native-menu item was chosen; the renderer runs the command with that id (sent by the main process, never by the core) */
  'menu:command': { command: string };
  'alerts:changed': NotificationDelta<Alert>;
  'serverTasks:changed': NotificationDelta<ServerTask>;
  /** Polyvisor's own tags and folders changed (the whole set) */
  'labels:changed': OwnLabels;
  /** the saved searches changed (here or in the profile by another process) */
  'searches:changed': { searches: SavedSearch[] };
  /** the threshold rules changed (here or in thresholds.json by another process): the whole list */
  'thresholds:changed': { rules: ThresholdRule[] };
  /** a round of live usage readings of the nodes on screen (usage:watch) */
  'usage:changed': { readings: UsageReading[] };
}

/** One item of the native menu: a command of the renderer's registry, a separator, or an Electron role (copy, quit, zoom, …). */
export type MenuItemModel =
  | {
      kind: 'command';
      id: string;
      label: string;
      enabled: boolean;
      checked?: boolean;
      /** a choice among its neighbours (drawn as a radio item) rather than an on/off switch */
      radio?: boolean;
      accelerator?: string;
      /** the accelerator is shown but not registered: the page handles the key (consoles and text fields keep it) */
      acceleratorDisplayOnly?: boolean;
    }
  | { kind: 'separator' }
  | { kind: 'role'; role: string; label?: string }
  | { kind: 'submenu'; label: string; items: MenuItemModel[] };

export interface MenuModel {
  menus: Array<{ label: string; items: MenuItemModel[] }>;
}

export type Channel = keyof ChannelMap;
export type EventName = keyof EventMap;
export type ChannelArgs<C extends Channel> = ChannelMap[C]['args'];
export type ChannelResult<C extends Channel> = ChannelMap[C]['result'];

/** What the renderer sees as `window.polyvisor`. */
export interface PolyvisorClient {
  invoke<C extends Channel>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** What the main process implements: one handler per channel. */
export type ChannelHandlers = {
  [C in Channel]: (...args: ChannelArgs<C>) => Promise<ChannelResult<C>> | ChannelResult<C>;
};

/** Wire envelope for a reply (IPC and WebSocket alike). */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

// Exhaustive on purpose: a channel or event added to the maps above and missing here fails typecheck.
const CHANNEL_SET: Record<Channel, true> = {
  ...SCHEDULE_CHANNELS,
  ...GUEST_CHANNELS,
  ...INSIGHT_CHANNELS,
  ...VIEW_CHANNELS,
  ...THRESHOLD_CHANNELS,
  ...NETWORK_CHANNELS,
  ...DISK_CHANNELS,
  ...USAGE_CHANNELS,
  ...TREE_CHANNELS,
  ...SNAPSHOT_LIST_CHANNELS,
  'app:info': true,
  'settings:set': true,
  'servers:list': true,
  'servers:add': true,
  'servers:update': true,
  'servers:remove': true,
  'servers:connect': true,
  'servers:disconnect': true,
  'servers:reconnectAll': true,
  ...ACCESS_CHANNELS,
  'servers:export': true,
  'servers:import': true,
  'certs:accept': true,
  'certs:forget': true,
  'inventory:get': true,
  'actions:run': true,
  'tasks:list': true,
  'tasks:cancel': true,
  'tasks:clearFinished': true,
  'console:open': true,
  'console:shells': true,
  'console:external': true,
  'logs:open': true,
  'menu:update': true,
};

const EVENT_SET: Record<EventName, true> = {
  'inventory:delta': true,
  'server:changed': true,
  'server:removed': true,
  'task:changed': true,
  'store:problem': true,
  'settings:changed': true,
  'schedule:changed': true,
  'schedule:removed': true,
  'schedule:run': true,
  'menu:command': true,
  'alerts:changed': true,
  'serverTasks:changed': true,
  'labels:changed': true,
  'searches:changed': true,
  'thresholds:changed': true,
  'usage:changed': true,
};

export const CHANNELS: readonly Channel[] = Object.keys(CHANNEL_SET) as Channel[];

export const EVENTS: readonly EventName[] = Object.keys(EVENT_SET) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CHANNEL_SET, name);
}

export type { CertificateInfo };
export type { PolicyDraft, PolicyRun, RunnerStatus, SnapshotPolicy };
