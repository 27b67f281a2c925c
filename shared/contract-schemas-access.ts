// Runtime schemas for users and access (issue 16): the Users tab's channels and the
// session's access a server view carries.

import { z } from 'zod';

const Id = z.string().min(1).max(512);
const Name = z.string().trim().min(1, 'is required').max(256);
const Role = z.string().trim().min(1, 'is required').max(128);

export const SessionAccessSchema = z.object({
  user: z.string(),
  superuser: z.boolean(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  denied: z.record(z.string(), z.string()),
  deniedOn: z.record(z.string(), z.record(z.string(), z.string())).optional(),
});

export const ACCESS_CHANNEL_SCHEMAS = {
  'access:overview': z.tuple([Id]),
  'access:joinDomain': z.tuple([Id, z.strictObject({ domain: Name, user: Name, password: z.string().min(1, 'is required').max(1024) })]),
  'access:leaveDomain': z.tuple([Id]),
  'access:addSubject': z.tuple([Id, Name, Role]),
  'access:setRole': z.tuple([Id, Id, Role]),
  'access:removeSubject': z.tuple([Id, Id]),
  'access:logout': z.tuple([Id, Id]),
};

export const ACCESS_CHANNEL_ARG_NAMES = {
  'access:overview': ['serverId'],
  'access:joinDomain': ['serverId', 'join'],
  'access:leaveDomain': ['serverId'],
  'access:addSubject': ['serverId', 'name', 'role'],
  'access:setRole': ['serverId', 'subjectId', 'role'],
  'access:removeSubject': ['serverId', 'subjectId'],
  'access:logout': ['serverId', 'subjectId'],
} as const;
