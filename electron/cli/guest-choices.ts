// Names a user types for what a server offers (templates, storages, networks, ISOs,
// hosts) resolved against `guests:createOptions`: an exact id first, then the name;
// a name several choices share is an error that lists them, never a guess.

import type { ServerView } from '../../shared/contract';
import type { ProviderDescriptor } from '../../shared/descriptor';
import { PolyvisorError } from '../../shared/errors';
import type { GuestsFacet } from '../../shared/guests';
import type { PolyvisorCore } from '../core/app-core';
import { findServer } from './resolve';

interface Choice {
  id: string;
  name: string;
}

/** The choice `query` names; `flag` is the option at fault in an error. */
export function pickChoice<T extends Choice>(choices: readonly T[], query: string, flag: string, serverName: string, alsoId?: (choice: T) => string | undefined): T {
  const byId = choices.find((c) => c.id === query || alsoId?.(c) === query);
  if (byId) return byId;
  const byName = choices.filter((c) => c.name === query);
  if (byName.length === 1) return byName[0];
  const folded = byName.length ? byName : choices.filter((c) => c.name.toLowerCase() === query.toLowerCase());
  if (folded.length === 1) return folded[0];
  if (folded.length > 1) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: flag.replace(/^--/, ''), message: `${flag} "${query}" is ambiguous: ${folded.length} choices of ${serverName} have that name. Use an id:\n  ${folded.map(line).join('\n  ')}` });
  }
  const offered = choices.length ? `Offered:\n  ${choices.map(line).join('\n  ')}` : 'It offers none.';
  throw new PolyvisorError({ code: 'INVALID_INPUT', field: flag.replace(/^--/, ''), message: `${flag} "${query}" is not offered by ${serverName}. ${offered}` });
}

const line = (c: Choice) => `${c.name}  (${c.id})`;

export interface GuestServer {
  server: ServerView;
  facet: GuestsFacet;
}

/**
 * The server a command acts on: the one --server names, or the only connected one whose
 * platform can do it (`can`). Several → the user must say which.
 */
export async function guestServer(core: PolyvisorCore, serverQuery: string | undefined, can: (facet: GuestsFacet) => boolean, what: string): Promise<GuestServer> {
  const [servers, info] = await Promise.all([core.invoke('servers:list'), core.invoke('app:info')]);
  const facetOf = (s: ServerView) => info.providers.find((p: ProviderDescriptor) => p.type === s.type)?.facets.guests;
  if (serverQuery) {
    const server = findServer(servers, serverQuery);
    const facet = facetOf(server);
    if (!facet || !can(facet)) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${server.name} (${server.type}) cannot ${what}.` });
    return { server, facet };
  }
  const able = servers.filter((s) => s.state === 'connected' && facetOf(s) && can(facetOf(s)!));
  if (able.length === 1) return { server: able[0], facet: facetOf(able[0])! };
  const message = able.length
    ? `Several connected servers can ${what}: give --server (one of ${able.map((s) => s.name).join(', ')}).`
    : `No connected server can ${what}.`;
  throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'server', message });
}
