// `polyvisor users …`, `domain join|leave` and `whoami`: the same channels as the Users tab
// (access:overview and each change). A change needs one server: --server, or the only
// connected one whose platform has users and access.

import type { AccessOverview, AccessSubject } from '../../shared/access';
import type { ServerView } from '../../shared/contract';
import { PolyvisorError } from '../../shared/errors';
import type { PolyvisorCore } from '../core/app-core';
import type { AccessCommand } from './access-args';
import { connectServers } from './connect';
import { table } from './format';
import { readPassword } from './password';
import type { CliOutput } from './schedule-commands';
import { formatError, type CliSession } from './session';

export async function executeAccess(command: AccessCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const servers = await connectedWithAccess(command, core, session, io);
  if (command.name === 'whoami') return whoami(command.json, servers, io);
  if (command.name === 'users list') return listUsers(command.json, await Promise.all(servers.map((s) => core.invoke('access:overview', s.id))), servers, io);
  const server = onlyOne(servers, command.server);
  if (command.name === 'domain join') {
    const password = await readPassword(command.domainPassword);
    if (!password) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'password', message: 'domain join: no password was given' });
    const after = await core.invoke('access:joinDomain', server.id, { domain: command.domain, user: command.user, password });
    io.err(`${server.name} joined ${after.directory?.domain ?? command.domain}.`);
    return;
  }
  if (command.name === 'domain leave') {
    await core.invoke('access:leaveDomain', server.id);
    io.err(`${server.name} left its domain: only the local root account can log in now.`);
    return;
  }
  if (command.name === 'users add') {
    const after = await core.invoke('access:addSubject', server.id, command.subject, command.role);
    const added = after.subjects.find((s) => s.name.toLowerCase() === command.subject.toLowerCase());
    io.err(`${added?.name ?? command.subject} may log in to ${server.name} as ${command.role}.`);
    return;
  }
  const subject = findSubject((await core.invoke('access:overview', server.id)).subjects, command.subject, server);
  if (command.name === 'users role') await core.invoke('access:setRole', server.id, subject.id, command.role);
  else if (command.name === 'users remove') await core.invoke('access:removeSubject', server.id, subject.id);
  else await core.invoke('access:logout', server.id, subject.id);
  io.err(command.name === 'users role' ? `${subject.name} is ${command.role} now.` : command.name === 'users remove' ? `${subject.name} may no longer log in.` : `${subject.name}'s sessions ended.`);
}

/** The connected servers (all, or --server) whose platform has users and access. */
async function connectedWithAccess(command: AccessCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<ServerView[]> {
  const { connected, failures } = await connectServers(command, session);
  for (const f of failures) io.err(`Warning: ${f.server.name}: ${formatError(f.error)}`);
  if (connected.length === 0 && failures.length > 0) throw new PolyvisorError(failures[0]!.error);
  const types = new Set((await core.invoke('app:info')).providers.filter((p) => p.facets.access?.subjects).map((p) => p.type));
  const fresh = await session.servers();
  const ids = new Set(connected.map((s) => s.id));
  const servers = fresh.filter((s) => ids.has(s.id) && types.has(s.type));
  if (servers.length === 0) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `None of the connected servers has users and access Polyvisor can manage (it has them on ${[...types].join(', ') || 'no platform'}).` });
  return servers;
}

function onlyOne(servers: ServerView[], asked: string | undefined): ServerView {
  if (servers.length === 1) return servers[0]!;
  throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'server', message: `${asked ? '' : 'Say which server with --server: '}${servers.map((s) => s.name).join(', ')}` });
}

function findSubject(subjects: AccessSubject[], query: string, server: ServerView): AccessSubject {
  const q = query.toLowerCase();
  const found = subjects.filter((s) => s.id === query || s.identifier === query || s.name.toLowerCase() === q);
  if (found.length === 1) return found[0]!;
  throw new PolyvisorError({ code: 'NOT_FOUND', field: 'subject', message: `${server.name} has no user or group "${query}"; it has: ${subjects.map((s) => s.name).join(', ') || 'none'}` });
}

function listUsers(json: boolean, overviews: AccessOverview[], servers: ServerView[], io: CliOutput): void {
  const nameOf = (id: string) => servers.find((s) => s.id === id)?.name ?? id;
  if (json) return io.out(JSON.stringify(overviews.map((o) => ({ server: nameOf(o.serverId), directory: o.directory, subjects: o.subjects })), null, 2));
  for (const o of overviews) {
    io.out(`${nameOf(o.serverId)}: ${o.directory ? `joined to ${o.directory.domain} (${o.directory.type})` : 'not joined to a domain'}`);
    io.out(table(['NAME', 'TYPE', 'ROLE', 'LOGGED IN'], o.subjects.map((s) => [s.name, s.kind, s.roles.join(', '), s.loggedIn ? 'yes' : ''])));
  }
}

function whoami(json: boolean, servers: ServerView[], io: CliOutput): void {
  const rows = servers.map((s) => ({ server: s.name, ...(s.access ?? { user: s.username, superuser: false, roles: [], permissions: [], denied: {} }) }));
  if (json) return io.out(JSON.stringify(rows, null, 2));
  for (const r of rows) {
    io.out(`${r.server}: ${r.user}${r.superuser ? ' (local administrator: may do anything)' : ` — role ${r.roles.join(', ') || 'none'}`}`);
    const denied = Object.entries(r.denied);
    if (denied.length) io.out(`  may not: ${denied.map(([op, permission]) => `${op} (${permission})`).join(', ')}`);
  }
}
