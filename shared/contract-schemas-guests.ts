// Runtime schemas for the guest channels (issue 14): the New VM wizard's spec,
// the Properties dialog's changes, and the Docker image/volume channels.
// Sizes are whole bytes; names and references are bounded.

import { z } from 'zod';
import type { GuestChanges, GuestCreateSpec } from './guests';

const Id = z.string().min(1).max(512);
const Bytes = z.number().int('must be whole bytes').min(0).max(2 ** 53 - 1);
const OpaqueId = z.string().min(1).max(1024);
const RESTART_POLICIES = ['no', 'always', 'unless-stopped', 'on-failure'] as const;

const MemorySchema = z.strictObject({
  sizeBytes: Bytes.optional(),
  staticMinBytes: Bytes.optional(),
  dynamicMinBytes: Bytes.optional(),
  dynamicMaxBytes: Bytes.optional(),
  reservationBytes: Bytes.optional(),
  limitBytes: Bytes.optional(),
  shares: z.number().int().min(0).max(1_000_000).optional(),
});

const GuestName = z.string().trim().min(1, 'must not be empty').max(255);
const Tags = z.array(z.string().min(1).max(128)).max(64);
const BootOrder = z.array(z.enum(['cd', 'disk', 'network'])).max(3);

export const GuestCreateSpecSchema = z.strictObject({
  templateId: OpaqueId,
  name: GuestName,
  description: z.string().max(4096).optional(),
  vcpus: z.number().int().min(1).max(1024).optional(),
  memory: MemorySchema.optional(),
  disks: z.array(z.strictObject({ sizeBytes: Bytes, storageId: OpaqueId.optional(), name: z.string().max(255).optional() })).max(32).optional(),
  networks: z.array(z.strictObject({ networkId: OpaqueId })).max(16).optional(),
  isoId: OpaqueId.optional(),
  cloudInit: z
    .strictObject({
      user: z.string().max(64).optional(),
      password: z.string().max(1024).optional(),
      sshKeys: z.string().max(16384).optional(),
      hostname: z.string().max(253).optional(),
      ipConfig: z.string().max(256).optional(),
      domain: z.string().max(253).optional(),
      timeZone: z.string().max(64).optional(),
      dnsServers: z.array(z.string().max(64)).max(8).optional(),
    })
    .optional(),
  hostId: Id.optional(),
  start: z.boolean().optional(),
  container: z
    .strictObject({
      command: z.array(z.string().max(4096)).max(256).optional(),
      env: z.array(z.string().regex(/^[^=\s]+=/, 'must read NAME=value').max(32768)).max(1024).optional(),
      ports: z
        .array(
          z.strictObject({
            containerPort: z.number().int().min(1).max(65535),
            hostPort: z.number().int().min(1).max(65535).optional(),
            protocol: z.enum(['tcp', 'udp']).optional(),
          }),
        )
        .max(256)
        .optional(),
      volumes: z
        .array(z.strictObject({ source: z.string().min(1).max(4096), target: z.string().regex(/^\//, 'must be an absolute path').max(4096), readOnly: z.boolean().optional() }))
        .max(256)
        .optional(),
      restartPolicy: z.enum(RESTART_POLICIES).optional(),
      cpuLimit: z.number().positive().max(1024).optional(),
    })
    .optional(),
}) satisfies z.ZodType<GuestCreateSpec>;

export const GuestChangesSchema = z.strictObject({
  name: GuestName.optional(),
  description: z.string().max(4096).optional(),
  vcpus: z.number().int().min(1).max(1024).optional(),
  memory: MemorySchema.optional(),
  isoId: OpaqueId.nullable().optional(),
  bootOrder: BootOrder.optional(),
  autoStart: z.boolean().optional(),
  tags: Tags.optional(),
  cpuLimit: z.number().min(0).max(1024).optional(),
  restartPolicy: z.enum(RESTART_POLICIES).optional(),
  revision: z.string().max(256).optional(),
}) satisfies z.ZodType<GuestChanges>;

/** A Docker image reference: [registry/]name[:tag][@digest], as the engine reads it. */
export const ImageReference = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'is not an image reference (name[:tag])');

const NodeIds = (what: string) =>
  z
    .array(Id)
    .min(1, `needs at least one ${what}`)
    .max(1000, `takes at most 1000 ${what}s`);

export const GUEST_CHANNEL_SCHEMAS = {
  'guests:createOptions': z.tuple([Id]),
  'guests:create': z.tuple([Id, GuestCreateSpecSchema]),
  'guests:properties': z.tuple([Id]),
  'guests:configure': z.tuple([NodeIds('guest'), GuestChangesSchema]),
  'guests:deletePlan': z.tuple([NodeIds('guest')]),
  'images:pull': z.tuple([Id, ImageReference]),
  'images:prune': z.tuple([Id]),
  'volumes:prune': z.tuple([Id]),
};

export const GUEST_CHANNEL_ARG_NAMES = {
  'guests:createOptions': ['serverId'],
  'guests:create': ['serverId', 'spec'],
  'guests:properties': ['nodeId'],
  'guests:configure': ['nodeIds', 'changes'],
  'guests:deletePlan': ['nodeIds'],
  'images:pull': ['serverId', 'reference'],
  'images:prune': ['serverId'],
  'volumes:prune': ['serverId'],
} as const;
