// Loads an xapi state.db dump: <database><manifest><pair key value/>...</manifest>
// <table name="VM"><row ref="OpaqueRef:..." name__label="..." .../></table>...
// Column names use `__` for the dots of the data model (name__label → name_label);
// sets and maps are S-expressions. Values are converted to the field types of the
// official data model; fields absent from the dump get their defaults.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { XapiDatabase, type XapiRecord } from './database';
import { NULL_REF, type XType, type XapiModel, loadModel } from './model';
import { parseSExpr, type SExpr } from './sexpr';

interface RawTable {
  name: string;
  row?: Record<string, string>[];
}

export interface LoadReport {
  /** rows loaded per class (canonical class names) */
  counts: Record<string, number>;
  /** dump tables without a class in the data model (kept out of the store) */
  unknownTables: string[];
}

export function decodeValue(model: XapiModel, type: XType, text: string): unknown {
  switch (type.kind) {
    case 'string':
    case 'enum':
    case 'datetime':
    case 'any':
      return text;
    case 'ref':
      return text === '' ? NULL_REF : text;
    case 'int': {
      const n = Number(text);
      return Number.isFinite(n) ? n : 0;
    }
    case 'float': {
      const n = parseFloat(text);
      return Number.isFinite(n) ? n : 0;
    }
    case 'bool':
      return text === 'true';
    case 'set': {
      const s = text === '' ? [] : parseSExpr(text);
      return Array.isArray(s) ? s.map((e) => decodeValue(model, type.of, atom(e))) : [];
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const s = text === '' ? [] : parseSExpr(text);
      if (Array.isArray(s)) {
        for (const pair of s) {
          if (Array.isArray(pair) && pair.length === 2) out[atom(pair[0])] = decodeValue(model, type.value, atom(pair[1]));
        }
      }
      return out;
    }
    default:
      return text;
  }
}

function atom(e: SExpr): string {
  return typeof e === 'string' ? e : '';
}

export function parseDump(xml: string): { manifest: Record<string, string>; tables: RawTable[] } {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    parseAttributeValue: false,
    parseTagValue: false,
    processEntities: true,
    htmlEntities: false,
    isArray: (name) => name === 'table' || name === 'row' || name === 'pair',
  });
  const doc = parser.parse(xml) as { database?: { manifest?: { pair?: { key: string; value: string }[] }; table?: RawTable[] } };
  if (!doc.database) throw new Error('not an xapi state.db dump: no <database> element');
  const manifest: Record<string, string> = {};
  for (const p of doc.database.manifest?.pair ?? []) manifest[p.key] = p.value;
  return { manifest, tables: doc.database.table ?? [] };
}

/** Loads a dump into `db` (which should be empty). */
export function loadDumpInto(db: XapiDatabase, xml: string): LoadReport {
  const model = db.model;
  const { manifest, tables } = parseDump(xml);
  db.manifest = manifest;
  const counts: Record<string, number> = {};
  const unknownTables: string[] = [];
  for (const t of tables) {
    const cls = model.className(t.name);
    const rows = t.row ?? [];
    if (!cls) {
      if (rows.length) unknownTables.push(t.name);
      continue;
    }
    const types = model.cls(cls).fieldTypes;
    for (const row of rows) {
      const rec: XapiRecord = {};
      let ref = '';
      for (const col in row) {
        if (col === 'ref' || col === '_ref') {
          ref ||= row[col];
          continue;
        }
        const field = col.replace(/__/g, '_');
        const type = types.get(field);
        if (!type) continue; // column of an older schema, not in today's data model
        rec[field] = decodeValue(model, type, row[col]);
      }
      if (!ref) throw new Error(`row without ref in table ${t.name}`);
      db.add(cls, rec, { ref, raw: true, silent: true });
      counts[cls] = (counts[cls] ?? 0) + 1;
    }
  }
  db.rebuildRelations();
  return { counts, unknownTables };
}

export function loadDumpFile(path: string, model: XapiModel = loadModel()): { db: XapiDatabase; report: LoadReport } {
  const db = new XapiDatabase(model);
  const report = loadDumpInto(db, readFileSync(path, 'utf8'));
  return { db, report };
}
