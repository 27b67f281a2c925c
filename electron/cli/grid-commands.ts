// `polyvisor grid`: the overview grid in a terminal — every VM, container and host
// beneath a node (or on every connected server) with the columns asked for, live CPU and
// memory read once through the core's usage sampler, sorted and filtered, as a table,
// JSON or CSV (raw numbers: CPU in %, sizes in bytes, uptime in seconds).

import { csvLines } from '../../shared/csv';
import type { InventoryNode } from '../../shared/model';
import { formatSize } from '../../shared/sizes';
import { USAGE_WATCH_MAX, type UsageReading } from '../../shared/usage';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import { table } from './format';
import type { GridColumnName, GridCommand } from './grid-args';
import { findNode } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';

const ROW_KINDS = new Set(['vm', 'container', 'host']);
const LIVE = new Set<GridColumnName>(['cpu', 'memory', 'memory-total']);
type Value = string | number | string[] | null;

interface Row {
  node: InventoryNode;
  host: string;
  server: string;
  usage?: UsageReading;
}

export async function executeGrid(command: GridCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  const serverNames = new Map((await session.servers()).map((s) => [s.id, s.name]));
  const root = command.under ? findNode(nodes, command.under, ['server', 'pool', 'cluster', 'host'], 'server, pool, cluster or host') : undefined;
  const rows = rowsBeneath(nodes, root, serverNames);
  if (command.columns.some((c) => LIVE.has(c)) || command.sort.some((s) => LIVE.has(s.column))) await readUsage(core, rows);
  const terms = command.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = sortRows(
    rows.filter((r) => terms.every((t) => command.columns.some((c) => text(c, value(c, r)).toLowerCase().includes(t)))),
    command.sort,
  );
  const values = shown.map((r) => command.columns.map((c) => value(c, r)));
  if (command.format === 'json') io.out(JSON.stringify(values.map((v) => Object.fromEntries(command.columns.map((c, i) => [c, v[i]]))), null, 2));
  else if (command.format === 'csv') io.out(csvLines([command.columns, ...values.map((v) => v.map((x, i) => raw(command.columns[i]!, x)))]).trimEnd());
  else io.out(shown.length ? table(command.columns.map((c) => c.toUpperCase()), values.map((v) => v.map((x, i) => text(command.columns[i]!, x)))) : 'Nothing matches.');
}

/** VMs, containers and hosts beneath the root (every one without a root), with the host each runs on. */
function rowsBeneath(nodes: InventoryNode[], root: InventoryNode | undefined, serverNames: Map<string, string>): Row[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const hostOf = (n: InventoryNode): { host: string; under: boolean } => {
    let host = '';
    let under = root === undefined;
    for (let at: InventoryNode | undefined = n; at; at = at.parentId ? byId.get(at.parentId) : undefined) {
      if (!host && at.kind === 'host' && at !== n) host = at.name;
      if (root && at.id === root.id && at !== n) under = true;
    }
    return { host, under };
  };
  const rows: Row[] = [];
  for (const n of nodes) {
    if (!ROW_KINDS.has(n.kind) || n.controlDomain) continue;
    const { host, under } = hostOf(n);
    if (!under) continue;
    const prop = n.props.host ?? n.props.node;
    rows.push({ node: n, host: host || (n.kind !== 'host' && typeof prop === 'string' ? prop : ''), server: serverNames.get(n.serverId) ?? n.serverId });
  }
  return rows;
}

async function readUsage(core: PolyvisorCore, rows: Row[]): Promise<void> {
  const byId = new Map(rows.map((r) => [r.node.id, r]));
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += USAGE_WATCH_MAX) {
    for (const reading of await core.invoke('usage:read', ids.slice(i, i + USAGE_WATCH_MAX))) byId.get(reading.nodeId)!.usage = reading;
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : []);

function value(column: GridColumnName, r: Row): Value {
  const p = r.node.props;
  switch (column) {
    case 'name':
      return r.node.name;
    case 'id':
      return r.node.id;
    case 'type':
      return r.node.kind;
    case 'state':
      return r.node.state ?? (r.node.maintenance ? 'maintenance' : null);
    case 'host':
      return r.host || null;
    case 'server':
      return r.server;
    case 'cpu':
      return r.usage?.cpu === undefined ? null : Math.round(r.usage.cpu * 1000) / 10;
    case 'memory':
      return r.usage?.memoryUsed ?? null;
    case 'memory-total':
      return r.usage?.memoryTotal ?? num(p.memory) ?? num(p.memoryTotal);
    case 'vcpus':
      return num(p.vcpus);
    case 'disks':
      return num(p.disk) ?? num(p.diskSize) ?? num(p.disks);
    case 'ips':
      return list(p.ips);
    case 'os':
      return typeof p.os === 'string' && p.os ? p.os : null;
    case 'uptime':
      return num(p.uptime);
    case 'tags':
      return list(p.tags);
  }
}

function raw(_column: GridColumnName, v: Value): string {
  return v === null ? '' : Array.isArray(v) ? v.join(' ') : String(v);
}

function text(column: GridColumnName, v: Value): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.join(', ') || '—';
  if (typeof v === 'number' && (column === 'memory' || column === 'memory-total' || column === 'disks')) return formatSize(v);
  if (typeof v === 'number' && column === 'cpu') return `${v.toFixed(1)} %`;
  return String(v);
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function sortRows(rows: Row[], keys: GridCommand['sort']): Row[] {
  return rows
    .map((r, i) => ({ r, i, k: keys.map((s) => value(s.column, r)) }))
    .sort((a, b) => {
      for (let j = 0; j < keys.length; j++) {
        const x = a.k[j]!;
        const y = b.k[j]!;
        if (x === null || y === null) {
          if (x !== y) return x === null ? 1 : -1; // missing values last either way
          continue;
        }
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(raw(keys[j]!.column, x), raw(keys[j]!.column, y));
        if (c !== 0) return keys[j]!.desc ? -c : c;
      }
      return a.i - b.i;
    })
    .map((x) => x.r);
}
