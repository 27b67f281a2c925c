// One runtime schema per channel (its arguments) and per event (its payload),
// tied to the types in contract.ts: a channel or event without a schema, or a
// schema that disagrees with its type, fails the typecheck. The core's
// dispatch() checks every call against these before any handler runs.

import { z } from 'zod';
import type { Channel, ChannelArgs, EventMap, EventName, MenuItemModel } from './contract';
import { ERROR_CODES } from './errors';
import type { ActionName, HostAction, PowerAction } from './model';
import { GUEST_CHANNEL_ARG_NAMES, GUEST_CHANNEL_SCHEMAS } from './contract-schemas-guests';
import { ACCESS_CHANNEL_ARG_NAMES, ACCESS_CHANNEL_SCHEMAS, SessionAccessSchema } from './contract-schemas-access';
import { PolicyDraftSchema, RunOutcomeSchema, SnapshotPolicySchema } from './contract-schemas-schedules';
import { CONSOLE_CHANNEL_ARG_NAMES, CONSOLE_CHANNEL_SCHEMAS } from './contract-schemas-consoles';
import { VIEW_CHANNEL_ARG_NAMES, VIEW_CHANNEL_SCHEMAS, VIEW_EVENT_PAYLOADS } from './contract-schemas-views';
import { METRICS_CHANNEL_ARG_NAMES, METRICS_CHANNEL_SCHEMAS } from './contract-schemas-metrics';
import { STORAGE_CHANNEL_ARG_NAMES, STORAGE_CHANNEL_SCHEMAS, StorageInfoSchema } from './contract-schemas-storage';
import { NETWORK_CHANNEL_ARG_NAMES, NETWORK_CHANNEL_SCHEMAS, NetworkInfoSchema } from './contract-schemas-networks';
import { USAGE_CHANNEL_ARG_NAMES, USAGE_CHANNEL_SCHEMAS, USAGE_EVENT_PAYLOADS } from './contract-schemas-usage';
import { TREE_CHANNEL_ARG_NAMES, TREE_CHANNEL_SCHEMAS } from './contract-schemas-tree';
import { SNAPSHOT_LIST_CHANNEL_ARG_NAMES, SNAPSHOT_LIST_CHANNEL_SCHEMAS } from './contract-schemas-snapshot-lists';
import { NOTIFICATION_CHANNEL_ARG_NAMES, NOTIFICATION_CHANNEL_SCHEMAS, NOTIFICATION_EVENT_PAYLOADS } from './contract-schemas-notifications';
import { THRESHOLD_CHANNEL_ARG_NAMES, THRESHOLD_CHANNEL_SCHEMAS, THRESHOLD_EVENT_PAYLOADS } from './contract-schemas-thresholds';
import type { GuestSettingKey } from './guests';

const POWER_ACTION_NAMES = ['start', 'shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'suspend', 'resume', 'pause', 'unpause'] as const satisfies readonly PowerAction[];
const HOST_ACTION_NAMES = ['maintenance_enter', 'maintenance_exit', 'evacuate', 'host_reboot', 'host_shutdown', 'host_power_on'] as const satisfies readonly HostAction[];
const ACTION_NAMES = [
  ...POWER_ACTION_NAMES,
  'snapshot_create',
  'snapshot_revert',
  'snapshot_delete',
  'snapshot_edit',
  'snapshot_clone',
  'snapshot_template',
  'clone',
  'to_template',
  'to_vm',
  'destroy',
  'migrate',
  ...HOST_ACTION_NAMES,
  'pool_join',
  'pool_eject',
] as const satisfies readonly ActionName[];
const NODE_KINDS = ['server', 'pool', 'cluster', 'host', 'vm', 'container', 'template', 'project', 'image', 'volume', 'storage', 'network', 'snapshot'] as const;
const POWER_STATES = ['running', 'halted', 'paused', 'suspended', 'restarting', 'unhealthy', 'unknown'] as const;
const CONNECTION_STATES = ['disconnected', 'connecting', 'connected', 'reconnecting', 'error'] as const;
/** Keys a document may use: no prototype names, nothing that looks like code. */
export const SafeKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'must start with a letter and use letters, digits, ".", "_" and "-" (at most 64)')
  .refine((k) => !['constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'].includes(k), 'is a reserved name');

const Id = z.string().min(1).max(512);
const ShortText = z.string().max(1024);
export const OptionValue = z.union([z.string().max(4096), z.number().finite(), z.boolean()]);
export const OptionsRecord = z.record(SafeKey, OptionValue);

