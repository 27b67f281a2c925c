// What the Users tab asks the core: the server's users and access, and each change (its answer is the new overview).
import type { AccessOverview, DomainJoin } from '../../../shared/access';
import { getClient } from '../client';
import { ask, type Answer } from '../migration/migration-requests';

const invoke = () => getClient().client;

export const accessRequests = {
  overview: (serverId: string): Promise<Answer<AccessOverview>> => ask(() => invoke().invoke('access:overview', serverId)),
  joinDomain: (serverId: string, join: DomainJoin) => ask(() => invoke().invoke('access:joinDomain', serverId, join)),
  leaveDomain: (serverId: string) => ask(() => invoke().invoke('access:leaveDomain', serverId)),
  addSubject: (serverId: string, name: string, role: string) => ask(() => invoke().invoke('access:addSubject', serverId, name, role)),
  setRole: (serverId: string, subjectId: string, role: string) => ask(() => invoke().invoke('access:setRole', serverId, subjectId, role)),
  removeSubject: (serverId: string, subjectId: string) => ask(() => invoke().invoke('access:removeSubject', serverId, subjectId)),
  logout: (serverId: string, subjectId: string) => ask(() => invoke().invoke('access:logout', serverId, subjectId)),
};
