// Users and access (issue 16): a server's Users tab, asked of its live provider where the
// platform's facet has it. After a change the server's view is sent again, since the
// logged-in user's own access may have changed with it.

import type { AccessFacet, AccessOverview, DomainJoin } from '../../../shared/access';
import { PolyvisorError } from '../../../shared/errors';
import type { ChannelHandlers } from '../../../shared/contract';
import type { AccessChannels } from '../../../shared/channels/access';
import type { ProviderAccess } from '../providers/provider-access';
import type { ProviderRegistry } from '../providers/registry';
import type { SavedServer } from '../servers/saved-server';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from './connections';

type AccessHandlers = Pick<ChannelHandlers, keyof AccessChannels>;

export class AccessService {
  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionService,
    private readonly changed: (server: SavedServer) => void,
  ) {}

  readonly handlers: AccessHandlers = {
    'access:overview': (id) => this.overview(id),
    'access:joinDomain': (id, join) => this.change(id, 'domainJoin', (a) => a.joinDomain(join)),
    'access:leaveDomain': (id) => this.change(id, 'domainJoin', (a) => a.leaveDomain()),
    'access:addSubject': (id, name, role) => this.change(id, 'subjects', (a) => a.addSubject(name.trim(), role)),
    'access:setRole': (id, subject, role) => this.change(id, 'subjects', (a) => a.setRole(subject, role)),
    'access:removeSubject': (id, subject) => this.change(id, 'subjects', (a) => a.removeSubject(subject)),
    'access:logout': (id, subject) => this.change(id, 'logoutSessions', (a) => a.logout(subject)),
  };

  async overview(serverId: string): Promise<AccessOverview> {
    const server = this.servers.require(serverId);
    const overview = { serverId, ...(await this.accessOf(server, 'subjects').overview()) };
    this.changed(server);
    return overview;
  }

  private async change(serverId: string, part: keyof AccessFacet, work: (access: ProviderAccess) => Promise<void>): Promise<AccessOverview> {
    await work(this.accessOf(this.servers.require(serverId), part));
    return this.overview(serverId);
  }

  private accessOf(server: SavedServer, part: keyof AccessFacet): ProviderAccess {
    const facet = this.registry.get(server.type)?.descriptor.facets.access;
    if (!facet?.[part]) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${server.name} has no ${PART_WORDS[part] ?? 'users and access'} that Polyvisor can manage.` });
    const provider = this.connections.liveProvider(server.id);
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${server.name} is not connected.` });
    if (!provider.access) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${server.name} has no users and access that Polyvisor can manage.` });
    return provider.access;
  }
}

const PART_WORDS: Partial<Record<keyof AccessFacet, string>> = {
  domainJoin: 'directory to join',
  subjects: 'users and groups with roles',
  logoutSessions: 'way to end a user’s sessions',
};
