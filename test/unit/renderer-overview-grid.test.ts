// The overview grid's model: which rows a node has beneath it, sorting (natural names,
// numbers, missing values last either way, shift-click keys), filtering (terms in any
// shown column, per-column text and ">N" on CPU), column preferences, and CSV quoting.
import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import type { ServerView } from '../../shared/contract';
import type { InventoryNode } from '../../shared/model';
import type { UsageReading } from '../../shared/usage';
import { COLUMN_BY_ID, type GridColumnId, type GridContext } from '../../renderer/src/overview/grid-columns';
import { csvField } from '../../shared/csv';
import { filterRows, filterTexts, nextSort, refines, sortRows, toCsv } from '../../renderer/src/overview/grid-model';
import { moveColumn, readGridPrefs, toggleColumn, GRID_PREFS_KEY } from '../../renderer/src/overview/grid-prefs';
import { rowsBeneath, type GridRow } from '../../renderer/src/overview/grid-rows';
import { rangeBetween } from '../../renderer/src/overview/grid-ui';
import { applyDeltas, emptyIndex, serverKey } from '../../renderer/src/tree/inventory-index';

const t = ((key: string) => key) as unknown as TFunction;
const ctxWith = (usage: UsageReading[] = []): GridContext => ({ t, language: 'en', usage: new Map(usage.map((u) => [u.nodeId, u])) });