export const ServerDraftSchema = z.strictObject({
  type: z.string().min(1).max(64),
  name: z.string().max(256).optional(),
  host: z.string().min(1).max(1024),
  port: z.number().int().min(1).max(65535).optional(),
  username: z.string().max(256).optional(),
  password: z.string().max(4096).optional(),
  rememberPassword: z.boolean().optional(),
  autoConnect: z.boolean().optional(),
  options: OptionsRecord.optional(),
});

export const ServerChangesSchema = ServerDraftSchema.partial();

export const SettingsSchema = z.strictObject({
  reconnectAtStart: z.boolean(),
  showTemplates: z.boolean(),
  language: z.enum(['system', 'en', 'zh-CN']),
  theme: z.enum(['system', 'light', 'dark']),
  desktopNotifications: z.array(z.string().min(1).max(512)).max(1000).optional(),
  consolesKept: z.number().int().min(0).max(32).optional(),
  consoleIdleMinutes: z.number().int().min(1).max(24 * 60).optional(),
  lastKnownTrees: z.boolean().optional(),
  connectAtOnce: z.number().int().min(1).max(64).optional(),
  treeUsage: z.boolean().optional(),
});

const ActionParamsSchema = z.strictObject({
  name: z.string().max(1024).optional(),
  description: z.string().max(1024).optional(),
  memory: z.boolean().optional(),
  quiesce: z.boolean().optional(),
  includeVolumes: z.boolean().optional(),
  withChildren: z.boolean().optional(),
  snapshotFirst: z.boolean().optional(),
  policyId: z.string().regex(/^[A-Za-z0-9:._-]{1,200}$/).optional(),
  targetId: Id.optional(),
  storageId: z.string().min(1).max(1024).optional(),
  force: z.boolean().optional(),
  full: z.boolean().optional(),
  keepDisks: z.boolean().optional(),
});

const ActionRequestSchema = z.strictObject({
  nodeIds: z
    .array(Id)
    .min(1, 'needs at least one inventory id')
    .max(1000, 'takes at most 1000 items per action')
    .refine((ids) => new Set(ids).size === ids.length, 'lists the same item twice'),
  action: z.enum(ACTION_NAMES),
  params: ActionParamsSchema.optional(),
});

