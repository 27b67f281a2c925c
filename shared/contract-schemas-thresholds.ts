// Runtime schemas of threshold rules (issue 15): a rule as the user drafts it (strict,
// bounded) and as the core reports it; the event that carries the whole list.

import { z } from 'zod';
import {
  THRESHOLD_COMPARISONS,
  THRESHOLD_METRICS,
  THRESHOLD_SEVERITIES,
  THRESHOLD_TARGET_KINDS,
  type ThresholdDraft,
  type ThresholdRule,
  type ThresholdScope,
} from './thresholds';

const Id = z.string().min(1).max(512);

export const ThresholdScopeSchema: z.ZodType<ThresholdScope> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('server'), serverId: Id }),
  z.strictObject({ kind: z.literal('subtree'), nodeId: Id }),
  z.strictObject({ kind: z.literal('tag'), tag: z.string().trim().min(1).max(256) }),
  z.strictObject({ kind: z.literal('node'), nodeId: Id }),
]);

const draftFields = {
  name: z.string().trim().min(1).max(256),
  metric: z.enum(THRESHOLD_METRICS),
  comparison: z.enum(THRESHOLD_COMPARISONS),
  value: z.number().finite().min(0, 'is a percentage (0 to 100)').max(100, 'is a percentage (0 to 100)'),
  durationSeconds: z.number().int().min(0).max(7 * 86_400, 'is at most a week'),
  scope: ThresholdScopeSchema,
  kinds: z
    .array(z.enum(THRESHOLD_TARGET_KINDS))
    .max(THRESHOLD_TARGET_KINDS.length)
    .refine((k) => new Set(k).size === k.length, 'lists a kind twice')
    .optional(),
  severity: z.enum(THRESHOLD_SEVERITIES),
  enabled: z.boolean().optional(),
};

export const ThresholdDraftSchema = z.strictObject(draftFields) satisfies z.ZodType<ThresholdDraft>;

export const ThresholdRuleSchema = z.object({
  ...draftFields,
  kinds: z.array(z.enum(THRESHOLD_TARGET_KINDS)),
  enabled: z.boolean(),
  id: z.string().startsWith('threshold:'),
  createdAt: z.iso.datetime(),
}) satisfies z.ZodType<ThresholdRule>;

export const THRESHOLD_CHANNEL_SCHEMAS = {
  'thresholds:list': z.tuple([]),
  'thresholds:create': z.tuple([ThresholdDraftSchema]),
  'thresholds:update': z.tuple([Id, ThresholdDraftSchema.partial()]),
  'thresholds:delete': z.tuple([Id]),
};

export const THRESHOLD_CHANNEL_ARG_NAMES = {
  'thresholds:list': [],
  'thresholds:create': ['rule'],
  'thresholds:update': ['id', 'changes'],
  'thresholds:delete': ['id'],
} as const;

export const THRESHOLD_EVENT_PAYLOADS = {
  'thresholds:changed': z.object({ rules: z.array(ThresholdRuleSchema) }),
};
