// Runtime schemas for reading a guest's snapshot list when it is needed (issue 17).
import { z } from 'zod';

const Id = z.string().min(1).max(512);

export const SNAPSHOT_LIST_CHANNEL_SCHEMAS = {
  'snapshots:readList': z.tuple([Id]),
};

export const SNAPSHOT_LIST_CHANNEL_ARG_NAMES = {
  'snapshots:readList': ['nodeId'],
};
