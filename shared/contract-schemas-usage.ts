// Runtime schemas for the live usage channels and event (issue 15).
import { z } from 'zod';
import { USAGE_MISSING, USAGE_WATCH_MAX, type UsageReading } from './usage';

const Id = z.string().min(1).max(512);
const NodeIds = z.array(Id).max(USAGE_WATCH_MAX, `takes at most ${USAGE_WATCH_MAX} nodes`);

export const USAGE_CHANNEL_SCHEMAS = {
  'usage:watch': z.tuple([z.strictObject({ watcher: z.string().min(1).max(128), nodeIds: NodeIds, hidden: z.boolean().optional() })]),
  'usage:read': z.tuple([NodeIds]),
};

export const USAGE_CHANNEL_ARG_NAMES = {
  'usage:watch': ['watch'],
  'usage:read': ['nodeIds'],
} as const;

const UsageReadingSchema = z.object({
  nodeId: z.string(),
  cpu: z.number().min(0).optional(),
  memoryUsed: z.number().min(0).optional(),
  memoryTotal: z.number().min(0).optional(),
  at: z.number(),
  missing: z.enum(USAGE_MISSING).optional(),
}) satisfies z.ZodType<UsageReading>;

export const USAGE_EVENT_PAYLOADS = {
  'usage:changed': z.object({ readings: z.array(UsageReadingSchema) }),
};
