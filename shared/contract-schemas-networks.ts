// Runtime schemas for networks (issue 16): the network info a node carries in
// inventory events, and the networking channels (a network's tab, a guest's NICs).

import { z } from 'zod';
import { NETWORK_TYPES, type NetworkType } from './networks';

const VlanTag = z.number().int().min(0).max(4094).nullable();

export const NetworkInfoSchema = z.object({
  type: z.enum(NETWORK_TYPES as [NetworkType, ...NetworkType[]]),
  driver: z.string().optional(),
  vlan: VlanTag,
  mtu: z.number().int().positive().nullable(),
  bridge: z.string().nullable(),
  hostIds: z.array(z.string()),
  subnets: z.array(z.string()).optional(),
});