const ConsoleOptionsSchema = z.strictObject({
  shell: z
    .union([z.literal(''), z.string().max(200).regex(/^\/?[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/, 'must be a program path such as /bin/sh')])
    .optional(),
});

const LogsOptionsSchema = z.strictObject({
  tail: z.number().int().min(0).max(1_000_000).optional(),
  follow: z.boolean().optional(),
  timestamps: z.boolean().optional(),
  markStderr: z.boolean().optional(),
});

const MenuItemSchema: z.ZodType<MenuItemModel> = z.lazy(() =>
  z.union([
    z.strictObject({
      kind: z.literal('command'),
      id: z.string().min(1).max(128),
      label: z.string().max(256),
      enabled: z.boolean(),
      checked: z.boolean().optional(),
      radio: z.boolean().optional(),
      accelerator: z.string().max(64).optional(),
      acceleratorDisplayOnly: z.boolean().optional(),
    }),
    z.strictObject({ kind: z.literal('separator') }),
    z.strictObject({ kind: z.literal('role'), role: z.string().min(1).max(64), label: z.string().max(256).optional() }),
    z.strictObject({ kind: z.literal('submenu'), label: z.string().max(256), items: z.array(MenuItemSchema).max(200) }),
  ]),
);

const MenuModelSchema = z.strictObject({
  menus: z.array(z.strictObject({ label: z.string().max(256), items: z.array(MenuItemSchema).max(200) })).max(20),
});

const none = z.tuple([]);

/** Argument schemas, one per channel. */
export const CHANNEL_ARGS = {
  'app:info': none,
  'settings:set': z.tuple([SettingsSchema.partial()]),
  'servers:list': none,
  'servers:add': z.tuple([ServerDraftSchema]),
  'servers:update': z.tuple([Id, ServerChangesSchema]),
  'servers:remove': z.tuple([Id]),
  'servers:connect': z.tuple([Id, z.string().max(4096).optional()]),
  'servers:disconnect': z.tuple([Id]),
  'servers:reconnectAll': none,
  'servers:export': none,
  'servers:import': z.tuple([z.string().max(16 * 1024 * 1024)]),
  'certs:accept': z.tuple([Id, z.string().min(1).max(256)]),
  'certs:forget': z.tuple([Id]),
  'inventory:get': none,
  'actions:run': z.tuple([ActionRequestSchema]),
  'tasks:list': none,
  'tasks:cancel': z.tuple([Id]),
  'tasks:clearFinished': none,
  'console:open': z.tuple([Id, z.enum(['rfb', 'text']), ConsoleOptionsSchema.optional()]),
  'console:shells': z.tuple([Id]),
  'logs:open': z.tuple([Id, LogsOptionsSchema.optional()]),
  'menu:update': z.tuple([MenuModelSchema]),
  'schedules:list': none,
  'schedules:create': z.tuple([PolicyDraftSchema]),
  'schedules:update': z.tuple([Id, PolicyDraftSchema.partial()]),
  'schedules:delete': z.tuple([Id, z.strictObject({ deleteSnapshots: z.boolean().optional() }).optional()]),
  'schedules:runNow': z.tuple([Id]),
  'schedules:history': z.tuple([Id]),
  'schedules:runner': none,
  'schedules:installRunner': none,
  'schedules:uninstallRunner': none,
  'migration:plan': z.tuple([z.array(Id).min(1, 'needs at least one VM').max(1000, 'takes at most 1000 VMs')]),
  'hosts:evacuationPlan': z.tuple([Id]),
  'pools:joinPlan': z.tuple([Id]),
  ...GUEST_CHANNEL_SCHEMAS,
  ...CONSOLE_CHANNEL_SCHEMAS,
  ...VIEW_CHANNEL_SCHEMAS,
  ...NOTIFICATION_CHANNEL_SCHEMAS,
  ...ACCESS_CHANNEL_SCHEMAS,
  ...METRICS_CHANNEL_SCHEMAS,
  ...STORAGE_CHANNEL_SCHEMAS,
  ...THRESHOLD_CHANNEL_SCHEMAS,
  ...NETWORK_CHANNEL_SCHEMAS,
  ...USAGE_CHANNEL_SCHEMAS,
  ...TREE_CHANNEL_SCHEMAS,
  ...SNAPSHOT_LIST_CHANNEL_SCHEMAS,
  ...THRESHOLD_CHANNEL_SCHEMAS,
} satisfies { [C in Channel]: z.ZodType<ChannelArgs<C>> };

/** The argument names, for error messages ("servers:update: changes.port …"). */
export const CHANNEL_ARG_NAMES: { [C in Channel]: readonly string[] } = {
  'app:info': [],
  'settings:set': ['changes'],
  'servers:list': [],
  'servers:add': ['server'],
  'servers:update': ['id', 'changes'],
  'servers:remove': ['id'],
  'servers:connect': ['id', 'password'],
  'servers:disconnect': ['id'],
  'servers:reconnectAll': [],
  'servers:export': [],
  'servers:import': ['content'],
  'certs:accept': ['serverId', 'fingerprint256'],
  'certs:forget': ['serverId'],
  'inventory:get': [],
  'actions:run': ['request'],
  'tasks:list': [],
  'tasks:cancel': ['taskId'],
  'tasks:clearFinished': [],
  'console:open': ['nodeId', 'protocol', 'options'],
  'console:shells': ['nodeId'],
  'logs:open': ['nodeId', 'options'],
  'menu:update': ['menu'],
  'schedules:list': [],
  'schedules:create': ['policy'],
  'schedules:update': ['id', 'changes'],
  'schedules:delete': ['id', 'options'],
  'schedules:runNow': ['id'],
  'schedules:history': ['id'],
  'schedules:runner': [],
  'schedules:installRunner': [],
  'schedules:uninstallRunner': [],
  'migration:plan': ['vmIds'],
  'hosts:evacuationPlan': ['hostId'],
  'pools:joinPlan': ['hostId'],
  ...GUEST_CHANNEL_ARG_NAMES,
  ...CONSOLE_CHANNEL_ARG_NAMES,
  ...VIEW_CHANNEL_ARG_NAMES,
  ...NOTIFICATION_CHANNEL_ARG_NAMES,
  ...METRICS_CHANNEL_ARG_NAMES,
  ...ACCESS_CHANNEL_ARG_NAMES,
  ...STORAGE_CHANNEL_ARG_NAMES,
  ...THRESHOLD_CHANNEL_ARG_NAMES,
  ...NETWORK_CHANNEL_ARG_NAMES,
  ...USAGE_CHANNEL_ARG_NAMES,
  ...TREE_CHANNEL_ARG_NAMES,
  ...SNAPSHOT_LIST_CHANNEL_ARG_NAMES,
  ...THRESHOLD_CHANNEL_ARG_NAMES,
};

// ---- event payloads ----

const PropValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);

const CertificateSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  fingerprint256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  pem: z.string(),
  kind: z.enum(['tls', 'ssh-host-key']).optional(),
});

export const ErrorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  serverCode: z.string().optional(),
  serverParams: z.array(z.string()).optional(),
  certificate: CertificateSchema.optional(),
  certificateValidity: z.enum(['expired', 'not-yet-valid']).optional(),
  pinnedFingerprint: z.string().optional(),
  field: z.string().optional(),
  redirectTo: z.string().optional(),
});

