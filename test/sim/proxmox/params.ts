// Parameter declarations and checks the way PVE's JSONSchema code does them:
// every route declares its parameters; unknown, missing or ill-typed ones fail
// with HTTP 400 "Parameter verification failed." and a per-parameter message.

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'array';

export interface ParamSpec {
  type: ParamType;
  optional?: true;
  enum?: readonly string[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  requires?: string;
}

export type ParamSpecs = Record<string, ParamSpec>;
export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

export class ParamError extends Error {
  constructor(readonly errors: Record<string, string>) {
    super('Parameter verification failed.');
  }
}

// Common declarations, named as in the schema.
export const P = {
  node: { type: 'string', format: 'pve-node' },
  vmid: { type: 'integer', format: 'pve-vmid', minimum: 100, maximum: 999999999 },
  snapname: { type: 'string', format: 'pve-configid', maxLength: 40 },
  upid: { type: 'string' },
  optBool: { type: 'boolean', optional: true },
  optString: { type: 'string', optional: true },
  optTimeout: { type: 'integer', minimum: 0, optional: true },
} as const satisfies Record<string, ParamSpec>;

const FORMAT_CHECKS: Record<string, (v: string) => string | null> = {
  'pve-node': (v) =>
    /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)$/.test(v) ? null : `value does not look like a valid node name`,
  'pve-configid': (v) => (/^[a-z][a-z0-9_-]+$/i.test(v) ? null : `invalid configuration ID '${v}'`),
  'pve-storage-id': (v) => (/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v) ? null : `storage ID '${v}' contains illegal characters`),
  'dns-name': (v) =>
    /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(v) ? null : `value does not look like a valid DNS name`,
  'pve-poolid': (v) => (/^[A-Za-z0-9_-]+$/.test(v) ? null : `value does not look like a valid pool ID`),
  'pve-realm': (v) => (/^[A-Za-z][A-Za-z0-9.\-_]+$/.test(v) ? null : `value '${v}' does not look like a valid realm`),
  'pve-iface': (v) => (/^[a-zA-Z][a-zA-Z0-9_]{1,20}([:.]\d+)?$/.test(v) ? null : `invalid network interface name '${v}'`),
  'pve-iface-list': (v) => v.split(/[\s,;]+/).filter(Boolean).map((i) => FORMAT_CHECKS['pve-iface'](i)).find(Boolean) ?? null,
  'pve-sdn-vnet-id': (v) => sdnId('vnet', v),
  'pve-sdn-zone-id': (v) => sdnId('zone', v),
  'ip-list': (v) => v.split(/[\s,;]+/).filter(Boolean).map((ip) => (/^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-f:]+:[0-9a-f:]*$/i.test(ip) ? null : `value '${ip}' does not look like a valid IP address`)).find(Boolean) ?? null,
  CIDRv4: (v) => (/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(v) ? null : `value does not look like a valid CIDRv4 network`),
};

/** PVE's SDN object ids: letters and digits, starting with a letter, at most 8 long. */
function sdnId(what: string, v: string): string | null {
  if (!/^[a-z][a-z0-9]*[a-z0-9]$/i.test(v)) return `${what} ID '${v}' contains illegal characters`;
  return v.length > 8 ? `${what} ID '${v}' can't be more length than 8 characters` : null;
}

/** The schema's pattern as a JS RegExp: Perl's case-insensitive group `(?^i:…)` becomes the `i` flag. */
function patternOf(pattern: string): RegExp {
  const perl = /^\(\?\^i:([\s\S]*)\)$/.exec(pattern);
  return perl ? new RegExp(`^(?:${perl[1]})$`, 'i') : new RegExp(`^(?:${pattern})$`);
}

const TRUE_RE = /^(?:1|true|yes|on)$/i;
const FALSE_RE = /^(?:0|false|no|off)$/i;

function checkOne(spec: ParamSpec, raw: unknown): { value?: ParamValue; error?: string } {
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
  if (text === undefined) return { error: `type check ('${spec.type}') failed - got ${JSON.stringify(raw)}` };
  let value: ParamValue;
  switch (spec.type) {
    case 'boolean':
      if (typeof raw === 'boolean') value = raw;
      else if (TRUE_RE.test(text)) value = true;
      else if (FALSE_RE.test(text)) value = false;
      else return { error: `type check ('boolean') failed - got '${text}'` };
      return { value };
    case 'integer':
      if (!/^[+-]?\d+$/.test(text)) return { error: `type check ('integer') failed - got '${text}'` };
      value = Number(text);
      break;
    case 'number':
      if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return { error: `type check ('number') failed - got '${text}'` };
      value = Number(text);
      break;
    default:
      value = text;
  }
  if (typeof value === 'number') {
    if (spec.minimum !== undefined && value < spec.minimum) return { error: `value must have a minimum value of ${spec.minimum}` };
    if (spec.maximum !== undefined && value > spec.maximum) return { error: `value must have a maximum value of ${spec.maximum}` };
  } else {
    if (spec.maxLength !== undefined && text.length > spec.maxLength)
      return { error: `value may only be ${spec.maxLength} characters long` };
    if (spec.enum && !spec.enum.includes(text))
      return { error: `value '${text}' does not have a value in the enumeration '${spec.enum.join(', ')}'` };
    if (spec.pattern && !patternOf(spec.pattern).test(text)) return { error: 'value does not match the regex pattern' };
    const formatError = spec.format ? FORMAT_CHECKS[spec.format]?.(text) : null;
    if (formatError) return { error: `invalid format - ${formatError}\n` };
  }
  return { value };
}

// How many of each numbered option PVE has (net0…net31): the schema declares them once as `net[n]`.
const INDEX_LIMITS: Record<string, number> = {
  ide: 4, sata: 6, scsi: 31, virtio: 16, net: 32, ipconfig: 32, unused: 256, mp: 256, dev: 256,
  hostpci: 16, usb: 14, serial: 4, parallel: 3, numa: 8, virtiofs: 10, 'acmedomain': 6,
};

/** The declaration of a parameter: its own, or its family's (`scsi[n]` for scsi0) when the index exists. */
function specFor(specs: ParamSpecs, name: string): ParamSpec | undefined {
  if (specs[name]) return specs[name];
  const m = /^([a-z]+)(\d+)$/.exec(name);
  if (!m) return undefined;
  const limit = INDEX_LIMITS[m[1]] ?? 0;
  return Number(m[2]) < limit && String(Number(m[2])) === m[2] ? specs[`${m[1]}[n]`] : undefined;
}

/** Validates and converts raw request parameters (path + query + body). */
export function verifyParams(specs: ParamSpecs, raw: Record<string, unknown>): Params {
  const errors: Record<string, string> = {};
  const out: Params = {};
  for (const [name, value] of Object.entries(raw)) {
    const spec = specFor(specs, name);
    if (!spec) {
      errors[name] = 'property is not defined in schema and the schema does not allow additional properties';
      continue;
    }
    const r = checkOne(spec, value);
    if (r.error) errors[name] = r.error;
    else out[name] = r.value!;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (name.endsWith('[n]')) continue;
    if (!spec.optional && !(name in raw)) errors[name] = 'property is missing and it is not optional';
    if (spec.requires && name in raw && !(spec.requires in raw)) errors[spec.requires] = `property is missing and it is not optional`;
  }
  if (Object.keys(errors).length) throw new ParamError(errors);
  return out;
}
