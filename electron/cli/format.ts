// Text output of the CLI: the inventory as an indented tree, tables of servers
// and snapshots. JSON output is the contract's own objects, unformatted here.

import type { ServerView } from '../../shared/contract';
import type { InventoryNode } from '../../shared/model';

export interface TreeOptions {
  templates: boolean;
}

/**
 * The infrastructure tree (server → pool → host → guests) with each guest's
 * snapshot tree beneath it. Control domains are hidden, as in the app.
 */
export function formatTree(nodes: InventoryNode[], options: TreeOptions): string {
  const visible = nodes.filter((n) => !n.controlDomain && (options.templates || n.kind !== 'template'));
  const children = new Map<string | null, InventoryNode[]>();
  const snapshotChildren = new Map<string, InventoryNode[]>();
  const ids = new Set(visible.map((n) => n.id));
  for (const node of visible) {
    if (node.kind === 'snapshot' && node.snapshot) {
      // a snapshot hangs under its parent snapshot, or under its VM when it is a root
      const parent = node.snapshot.parentSnapshotId && ids.has(node.snapshot.parentSnapshotId) ? node.snapshot.parentSnapshotId : node.snapshot.ofId;
      push(snapshotChildren, parent, node);
      continue;
    }
    const parent = node.parentId && ids.has(node.parentId) ? node.parentId : null;
    push(children, parent, node);
  }
  const lines: string[] = [];
  const walk = (node: InventoryNode, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${label(node)}`);
    for (const child of sorted(children.get(node.id))) walk(child, depth + 1);
    for (const snap of sortedSnapshots(snapshotChildren.get(node.id))) walk(snap, depth + 1);
  };
  for (const root of sorted(children.get(null))) walk(root, 0);
  return lines.join('\n');
}

function label(node: InventoryNode): string {
  const parts = [`${node.kind} ${node.name}`];
  if (node.state) parts.push(`[${node.state}]`);
  if (node.kind === 'snapshot' && node.snapshot) {
    if (node.snapshot.withMemory) parts.push('(with memory)');
    if (node.snapshot.time) parts.push(node.snapshot.time);
  }
  parts.push(` ${node.id}`);
  return parts.join(' ');
}

const KIND_ORDER = ['server', 'pool', 'cluster', 'host', 'project', 'vm', 'container', 'template', 'snapshot'];

function sorted(nodes: InventoryNode[] | undefined): InventoryNode[] {
  return [...(nodes ?? [])].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
}

function sortedSnapshots(nodes: InventoryNode[] | undefined): InventoryNode[] {
  return [...(nodes ?? [])].sort((a, b) => (a.snapshot?.time ?? '').localeCompare(b.snapshot?.time ?? '') || a.name.localeCompare(b.name));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function formatServers(servers: ServerView[]): string {
  if (servers.length === 0) return 'No saved servers. Add one with "polyvisor server add".';
  const rows = servers.map((s) => [
    s.id,
    s.name,
    s.type,
    `${s.host}:${s.port}`,
    s.username,
    s.hasStoredPassword ? 'stored' : 'not stored',
    s.pinnedFingerprint ? 'pinned' : '-',
  ]);
  return table(['ID', 'NAME', 'TYPE', 'ADDRESS', 'USER', 'PASSWORD', 'CERTIFICATE'], rows);
}

export function formatSnapshots(snapshots: InventoryNode[], current: string | null | undefined): string {
  if (snapshots.length === 0) return 'No snapshots.';
  const rows = snapshots.map((s) => [
    s.id === current ? `${s.id} *` : s.id,
    s.name,
    s.snapshot?.time ?? '',
    s.snapshot?.withMemory ? 'yes' : 'no',
    s.snapshot?.description ?? '',
  ]);
  return table(['ID', 'NAME', 'TIME', 'MEMORY', 'DESCRIPTION'], rows) + (current ? '\n(* = the snapshot the VM currently derives from)' : '');
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
