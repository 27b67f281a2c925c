// Live usage columns (issue 15): the renderer says what is on screen, the core samples
// those nodes every few seconds and sends `usage:changed`; `usage:read` asks once (CLI).
import type { UsageReading, UsageWatch } from '../usage';

export interface UsageChannels {
  /** the node ids one window shows now (replaces its earlier list; an empty list stops it) */
  'usage:watch': { args: [watch: UsageWatch]; result: void };
  /** the current usage of these nodes, read now */
  'usage:read': { args: [nodeIds: string[]]; result: UsageReading[] };
}

export const USAGE_CHANNELS: Record<keyof UsageChannels, true> = {
  'usage:watch': true,
  'usage:read': true,
};
