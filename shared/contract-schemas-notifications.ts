// Runtime schemas for the Notifications view's channels and events (issue 15):
// alerts, dismissing them, and the servers' own tasks and events.

import { z } from 'zod';
import type { Alert, NotificationDelta, ServerTask } from './notifications';
import { ALERT_SEVERITIES } from './notifications';
import { THRESHOLD_COMPARISONS, THRESHOLD_METRICS } from './thresholds';

const Id = z.string().min(1).max(512);
const EpochMs = z.number().int().min(0).max(8.64e15);

const QuerySchema = z.strictObject({ serverId: Id.optional(), since: EpochMs.optional() });

export const NOTIFICATION_CHANNEL_SCHEMAS = {
  'alerts:list': z.tuple([QuerySchema.optional()]),
  'alerts:dismiss': z.tuple([z.array(Id).min(1, 'needs at least one alert').max(10_000, 'takes at most 10000 alerts')]),
  'serverTasks:list': z.tuple([QuerySchema.optional()]),
};

export const NOTIFICATION_CHANNEL_ARG_NAMES = {
  'alerts:list': ['query'],
  'alerts:dismiss': ['ids'],
  'serverTasks:list': ['query'],
} as const;

const AlertSchema = z.object({
  id: z.string(),
  serverId: z.string(),
  nativeRef: z.string(),
  nodeId: z.string().optional(),
  objectName: z.string().optional(),
  severity: z.enum(ALERT_SEVERITIES),
  name: z.string(),
  title: z.string(),
  body: z.string(),
  time: z.number(),
  dismissable: z.boolean(),
  threshold: z
    .object({
      ruleId: z.string(),
      ruleName: z.string(),
      metric: z.enum(THRESHOLD_METRICS),
      comparison: z.enum(THRESHOLD_COMPARISONS),
      limit: z.number(),
      durationSeconds: z.number(),
      observed: z.number(),
      since: z.number(),
    })
    .optional(),
}) satisfies z.ZodType<Alert>;

const ServerTaskSchema = z.object({
  id: z.string(),
  serverId: z.string(),
  nativeRef: z.string(),
  kind: z.enum(['task', 'event']),
  what: z.string(),
  user: z.string().optional(),
  nodeId: z.string().optional(),
  objectName: z.string().optional(),
  progress: z.number().min(0).max(1).optional(),
  status: z.enum(['running', 'success', 'failure', 'cancelled', 'ended']),
  startedAt: z.number(),
  finishedAt: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
}) satisfies z.ZodType<ServerTask>;

function deltaOf<T>(item: z.ZodType<T>): z.ZodType<NotificationDelta<T>> {
  return z.object({ serverId: z.string(), reset: z.boolean().optional(), upsert: z.array(item), remove: z.array(z.string()) });
}

export const NOTIFICATION_EVENT_PAYLOADS = {
  'alerts:changed': deltaOf(AlertSchema),
  'serverTasks:changed': deltaOf(ServerTaskSchema),
};
