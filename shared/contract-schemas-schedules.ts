// Runtime schemas of snapshot schedules: a policy as the user drafts it (strict,
// bounded) and as the core reports it.

import { z } from 'zod';
import { WEEKDAYS } from './schedules';

const Id = z.string().min(1).max(512);

const FrequencySchema = z.discriminatedUnion('every', [
  z.strictObject({ every: z.literal('hourly'), minute: z.number().int().min(0).max(59) }),
  z.strictObject({ every: z.literal('daily'), hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59) }),
  z.strictObject({
    every: z.literal('weekly'),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'needs at least one day')
      .max(7)
      .refine((d) => new Set(d).size === d.length, 'lists a day twice'),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59),
  }),
]);

const RunnerSchema = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('server'), serverId: Id }), z.strictObject({ kind: z.literal('polyvisor') })]);

const TimeZone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false; // Intl refuses names it does not know: that is the answer
  }
}, 'is not a time zone name (IANA, e.g. Asia/Shanghai)');

export const PolicyDraftSchema = z.strictObject({
  runner: RunnerSchema,
  name: z.string().trim().min(1).max(256),
  description: z.string().max(1024).optional(),
  type: z.enum(['disk', 'memory', 'quiesce']),
  frequency: FrequencySchema,
  timeZone: TimeZone.optional(),
  retain: z.number().int().min(1).max(1000),
  enabled: z.boolean().optional(),
  members: z
    .array(Id)
    .max(10_000)
    .refine((ids) => new Set(ids).size === ids.length, 'lists the same item twice'),
});

export const RunOutcomeSchema = z.enum(['running', 'success', 'partial', 'failure']);

export const SnapshotPolicySchema = z.object({
  id: z.string(),
  runner: RunnerSchema,
  name: z.string(),
  description: z.string(),
  type: z.enum(['disk', 'memory', 'quiesce']),
  frequency: FrequencySchema,
  timeZone: z.string(),
  retain: z.number().int(),
  enabled: z.boolean(),
  members: z.array(z.string()),
  lastRun: z.object({ at: z.string(), outcome: RunOutcomeSchema, message: z.string().optional() }).optional(),
  nextRun: z.string().optional(),
  note: z.string().optional(),
});
