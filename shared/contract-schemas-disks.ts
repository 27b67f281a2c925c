// Runtime schemas for a guest's disks (issue 16): add, attach, resize, detach.

import { z } from 'zod';

const Id = z.string().min(1).max(512);
/** up to 64 TiB, the largest disk any of the platforms takes */
const Size = z.number().int().positive().max(64 * 1024 ** 4);

export const NewDiskSchema = z.strictObject({
  storageId: Id,
  sizeBytes: Size,
  name: z.string().trim().min(1).max(255).optional(),
});

export const DISK_CHANNEL_SCHEMAS = {
  'disks:attachable': z.tuple([Id]),
  'disks:add': z.tuple([Id, NewDiskSchema]),
  'disks:attach': z.tuple([Id, Id]),
  'disks:resize': z.tuple([Id, Id, Size]),
  'disks:detach': z.tuple([Id, Id, z.strictObject({ deleteDisk: z.boolean() })]),
};

export const DISK_CHANNEL_ARG_NAMES = {
  'disks:attachable': ['guestId'],
  'disks:add': ['guestId', 'disk'],
  'disks:attach': ['guestId', 'diskId'],
  'disks:resize': ['guestId', 'diskId', 'sizeBytes'],
  'disks:detach': ['guestId', 'diskId', 'options'],
} as const;
