// Runtime schemas for storage (issue 16): the storage info a node carries in
// inventory events, and the storage tab's channels (its disks, rescan).

import { z } from 'zod';
import { DISK_CHANNEL_ARG_NAMES, DISK_CHANNEL_SCHEMAS } from './contract-schemas-disks';

const Id = z.string().min(1).max(512);
const Bytes = z.number().finite().nonnegative().nullable();

export const StorageInfoSchema = z.object({
  type: z.string(),
  shared: z.boolean(),
  size: Bytes,
  used: Bytes,
  free: Bytes,
  hostIds: z.array(z.string()),
  content: z.array(z.string()).optional(),
  removable: z.boolean().optional(),
});

export const STORAGE_CHANNEL_SCHEMAS = {
  'storage:contents': z.tuple([Id]),
  'storage:rescan': z.tuple([Id]),
  'storage:moveDisk': z.tuple([Id, Id, Id]),
  ...DISK_CHANNEL_SCHEMAS,
};

export const STORAGE_CHANNEL_ARG_NAMES = {
  'storage:contents': ['nodeId'],
  'storage:rescan': ['nodeId'],
  'storage:moveDisk': ['guestId', 'diskId', 'storageId'],
  ...DISK_CHANNEL_ARG_NAMES,
} as const;
