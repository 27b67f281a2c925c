// The search language's syntax tree and its fields (issue 16): what the search box,
// the saved searches and `polyvisor search` share. Pure data, no I/O.

/** How a field's values compare: text (with wildcards), a size in bytes, or a plain count. */
export type FieldType = 'text' | 'size' | 'count';

export interface FieldSpec {
  type: FieldType;
  /** text fields: `field:value` is a substring match; exact ones (type, state, tag) compare whole values */
  exact?: boolean;
}

export const FIELDS = {
  name: { type: 'text' },
  type: { type: 'text', exact: true },
  state: { type: 'text', exact: true },
  server: { type: 'text' },
  pool: { type: 'text' },
  host: { type: 'text' },
  tag: { type: 'text', exact: true },
  folder: { type: 'text' },
  os: { type: 'text' },
  ip: { type: 'text' },
  description: { type: 'text' },
  uuid: { type: 'text', exact: true },
  memory: { type: 'size' },
  disk: { type: 'size' },
  vcpus: { type: 'count' },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

export function isFieldName(name: string): name is FieldName {
  return Object.prototype.hasOwnProperty.call(FIELDS, name);
}

export type CompareOp = '>' | '>=' | '<' | '<=' | '=';

export type Query =
  | { kind: 'and'; items: Query[] }
  | { kind: 'or'; items: Query[] }
  | { kind: 'not'; item: Query }
  /** `field:value`, or a bare word (field null: the name); `exact` for `field=value` */
  | { kind: 'text'; field: FieldName | null; value: string; exact: boolean }
  /** `memory>4GiB`, `vcpus<=2`: numbers in bytes for sizes */
  | { kind: 'compare'; field: FieldName; op: CompareOp; value: number };

export type SearchErrorCode =
  | 'unexpected' // a token where it cannot stand
  | 'unclosed-paren'
  | 'unopened-paren'
  | 'unclosed-quote'
  | 'unknown-field'
  | 'missing-value'
  | 'missing-operand'
  | 'bad-number'
  | 'compare-on-text';

export interface SearchError {
  code: SearchErrorCode;
  /** 0-based offset in the query text where the problem is */
  position: number;
  /** the text at that position (a field name, an operator), when there is one */
  token?: string;
  /** in English, for the CLI and logs; the UI words it from the code */
  message: string;
}

export type ParseResult = { ok: true; query: Query | null } | { ok: false; error: SearchError };
