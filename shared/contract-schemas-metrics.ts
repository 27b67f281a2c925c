// Runtime schemas for the performance channel (issue 15): which node, which timeframe.

import { z } from 'zod';
import { METRIC_TIMEFRAMES } from './metrics';

const Id = z.string().min(1).max(512);

export const METRICS_CHANNEL_SCHEMAS = {
  'metrics:query': z.tuple([Id, z.enum(METRIC_TIMEFRAMES)]),
};

export const METRICS_CHANNEL_ARG_NAMES = {
  'metrics:query': ['nodeId', 'timeframe'],
} as const;
