// The XAPI data model (classes, fields, messages, enums) read from the official
// xenapi.json, with field type strings parsed into a small type tree used to
// decode state.db values, fill defaults and encode XML-RPC.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED_DIR } from '../../shared-dir';

export const REFERENCE_PATH = path.join(SHARED_DIR, 'reference/xapi/xenapi.json');
export const NULL_REF = 'OpaqueRef:NULL';
export const EPOCH = '19700101T00:00:00Z';

export type XType =
  | { kind: 'string' | 'int' | 'float' | 'bool' | 'datetime' | 'void' | 'any' }
  | { kind: 'ref'; cls: string }
  | { kind: 'enum'; name: string }
  | { kind: 'set'; of: XType }
  | { kind: 'map'; key: XType; value: XType }
  | { kind: 'record'; cls: string }
  | { kind: 'option'; of: XType };

export interface RefParam { type: string; name: string; doc: string }
export interface RefMessage {
  name: string;
  description: string;
  result: string[];
  params: RefParam[];
  errors: { name: string; doc: string }[];
  implicit: boolean;
  /** the RBAC roles allowed to call it */
  roles?: string[];
}
export interface RefField { name: string; type: string; qualifier: string; default?: string }
export interface RefClass {
  name: string;
  fields: RefField[];
  messages: RefMessage[];
  enums: { name: string; values: { name: string }[] }[];
}

export interface ClassModel {
  name: string;
  fields: { name: string; type: XType; typeText: string; qualifier: string; defaultValue: unknown }[];
  fieldTypes: Map<string, XType>;
  messages: Map<string, RefMessage>;
}

export function parseType(text: string): XType {
  const t = text.trim();
  if (t.endsWith(' option')) return { kind: 'option', of: parseType(t.slice(0, -7)) };
  if (t.endsWith(' set')) return { kind: 'set', of: parseType(t.slice(0, -4)) };
  if (t.startsWith('(') && t.endsWith(') map')) {
    const inner = t.slice(1, -5);
    const arrow = inner.indexOf(' -> ');
    return { kind: 'map', key: parseType(inner.slice(0, arrow)), value: parseType(inner.slice(arrow + 4)) };
  }
  if (t.endsWith(' ref')) return { kind: 'ref', cls: t.slice(0, -4) };
  if (t.endsWith(' record')) return { kind: 'record', cls: t.slice(0, -7) };
  if (t.startsWith('enum ')) return { kind: 'enum', name: t.slice(5) };
  switch (t) {
    case 'string':
    case 'int':
    case 'float':
    case 'bool':
    case 'datetime':
    case 'void':
      return { kind: t };
    default:
      return { kind: 'any' };
  }
}

export class XapiModel {
  readonly classes = new Map<string, ClassModel>();
  readonly enums = new Map<string, string[]>();
  readonly raw: RefClass[];
  private readonly byLower = new Map<string, string>();

  constructor(raw: RefClass[]) {
    this.raw = raw;
    for (const c of raw) for (const e of c.enums) this.enums.set(e.name, e.values.map((v) => v.name));
    for (const c of raw) {
      const fields = c.fields.map((f) => {
        const type = parseType(f.type);
        return { name: f.name, type, typeText: f.type, qualifier: f.qualifier, defaultValue: this.defaultFor(type, f.default) };
      });
      this.classes.set(c.name, {
        name: c.name,
        fields,
        fieldTypes: new Map(fields.map((f) => [f.name, f.type])),
        messages: new Map(c.messages.map((m) => [m.name, m])),
      });
      this.byLower.set(c.name.toLowerCase(), c.name);
    }
  }

  /** Canonical class name for any casing (`vm` → `VM`, `Secret` → `secret`), or undefined. */
  className(name: string): string | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  cls(name: string): ClassModel {
    const c = this.classes.get(name);
    if (!c) throw new Error(`unknown XAPI class ${name}`);
    return c;
  }

  private readonly factories = new Map<string, () => Record<string, unknown>>();

  /**
   * A fresh record with every field of the class at its default. Empty set and
   * map defaults are shared frozen values (records are changed by replacing
   * field values, never in place), and each class gets a compiled object-literal
   * factory: generating 100,000+ records must not drown in allocations.
   */
  emptyRecord(cls: string): Record<string, unknown> {
    let make = this.factories.get(cls);
    if (!make) {
      const fields = this.cls(cls).fields;
      const values = fields.map((f) => sharedDefault(f.defaultValue));
      const body = `return () => ({${fields.map((f, i) => `${JSON.stringify(f.name)}: v[${i}]`).join(', ')}});`;
      make = new Function('v', body)(values) as () => Record<string, unknown>;
      this.factories.set(cls, make);
    }
    return make();
  }

  defaultFor(type: XType, text?: string): unknown {
    switch (type.kind) {
      case 'string':
        return text !== undefined && text.startsWith('"') ? text.slice(1, -1) : '';
      case 'int':
        return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : 0;
      case 'float':
        return text !== undefined && !Number.isNaN(parseFloat(text)) ? parseFloat(text) : 0;
      case 'bool':
        return text === 'true';
      case 'datetime':
        return text && /^\d{8}T/.test(text) ? text : EPOCH;
      case 'ref':
        return text && text.startsWith('OpaqueRef:') ? text : NULL_REF;
      case 'enum': {
        const values = this.enums.get(type.name) ?? [];
        return text && values.includes(text) ? text : (values[0] ?? '');
      }
      case 'set': {
        if (!text || text === '{}') return [];
        return text
          .slice(1, -1)
          .split(',')
          .map((s) => this.defaultFor(type.of, s.trim()));
      }
      case 'map': {
        const out: Record<string, unknown> = {};
        if (text && text !== '{}') {
          for (const m of text.matchAll(/"([^"]*)" -> "([^"]*)"/g)) out[m[1]] = m[2];
        }
        return out;
      }
      case 'option':
      case 'record':
      case 'void':
      case 'any':
        return '';
    }
  }
}

/** shared empty set value (records never change values in place) */
export const EMPTY_SET: readonly unknown[] = Object.freeze([]);
const EMPTY_MAP: Readonly<Record<string, unknown>> = Object.freeze({});

function sharedDefault(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? Object.freeze(v.slice()) : EMPTY_SET;
  if (v && typeof v === 'object') return Object.keys(v).length ? Object.freeze({ ...v }) : EMPTY_MAP;
  return v;
}

export function cloneDefault(v: unknown): unknown {
  if (Array.isArray(v)) return v.slice();
  if (v && typeof v === 'object') return { ...(v as object) };
  return v;
}

let cached: XapiModel | undefined;
export function loadModel(path = REFERENCE_PATH): XapiModel {
  if (path === REFERENCE_PATH && cached) return cached;
  const model = new XapiModel(JSON.parse(readFileSync(path, 'utf8')) as RefClass[]);
  if (path === REFERENCE_PATH) cached = model;
  return model;
}