function node(id: string, kind: InventoryNode['kind'], parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode {
  return { id, serverId: 's1', kind, name: id, parentId, nativeRef: id, allowed: [], props: {}, ...extra };
}

const server = { id: 's1', name: 'Lab pool' } as ServerView;
const nodes = [
  node('pool', 'pool', null),
  node('host-a', 'host', 'pool'),
  node('vm10', 'vm', 'host-a', { state: 'running', props: { memory: 4 * 2 ** 30, ips: ['10.0.0.10'], os: 'Debian 12', tags: ['web'] } }),
  node('vm2', 'vm', 'host-a', { state: 'halted', props: { memory: 2 * 2 ** 30, os: 'Windows Server' } }),
  node('tpl', 'template', 'pool'),
  node('snap', 'snapshot', 'vm2'),
  node('host-b', 'host', 'pool'),
  node('ct1', 'container', 'host-b', { state: 'running', props: { memory: 2 ** 30, tags: ['db', 'web'] } }),
];
const index = applyDeltas(emptyIndex(), [{ serverId: 's1', reset: true, upsert: nodes, remove: [] }]);
const all = () => rowsBeneath(index, serverKey('s1'), [server]);
const names = (rows: readonly GridRow[]) => rows.map((r) => r.node.name);

describe('overview grid rows', () => {
  it('lists the VMs, containers and hosts beneath a node with their host and server, not templates or snapshots', () => {
    const rows = all();
    expect(names(rows).sort()).toEqual(['ct1', 'host-a', 'host-b', 'vm10', 'vm2']);
    expect(rows.find((r) => r.node.id === 'vm2')).toMatchObject({ hostName: 'host-a', serverName: 'Lab pool' });
    expect(rows.find((r) => r.node.id === 'host-a')?.hostName).toBe('');
    expect(names(rowsBeneath(index, 'host-b', [server]))).toEqual(['ct1']);
  });
});

describe('overview grid sorting', () => {
  it('orders names naturally, and the other way on a second click', () => {
    const vms = all().filter((r) => r.node.kind === 'vm');
    expect(names(sortRows(vms, [{ id: 'name', desc: false }], ctxWith()))).toEqual(['vm2', 'vm10']);
    const flipped = nextSort([{ id: 'name', desc: false }], 'name', false);
    expect(flipped).toEqual([{ id: 'name', desc: true }]);
    expect(names(sortRows(vms, flipped, ctxWith()))).toEqual(['vm10', 'vm2']);
  });

  it('sorts numbers as numbers and leaves rows without a value last in either direction', () => {
    const usage = [
      { nodeId: 'vm10', cpu: 0.05, at: 0 },
      { nodeId: 'ct1', cpu: 0.5, at: 0 },
      { nodeId: 'host-a', cpu: 0.25, at: 0 },
    ];
    const up = sortRows(all(), [{ id: 'cpu', desc: false }], ctxWith(usage));
    expect(names(up).slice(0, 3)).toEqual(['vm10', 'host-a', 'ct1']);
    const down = sortRows(all(), [{ id: 'cpu', desc: true }], ctxWith(usage));
    expect(names(down).slice(0, 3)).toEqual(['ct1', 'host-a', 'vm10']);
    expect(names(down).slice(3).sort()).toEqual(['host-b', 'vm2']);
  });

  it('shift-click adds a further key and flips it; a plain click starts over', () => {
    let sorts = nextSort([], 'type', false);
    sorts = nextSort(sorts, 'name', true);
    expect(sorts).toEqual([
      { id: 'type', desc: false },
      { id: 'name', desc: false },
    ]);
    sorts = nextSort(sorts, 'name', true);
    expect(sorts[1]).toEqual({ id: 'name', desc: true });
    const rows = sortRows(all(), sorts, ctxWith());
    expect(names(rows)).toEqual(['ct1', 'host-b', 'host-a', 'vm10', 'vm2']);
    expect(nextSort(sorts, 'state', false)).toEqual([{ id: 'state', desc: false }]);
  });
});

describe('overview grid filtering', () => {
  const columns = (['name', 'type', 'host', 'os', 'tags', 'cpu'] as GridColumnId[]).map((id) => COLUMN_BY_ID.get(id)!);

  it('keeps rows where every term matches some shown column, case-insensitively', () => {
    const rows = all();
    const texts = filterTexts(rows, columns, ctxWith());
    expect(names(filterRows(rows, texts, 'WEB', {}, ctxWith())).sort()).toEqual(['ct1', 'vm10']);
    expect(names(filterRows(rows, texts, 'web debian', {}, ctxWith()))).toEqual(['vm10']);
    expect(names(filterRows(rows, texts, 'host-a', {}, ctxWith())).sort()).toEqual(['host-a', 'vm10', 'vm2']);
    expect(filterRows(rows, texts, 'nothing-like-it', {}, ctxWith())).toEqual([]);
  });

  it('applies column filters: text contained in that column, ">N" on the CPU %', () => {
    const rows = all();
    const texts = filterTexts(rows, columns, ctxWith());
    expect(names(filterRows(rows, texts, '', { os: 'windows' }, ctxWith()))).toEqual(['vm2']);
    expect(names(filterRows(rows, texts, '', { name: 'host' }, ctxWith()))).toEqual(['host-a', 'host-b']);
    const usage = ctxWith([
      { nodeId: 'vm10', cpu: 0.05, at: 0 },
      { nodeId: 'ct1', cpu: 0.5, at: 0 },
    ]);
    expect(names(filterRows(rows, texts, '', { cpu: '>10' }, usage))).toEqual(['ct1']);
    expect(names(filterRows(rows, texts, '', { cpu: '<10' }, usage))).toEqual(['vm10']);
  });

  it('keeps the given order', () => {
    const rows = all();
    const texts = filterTexts(rows, columns, ctxWith());
    const ordered = sortRows(rows, [{ id: 'name', desc: true }], ctxWith());
    expect(names(filterRows(ordered, texts, 'vm', {}, ctxWith()))).toEqual(['vm10', 'vm2']);
  });

  it('narrows the last result only when the query grew at its end', () => {
    expect(refines('vm-4', 'vm-49')).toBe(true);
    expect(refines('web', 'web db')).toBe(true);
    expect(refines('web ', 'web db')).toBe(true);
    expect(refines('vm-49', 'vm-4')).toBe(false);
    expect(refines('web', 'db web')).toBe(false);
    expect(refines('', 'vm')).toBe(false);
    const rows = all();
    const texts = filterTexts(rows, columns, ctxWith());
    const step = filterRows(rows, texts, 'vm', {}, ctxWith());
    expect(filterRows(step, texts, 'vm1', {}, ctxWith())).toEqual(filterRows(rows, texts, 'vm1', {}, ctxWith()));
  });

  it('selects a range in the shown order', () => {
    const ordered = sortRows(all(), [{ id: 'name', desc: false }], ctxWith());
    expect(rangeBetween(ordered, 'vm10', 'host-a')).toEqual(['host-a', 'host-b', 'vm2', 'vm10']);
  });
});

describe('overview grid CSV', () => {
  it('quotes fields with commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-5')).toBe('-5');
    expect(csvField('-cmd')).toBe("'-cmd");
    expect(csvField('虚拟机')).toBe('虚拟机');
  });

  it('writes a header of the column labels and one CRLF line per row, with a BOM', () => {
    const rows = all().filter((r) => r.node.kind === 'container' || r.node.id === 'vm10');
    const columns = (['name', 'tags', 'ips'] as GridColumnId[]).map((id) => COLUMN_BY_ID.get(id)!);
    const csv = toCsv(rows, columns, ctxWith());
    expect(csv).toBe('\ufeffoverview.column.name,overview.column.tags,overview.column.ips\r\nvm10,web,10.0.0.10\r\nct1,"db, web",\r\n');
  });
});

describe('overview grid preferences', () => {
  it('reads back saved columns and sort, dropping what it does not know', () => {
    const saved = JSON.stringify({ columns: ['name', 'cpu', 'bogus', 'cpu'], sort: [{ id: 'cpu', desc: true }, { id: 'nope', desc: false }] });
    expect(readGridPrefs({ getItem: (k) => (k === GRID_PREFS_KEY ? saved : null) })).toEqual({ columns: ['name', 'cpu'], sort: [{ id: 'cpu', desc: true }] });
    expect(readGridPrefs({ getItem: () => '{not json' }).columns).toContain('name');
  });

  it('keeps the name column and moves the others', () => {
    expect(toggleColumn(['name', 'cpu'], 'name')).toEqual(['name', 'cpu']);
    expect(toggleColumn(['name', 'cpu'], 'cpu')).toEqual(['name']);
    expect(toggleColumn(['name'], 'os')).toEqual(['name', 'os']);
    expect(moveColumn(['name', 'cpu', 'os'], 'os', -1)).toEqual(['name', 'os', 'cpu']);
    expect(moveColumn(['name', 'cpu'], 'name', -1)).toEqual(['name', 'cpu']);
  });
});