const InventoryNodeSchema = z.object({
  id: z.string(),
  serverId: z.string(),
  kind: z.enum(NODE_KINDS),
  name: z.string(),
  parentId: z.string().nullable(),
  nativeRef: z.string(),
  state: z.enum(POWER_STATES).optional(),
  allowed: z.array(z.enum(ACTION_NAMES)),
  props: z.record(z.string(), PropValue),
  controlDomain: z.boolean().optional(),
  currentSnapshotId: z.string().nullable().optional(),
  snapshot: z
    .object({
      ofId: z.string(),
      parentSnapshotId: z.string().nullable(),
      time: z.string().nullable(),
      withMemory: z.boolean(),
      description: z.string(),
      policyId: z.string().optional(),
      policyName: z.string().optional(),
    })
    .optional(),
  maintenance: z.boolean().optional(),
  snapshotsPending: z.literal(true).optional(),
  storage: StorageInfoSchema.optional(),
  network: NetworkInfoSchema.optional(),
});

const CapabilitiesSchema = z.object({
  snapshotKinds: z.array(z.enum(['disk', 'memory', 'quiesce', 'volumes'])),
  consoles: z.array(z.enum(['rfb', 'text'])),
  powerActions: z.array(z.enum(POWER_ACTION_NAMES)),
});

const ServerViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  username: z.string(),
  autoConnect: z.boolean(),
  rememberPassword: z.boolean(),
  hasStoredPassword: z.boolean(),
  options: z.record(z.string(), OptionValue),
  state: z.enum(CONNECTION_STATES),
  error: ErrorInfoSchema.optional(),
  capabilities: CapabilitiesSchema.optional(),
  access: SessionAccessSchema.optional(),
  pinnedFingerprint: z.string().optional(),
  passwordNotice: z.enum(['endpoint-changed']).optional(),
  lastKnownAt: z.number().optional(),
});

const GuestSettingKeySchema = z.enum([
  'name', 'description', 'vcpus', 'memory.size', 'memory.staticMin', 'memory.dynamic', 'memory.reservation', 'memory.limit', 'memory.shares',
  'cpuLimit', 'cd', 'bootOrder', 'autoStart', 'tags', 'restartPolicy',
] as const satisfies readonly GuestSettingKey[]);

const TaskInfoSchema = z.object({
  id: z.string(),
  serverId: z.string(),
  targetId: z.string(),
  targetName: z.string(),
  ownerName: z.string().optional(),
  action: z.string(),
  status: z.enum(['running', 'success', 'failure', 'cancelled']),
  progress: z.number().min(0).max(1),
  startedAt: z.number(),
  finishedAt: z.number().optional(),
  cancellable: z.boolean(),
  parentId: z.string().optional(),
  error: ErrorInfoSchema.optional(),
  resultId: z.string().optional(),
  reclaimedBytes: z.number().nonnegative().optional(),
  nextBoot: z.array(GuestSettingKeySchema).optional(),
});

export const StoreProblemSchema = z.object({ file: z.string(), keptAs: z.string(), message: z.string(), at: z.number() });

const PolicyRunSchema = z.object({
  id: z.string(),
  policyId: z.string(),
  policyName: z.string(),
  trigger: z.enum(['schedule', 'run-now', 'catch-up']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  outcome: RunOutcomeSchema,
  items: z.array(
    z.object({ nodeId: z.string(), name: z.string(), created: z.string().optional(), pruned: z.array(z.string()), error: ErrorInfoSchema.optional() }),
  ),
});

/** Payload schemas, one per event. */
export const EVENT_PAYLOADS = {
  'inventory:delta': z.object({
    serverId: z.string(),
    reset: z.boolean().optional(),
    upsert: z.array(InventoryNodeSchema),
    remove: z.array(z.string()),
  }),
  'server:changed': ServerViewSchema,
  'server:removed': z.object({ id: z.string() }),
  'task:changed': TaskInfoSchema,
  'store:problem': StoreProblemSchema,
  'settings:changed': SettingsSchema,
  'schedule:changed': SnapshotPolicySchema,
  'schedule:removed': z.object({ id: z.string() }),
  'schedule:run': PolicyRunSchema,
  'menu:command': z.object({ command: z.string().min(1).max(128) }),
  ...NOTIFICATION_EVENT_PAYLOADS,
  ...VIEW_EVENT_PAYLOADS,
  ...THRESHOLD_EVENT_PAYLOADS,
  ...USAGE_EVENT_PAYLOADS,
  ...THRESHOLD_EVENT_PAYLOADS,
} satisfies { [E in EventName]: z.ZodType<EventMap[E]> };
