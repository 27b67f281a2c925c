// argv of `polyvisor grid …` → one typed command (pure, like args.ts).

import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export const GRID_COLUMNS = ['name', 'type', 'state', 'host', 'server', 'cpu', 'memory', 'memory-total', 'vcpus', 'disks', 'ips', 'os', 'uptime', 'tags', 'id'] as const;
export type GridColumnName = (typeof GRID_COLUMNS)[number];
export const DEFAULT_GRID_COLUMNS: readonly GridColumnName[] = ['name', 'type', 'state', 'host', 'server', 'cpu', 'memory', 'memory-total'];

export type GridCommand = {
  name: 'grid';
  /** the tree node whose VMs, containers and hosts are listed (id, uuid or name); absent = every connected server */
  under?: string;
  columns: GridColumnName[];
  /** column names; a leading "-" sorts that key descending */
  sort: Array<{ column: GridColumnName; desc: boolean }>;
  /** every whitespace-separated term must be in some column of the row */
  filter: string;
  format: 'table' | 'json' | 'csv';
} & ConnectOptions;

export const GRID_USAGE = `Overview grid (every VM, container and host beneath a node, with live CPU and memory):
  grid [--under <node>] [--columns ${DEFAULT_GRID_COLUMNS.join(',')}] [--sort -cpu,name]
       [--filter TEXT] [--json|--csv]
                  columns: ${GRID_COLUMNS.join(', ')}; cpu in % of the item's CPUs and memory
                  in bytes (live, for running items); "-" before a sort key: descending`;

function columnList(text: string, option: string): GridColumnName[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw usage(`grid: ${option} needs at least one column`);
  for (const n of names) {
    const bare = n.replace(/^-/, '');
    if (!(GRID_COLUMNS as readonly string[]).includes(bare)) throw usage(`grid: unknown column "${bare}" in ${option}; columns: ${GRID_COLUMNS.join(', ')}`);
  }
  return names as GridColumnName[];
}

export function parseGrid(args: string[]): GridCommand {
  const { values } = parse(
    args,
    { ...CONNECT_OPTIONS, under: { type: 'string' }, columns: { type: 'string' }, sort: { type: 'string' }, filter: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } },
    0,
  );
  if (values.json && values.csv) throw usage('grid: give --json or --csv, not both');
  const columns = values.columns === undefined ? [...DEFAULT_GRID_COLUMNS] : columnList(values.columns, '--columns');
  if (columns.some((c) => c.startsWith('-'))) throw usage('grid: "-" belongs in --sort, not --columns');
  const sort = (values.sort === undefined ? ['name'] : columnList(values.sort, '--sort')).map((key) => ({ column: key.replace(/^-/, '') as GridColumnName, desc: key.startsWith('-') }));
  return {
    name: 'grid',
    under: values.under,
    columns,
    sort,
    filter: values.filter ?? '',
    format: values.json ? 'json' : values.csv ? 'csv' : 'table',
    ...connectOptions(values),
  };
}
