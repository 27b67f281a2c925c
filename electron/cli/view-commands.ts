// `polyvisor tag|folder|search`: the same channels as the app (labels:*, the inventory)
// and the same search language and labels as the tree (shared/search).

import { PolyvisorError } from '../../shared/errors';
import type { LabelOutcome, OwnLabels } from '../../shared/labels';
import type { InventoryNode, NodeKind } from '../../shared/model';
import { compileQuery, nodeLabels, parseQuery, subjectOf } from '../../shared/search';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import { table } from './format';
import { findNode, findServer } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';
import type { ViewCommand } from './view-args';

/** What carries tags and folders: the objects of the views (not snapshots, images or the servers' own rows). */
const LABELLED: readonly NodeKind[] = ['pool', 'cluster', 'host', 'vm', 'container', 'template', 'storage', 'volume', 'network', 'project'];

function report(outcome: LabelOutcome, done: string, io: CliOutput): void {
  for (const f of outcome.failed) io.err(`polyvisor: ${f.name}: ${f.error.message}`);
  if (outcome.changed.length) io.err(done);
  if (outcome.failed.length) throw new PolyvisorError({ ...outcome.failed[0]!.error, message: `${outcome.failed.length} of ${outcome.failed.length + outcome.changed.length} not changed` });
}

function emptyFoldersOf(nodes: InventoryNode[], own: OwnLabels): string[] {
  const pools = nodes.flatMap((n) => (n.kind === 'pool' && Array.isArray(n.props.emptyFolders) ? n.props.emptyFolders.filter((p): p is string => typeof p === 'string') : []));
  return [...pools, ...(own.emptyFolders ?? [])];
}

function grouped(nodes: InventoryNode[], own: OwnLabels, keys: (n: InventoryNode) => string[]): Map<string, InventoryNode[]> {
  const out = new Map<string, InventoryNode[]>();
  for (const node of nodes) for (const key of keys(node)) out.set(key, [...(out.get(key) ?? []), node]);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

export async function executeViews(command: ViewCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = (await inventoryFor(command, session)).filter((n) => !n.controlDomain);
  const own = await core.invoke('labels:own');
  const labelled = nodes.filter((n) => LABELLED.includes(n.kind));
  const objects = (names: string[]) => names.map((name) => findNode(labelled, name, LABELLED, 'object'));
  switch (command.name) {
    case 'tag list':
    case 'folder list': {
      let groups = command.name === 'tag list' ? grouped(labelled, own, (n) => nodeLabels(n, own).tags) : grouped(labelled, own, (n) => [nodeLabels(n, own).folder ?? ''].filter(Boolean));
      // folders with nothing in them: each pool's (XenServer's EMPTY_FOLDERS) and Polyvisor's own
      if (command.name === 'folder list') {
        for (const path of emptyFoldersOf(nodes, own)) if (!groups.has(path)) groups.set(path, []);
        groups = new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
      }
      if (command.json) return io.out(JSON.stringify(Object.fromEntries([...groups].map(([k, list]) => [k, list.map((n) => ({ id: n.id, name: n.name, kind: n.kind }))])), null, 2));
      io.out(table([command.name === 'tag list' ? 'TAG' : 'FOLDER', 'OBJECTS'], [...groups].map(([k, list]) => [k, list.map((n) => n.name).join(', ') || '(empty)'])) || 'None yet.');
      return;
    }
    case 'tag add':
    case 'tag remove': {
      const targets = objects(command.objects);
      const change = command.name === 'tag add' ? { add: [command.tag], remove: [] } : { add: [], remove: [command.tag] };
      return report(await core.invoke('labels:tags', targets.map((n) => n.id), change), `${command.name === 'tag add' ? 'Tagged' : 'Untagged'} ${command.tag}: ${targets.map((n) => n.name).join(', ')}`, io);
    }
    case 'folder move': {
      const targets = objects(command.objects);
      return report(await core.invoke('labels:folder', targets.map((n) => n.id), command.to), `${targets.map((n) => n.name).join(', ')} ${command.to ? `in ${command.to}` : 'in no folder'}.`, io);
    }
    case 'folder rename':
      return report(await core.invoke('labels:renameFolder', command.from, command.to), `${command.from} is ${command.to} now.`, io);
    case 'folder delete':
      return report(await core.invoke('labels:renameFolder', command.path, null), `${command.path} deleted.`, io);
    case 'folder create': {
      const servers = await session.servers();
      const on = command.on === null ? null : findServer(servers, command.on);
      const path = await core.invoke('labels:createFolder', command.path, on?.id ?? null);
      io.err(`${path} made ${on ? `on ${on.name}` : 'in the profile'}.`);
      return;
    }
    case 'search': {
      const parsed = parseQuery(command.query);
      if (!parsed.ok) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'query', message: `${parsed.error.message}:\n  ${command.query}\n  ${' '.repeat(parsed.error.position)}^` });
      const test = compileQuery(parsed.query);
      const servers = new Map((await session.servers()).map((s) => [s.id, s.name]));
      const byId = new Map(nodes.map((n) => [n.id, n]));
      const found = labelled.filter((n) => test(subjectOf(n, byId, servers.get(n.serverId), own)));
      if (command.json) return io.out(JSON.stringify(found, null, 2));
      io.out(table(['NAME', 'TYPE', 'STATE', 'SERVER', 'TAGS'], found.map((n) => [n.name, n.kind, n.state ?? '', servers.get(n.serverId) ?? n.serverId, nodeLabels(n, own).tags.join(',')])) );
      io.err(`${found.length} found.`);
      return;
    }
  }
}
