// Runtime schemas for networks (issue 16): the network info a node carries in
// inventory events, and the networking channels (a network's tab, a guest's NICs).

import { z } from 'zod';
import { ALL_BOND_MODES, BOND_HASH_POLICIES, NETWORK_KINDS, NETWORK_TYPES, SDN_ZONE_TYPES, type BondMode, type NetworkKind, type NetworkType } from './networks';

const VlanTag = z.number().int().min(0).max(4094).nullable();

export const NetworkInfoSchema = z.object({
  type: z.enum(NETWORK_TYPES as [NetworkType, ...NetworkType[]]),
  driver: z.string().optional(),
  vlan: VlanTag,
  mtu: z.number().int().positive().nullable(),
  bridge: z.string().nullable(),
  hostIds: z.array(z.string()),
  subnets: z.array(z.string()).optional(),
  forGuests: z.boolean().optional(),
});

const Id = z.string().min(1).max(512);
const Name = z.string().trim().min(1).max(255);

export const NetworkDraftSchema = z.strictObject({
  kind: z.enum(NETWORK_KINDS as [NetworkKind, ...NetworkKind[]]),
  name: Name,
  description: z.string().max(1024).optional(),
  vlan: z.number().int().min(0).max(4094).optional(),
  device: z.string().min(1).max(64).optional(),
  parent: z.string().min(1).max(512).optional(),
  driver: z.string().min(1).max(64).optional(),
  subnet: z.string().min(1).max(64).optional(),
  mtu: z.number().int().min(68).max(65535).optional(),
  members: z.array(z.string().min(1).max(64)).min(1).max(8).optional(),
  mode: z.enum(ALL_BOND_MODES as [BondMode, ...BondMode[]]).optional(),
  host: z.string().min(1).max(255).optional(),
  ports: z.array(z.string().min(1).max(64)).max(16).optional(),
  primary: z.string().min(1).max(64).optional(),
  hashPolicy: z.enum(BOND_HASH_POLICIES).optional(),
  vlanAware: z.boolean().optional(),
  cidr: z.string().min(1).max(64).optional(),
  gateway: z.string().min(1).max(64).optional(),
  zoneType: z.enum(SDN_ZONE_TYPES).optional(),
  bridge: z.string().min(1).max(64).optional(),
  peers: z.array(z.string().min(1).max(64)).max(64).optional(),
});

const SubnetDraftSchema = z.strictObject({
  cidr: z.string().min(1).max(64),
  gateway: z.string().min(1).max(64).optional(),
  snat: z.boolean().optional(),
});

export const NETWORK_CHANNEL_SCHEMAS = {
  'networks:details': z.tuple([Id]),
  'networks:createOptions': z.tuple([Id]),
  'networks:create': z.tuple([Id, NetworkDraftSchema]),
  'networks:delete': z.tuple([Id]),
  'networks:addSubnet': z.tuple([Id, SubnetDraftSchema]),
  'networks:removeSubnet': z.tuple([Id, z.string().min(1).max(128)]),
  'nics:list': z.tuple([Id]),
  'nics:add': z.tuple([Id, Id]),
  'nics:remove': z.tuple([Id, Id]),
  'nics:setNetwork': z.tuple([Id, Id, Id]),
};

export const NETWORK_CHANNEL_ARG_NAMES = {
  'networks:details': ['nodeId'],
  'networks:createOptions': ['serverId'],
  'networks:create': ['serverId', 'draft'],
  'networks:delete': ['nodeId'],
  'networks:addSubnet': ['nodeId', 'subnet'],
  'networks:removeSubnet': ['nodeId', 'subnetId'],
  'nics:list': ['guestId'],
  'nics:add': ['guestId', 'networkId'],
  'nics:remove': ['guestId', 'nicId'],
  'nics:setNetwork': ['guestId', 'nicId', 'networkId'],
} as const;
