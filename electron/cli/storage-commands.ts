// `polyvisor storage list|show|rescan`: the same channels as the app (the inventory's
// storage nodes, storage:contents, storage:rescan followed as a task).

import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import { formatSize } from '../../shared/sizes';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import { table } from './format';
import { findNode, GUEST_KINDS } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';
import type { StorageCommand } from './storage-args';
import { executeDisk } from './disk-commands';

const STORAGE_KINDS = ['storage', 'volume'] as const;
const size = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '-' : formatSize(bytes));

/** Where the tree puts a node: its ancestors' names, its server first. */
function placeOf(node: InventoryNode, byId: Map<string, InventoryNode>, serverName: (id: string) => string): string {
  const chain: InventoryNode[] = [];
  for (let p = node.parentId ? byId.get(node.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) chain.unshift(p);
  const names = chain.map((p) => p.name);
  return (chain[0]?.kind === 'server' ? names : [serverName(node.serverId), ...names]).join('/');
}

export async function executeStorage(command: StorageCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  if (command.name === 'storage list') {
    const servers = new Map((await session.servers()).map((s) => [s.id, s.name]));
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const wanted = command.server ? new Set([...servers].filter(([id, name]) => id === command.server || name === command.server).map(([id]) => id)) : null;
    const stores = nodes.filter((n) => n.storage && (STORAGE_KINDS as readonly string[]).includes(n.kind) && (!wanted || wanted.has(n.serverId)));
    const rows = stores.map((n) => ({
      id: n.id,
      name: n.name,
      kind: n.kind,
      place: placeOf(n, byId, (id) => servers.get(id) ?? id),
      ...n.storage!,
      hosts: n.storage!.hostIds.map((id) => byId.get(id)?.name ?? id),
    }));
    if (command.json) return io.out(JSON.stringify(rows, null, 2));
    io.out(table(['NAME', 'TYPE', 'SHARED', 'SIZE', 'USED', 'FREE', 'WHERE'], rows.map((r) => [r.name, r.type, r.shared ? 'yes' : 'no', size(r.size), size(r.used), size(r.free), r.place])));
    return;
  }
  if (command.name === 'disk move') return moveDisk(command, nodes, core, session, io);
  if (command.name !== 'storage show' && command.name !== 'storage rescan') return executeDisk(command, nodes, core, session, io);
  const store = findNode(nodes, command.storage, STORAGE_KINDS, 'storage');
  if (command.name === 'storage rescan') {
    await session.follow(async () => [await core.invoke('storage:rescan', store.id)], (t) => `Rescan ${t.targetName}`);
    io.err(`${store.name} rescanned.`);
    return;
  }
  const { disks } = await core.invoke('storage:contents', store.id);
  if (command.json) return io.out(JSON.stringify({ id: store.id, name: store.name, storage: store.storage, disks }, null, 2));
  io.out(`${store.name}: ${store.storage?.type ?? ''}${store.storage?.shared ? ', shared' : ''}, ${size(store.storage?.used)} used of ${size(store.storage?.size)}`);
  io.out(table(['DISK', 'SIZE', 'SNAPSHOT', 'CONTENT', 'USED BY'], disks.map((d) => [d.name, size(d.size), d.snapshot ? 'yes' : '', d.content, d.usedBy.map((u) => u.name).join(', ')])));
}

/** One disk of a VM to another storage: the disk by its id, name or device as the VM's settings list them. */
async function moveDisk(command: Extract<StorageCommand, { name: 'disk move' }>, nodes: InventoryNode[], core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const vm = findNode(nodes, command.vm, GUEST_KINDS, 'VM');
  const target = findNode(nodes.filter((n) => n.serverId === vm.serverId), command.to, ['storage'], 'storage');
  const { disks } = await core.invoke('guests:properties', vm.id);
  const matches = disks.filter((d) => d.id === command.disk || d.name === command.disk || d.device === command.disk);
  if (matches.length !== 1) {
    const known = disks.map((d) => `${d.device ?? d.id} (${d.name})`).join(', ') || 'none';
    throw new PolyvisorError({ code: matches.length ? 'INVALID_INPUT' : 'NOT_FOUND', field: 'disk', message: `${vm.name} has ${matches.length ? 'several disks' : 'no disk'} "${command.disk}"; its disks: ${known}` });
  }
  await session.follow(async () => [await core.invoke('storage:moveDisk', vm.id, matches[0]!.id, target.id)], () => `Move ${matches[0]!.name} of ${vm.name} to ${target.name}`);
  io.err(`${matches[0]!.name} of ${vm.name} is on ${target.name} now.`);
}
