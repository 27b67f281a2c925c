// The overview grid's columns: what each shows, how it sorts and what it writes to
// CSV. The text is what the filter matches and the CSV holds; the sort key orders
// numbers as numbers (sizes, CPU %) and names naturally ("vm2" before "vm10").
import type { TFunction } from 'i18next';
import type { UsageReading } from '../../../shared/usage';
import { formatBytes, formatSeconds } from '../components/format';
import type { GridRow } from './grid-rows';

export const GRID_COLUMN_IDS = ['name', 'type', 'state', 'host', 'server', 'cpu', 'memory', 'vcpus', 'disks', 'ips', 'os', 'uptime', 'tags'] as const;
export type GridColumnId = (typeof GRID_COLUMN_IDS)[number];

export interface GridContext {
  t: TFunction;
  language: string;
  usage: ReadonlyMap<string, UsageReading>;
}

export type SortKey = number | string | undefined;

export interface GridColumn {
  id: GridColumnId;
  width: number;
  numeric?: boolean;
  text(row: GridRow, ctx: GridContext): string;
  sortKey(row: GridRow, ctx: GridContext): SortKey;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v ? [v] : []);

/** The node's configured memory, when the inventory carries it. */
const configuredMemory = (row: GridRow) => num(row.node.props.memory) ?? num(row.node.props.memoryTotal);
const disksBytes = (row: GridRow) => num(row.node.props.disk) ?? num(row.node.props.diskSize) ?? num(row.node.props.disks);
const uptimeSeconds = (row: GridRow) => {
  const up = num(row.node.props.uptime);
  if (up !== undefined) return up > 0 ? up : undefined;
  const started = row.node.props.startedAt;
  if (typeof started === 'string' && row.node.state === 'running') {
    const ms = Date.parse(started);
    if (Number.isFinite(ms)) return Math.max(0, Math.round((Date.now() - ms) / 1000));
  }
  return undefined;
};

/** CPU as a share 0..1, memory used as bytes: what the usage columns sort by. */
export const cpuShare = (row: GridRow, ctx: GridContext) => ctx.usage.get(row.node.id)?.cpu;
export const memoryUsed = (row: GridRow, ctx: GridContext) => ctx.usage.get(row.node.id)?.memoryUsed;

function percent(share: number, language: string): string {
  return `${(share * 100).toLocaleString(language, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`;
}

export const GRID_COLUMNS: readonly GridColumn[] = [
  { id: 'name', width: 220, text: (r) => r.node.name, sortKey: (r) => r.node.name },
  { id: 'type', width: 130, text: (r, c) => c.t(`kind.${r.node.kind}`), sortKey: (r, c) => c.t(`kind.${r.node.kind}`) },
  {
    id: 'state',
    width: 110,
    text: (r, c) => (r.node.state ? c.t(`powerState.${r.node.state}`) : r.node.maintenance ? c.t('overview.maintenance') : ''),
    sortKey: (r, c) => (r.node.state ? c.t(`powerState.${r.node.state}`) : undefined),
  },
  { id: 'host', width: 140, text: (r) => r.hostName, sortKey: (r) => r.hostName || undefined },
  { id: 'server', width: 140, text: (r) => r.serverName, sortKey: (r) => r.serverName },
  {
    id: 'cpu',
    width: 120,
    numeric: true,
    text: (r, c) => {
      const share = cpuShare(r, c);
      return share === undefined ? '' : percent(share, c.language);
    },
    sortKey: cpuShare,
  },
  {
    id: 'memory',
    width: 170,
    numeric: true,
    text: (r, c) => {
      const u = c.usage.get(r.node.id);
      const total = u?.memoryTotal ?? configuredMemory(r);
      if (u?.memoryUsed !== undefined) return `${formatBytes(u.memoryUsed, c.language)} / ${total === undefined ? '—' : formatBytes(total, c.language)}`;
      return total === undefined ? '' : formatBytes(total, c.language);
    },
    sortKey: (r, c) => memoryUsed(r, c) ?? configuredMemory(r),
  },
  { id: 'vcpus', width: 70, numeric: true, text: (r, c) => num(r.node.props.vcpus)?.toLocaleString(c.language) ?? '', sortKey: (r) => num(r.node.props.vcpus) },
  {
    id: 'disks',
    width: 100,
    numeric: true,
    text: (r, c) => {
      const b = disksBytes(r);
      return b === undefined ? '' : formatBytes(b, c.language);
    },
    sortKey: disksBytes,
  },
  { id: 'ips', width: 150, text: (r) => list(r.node.props.ips).join(', '), sortKey: (r) => list(r.node.props.ips)[0] },
  { id: 'os', width: 160, text: (r) => (typeof r.node.props.os === 'string' ? r.node.props.os : ''), sortKey: (r) => (typeof r.node.props.os === 'string' && r.node.props.os) || undefined },
  {
    id: 'uptime',
    width: 110,
    numeric: true,
    text: (r, c) => {
      const s = uptimeSeconds(r);
      return s === undefined ? '' : formatSeconds(s, (k, v) => c.t(k, v));
    },
    sortKey: uptimeSeconds,
  },
  { id: 'tags', width: 140, text: (r) => list(r.node.props.tags).join(', '), sortKey: (r) => list(r.node.props.tags)[0] },
];

export const COLUMN_BY_ID = new Map(GRID_COLUMNS.map((c) => [c.id, c]));
export const DEFAULT_VISIBLE: readonly GridColumnId[] = ['name', 'type', 'state', 'host', 'server', 'cpu', 'memory', 'disks', 'ips', 'os', 'uptime', 'tags'];
