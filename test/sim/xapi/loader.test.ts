// Every real state.db dump loads; per-class counts match an independent count
// of <row> elements; values are converted to the data model's field types.
import { describe, expect, it } from 'vitest';
import { loadDumpFile } from './loader';
import { loadModel, type XType } from './model';
import { FIXTURES, FIXTURE_DIR, readRows } from './fixture-read';
import { parseSExpr } from './sexpr';

const model = loadModel();

function conforms(type: XType, v: unknown): boolean {
  switch (type.kind) {
    case 'string':
    case 'datetime':
      return typeof v === 'string';
    case 'ref': // real dumps hold odd refs ('Ref:1', 'cd'): served as stored
    case 'enum':
      return typeof v === 'string';
    case 'int':
      return Number.isInteger(v);
    case 'float':
      return typeof v === 'number';
    case 'bool':
      return typeof v === 'boolean';
    case 'set':
      return Array.isArray(v) && v.every((e) => conforms(type.of, e));
    case 'map':
      return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((e) => conforms(type.value, e));
    default:
      return true;
  }
}

describe.each(FIXTURES)('loading %s', (file) => {
  const { db, report } = loadDumpFile(`${FIXTURE_DIR}/${file}`);
  const rows = readRows(file);

  it('loads as many objects per class as the file has rows per table', () => {
    expect(report.unknownTables).toEqual([]);
    let total = 0;
    for (const [table, list] of rows) {
      const cls = model.className(table)!;
      expect(cls, table).toBeDefined();
      expect(db.records(cls).size, table).toBe(list.length);
      total += list.length;
    }
    expect(total).toBeGreaterThan(100);
  });

  it('keeps refs and field values of the file (names, power states, uuids)', () => {
    for (const row of rows.get('VM')!) {
      const vm = db.get('VM', row.ref)!;
      expect(vm.name_label).toBe(row.name__label);
      expect(vm.power_state).toBe(row.power_state);
      expect(vm.uuid).toBe(row.uuid);
      expect(vm.is_a_template).toBe(row.is_a_template === 'true');
    }
  });

  it('serves every field of the class with the data model type', () => {
    for (const cls of ['VM', 'host', 'SR', 'VDI', 'VBD', 'pool', 'network', 'PIF', 'console', 'VM_metrics']) {
      const fields = model.cls(cls).fields;
      for (const rec of db.records(cls).values()) {
        expect(Object.keys(rec).sort()).toEqual(fields.map((f) => f.name).sort());
        for (const f of fields) expect(conforms(f.type, rec[f.name]), `${cls}.${f.name} = ${JSON.stringify(rec[f.name])}`).toBe(true);
      }
    }
  });

  it('computes one-to-many sets from the child side (VM.VBDs, SR.VDIs, host.resident_VMs)', () => {
    for (const [ref, vbd] of db.records('VBD')) {
      const vm = db.get('VM', vbd.VM as string);
      if (vm) expect(vm.VBDs).toContain(ref);
    }
    for (const [ref, vdi] of db.records('VDI')) expect(db.get('SR', vdi.SR as string)?.VDIs ?? [ref]).toContain(ref);
    for (const [ref, vm] of db.records('VM')) {
      const host = db.get('host', vm.resident_on as string);
      if (host) expect(host.resident_VMs).toContain(ref);
    }
  });
});

describe('S-expression values of state.db', () => {
  it('parses sets, maps and escapes like the real dumps', () => {
    expect(parseSExpr("('a' 'b c')")).toEqual(['a', 'b c']);
    expect(parseSExpr("(('k' 'v') ('it\\'s' 'C:\\\\WINDOWS'))")).toEqual([
      ['k', 'v'],
      ["it's", 'C:\\WINDOWS'],
    ]);
    expect(parseSExpr("(('disks' '<provision><disk size=\\\"8\\\"/></provision>'))")).toEqual([
      ['disks', '<provision><disk size="8"/></provision>'],
    ]);
    expect(parseSExpr('()')).toEqual([]);
  });

  it('decodes a Windows path map from state4 exactly', () => {
    const { db } = loadDumpFile(`${FIXTURE_DIR}/state4.xml`);
    const names = [...db.records('VM_guest_metrics').values()].map((g) => (g.os_version as Record<string, string>).name).filter(Boolean);
    expect(names).toContain('Microsoft Windows Server 2003 Enterprise x64 Edition|C:\\WINDOWS|\\Device\\Harddisk0\\Partition1');
  });
});
