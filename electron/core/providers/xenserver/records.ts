// The XAPI objects the inventory is built from, kept by class and ref.
// Records are used as the server sent them (JSON-RPC numbers, XML-RPC strings).

export type XapiRecord = Record<string, unknown>;

/** Classes the inventory watches (event classes are the lower-case names). */
export const WATCHED_CLASSES = ['pool', 'host', 'host_metrics', 'VM', 'VM_guest_metrics', 'VMSS', 'SR', 'PBD', 'network', 'PIF'] as const;

/** Classes a server may lack: VMSS came with XenServer 7.2; an older host answers MESSAGE_METHOD_UNKNOWN. */
export const OPTIONAL_CLASSES: ReadonlySet<string> = new Set(['VMSS']);

export const NULL_REF = 'OpaqueRef:NULL';

export interface XapiEvent {
  id?: unknown;
  class: string;
  operation: 'add' | 'mod' | 'del';
  ref: string;
  snapshot?: XapiRecord;
}

/**
 * The fields the inventory reads, per class. Large pools send ~90 fields per VM;
 * keeping only these holds a fraction of the memory. Classes not listed are kept whole.
 */
const KEPT_FIELDS: Record<string, readonly string[]> = {
  vm: [
    'uuid',
    'name_label',
    'name_description',
    'power_state',
    'resident_on',
    'is_a_template',
    'is_a_snapshot',
    'is_control_domain',
    'snapshot_of',
    'snapshots',
    'parent',
    'snapshot_time',
    'suspend_VDI',
    'allowed_operations',
    'memory_static_max',
    'VCPUs_at_startup',
    'VCPUs_max',
    'guest_metrics',
    'snapshot_schedule',
    'is_vmss_snapshot',
    'tags',
  ],
  vm_guest_metrics: ['uuid', 'os_version', 'networks'],
  // storage (issue 16): what the tree shows of an SR and which hosts have it plugged
  sr: ['uuid', 'name_label', 'name_description', 'type', 'content_type', 'shared', 'physical_size', 'physical_utilisation', 'PBDs', 'introduced_by', 'is_tools_sr', 'allowed_operations', 'tags'],
  pbd: ['host', 'SR', 'currently_attached'],
  // networks (issue 16): what the tree shows of a network and the PIFs that carry it
  network: ['uuid', 'name_label', 'name_description', 'bridge', 'MTU', 'PIFs'],
  pif: ['network', 'host', 'device', 'VLAN', 'MTU', 'physical', 'management', 'bond_master_of', 'bond_slave_of', 'currently_attached'],
};

/** Of a VM's other_config, the flag of built-in templates and XenCenter's folder. */
const VM_OTHER_CONFIG = ['default_template', 'folder'];
/** Of an SR's other_config, the keys XenCenter's rules read (hidden SRs) and its folder. */
const SR_OTHER_CONFIG = ['HideFromXenCenter', 'folder'];
/** Of a network's and a PIF's other_config, the keys XenCenter's rules read (hidden networks, the host-internal one). */
const NETWORK_OTHER_CONFIG = ['HideFromXenCenter', 'is_guest_installer_network', 'is_host_internal_management_network'];

/** A record reduced to what the inventory reads (see KEPT_FIELDS). */
export function keepNeeded(cls: string, record: XapiRecord): XapiRecord {
  const fields = KEPT_FIELDS[cls];
  if (!fields) return record;
  const out: XapiRecord = {};
  for (const field of fields) if (Object.hasOwn(record, field)) out[field] = record[field];
  if (cls === 'vm') {
    // of other_config only the flag that marks built-in templates and XenCenter's folder
    out.other_config = pick(map(record.other_config), VM_OTHER_CONFIG);
  }
  if (cls === 'sr') out.other_config = pick(map(record.other_config), SR_OTHER_CONFIG);
  if (cls === 'network' || cls === 'pif') out.other_config = pick(map(record.other_config), NETWORK_OTHER_CONFIG);
  return out;
}

function pick(from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (Object.hasOwn(from, k)) out[k] = from[k];
  return out;
}

export class XapiCache {
  readonly pool = new Map<string, XapiRecord>();
  readonly host = new Map<string, XapiRecord>();
  readonly host_metrics = new Map<string, XapiRecord>();
  readonly vm = new Map<string, XapiRecord>();
  readonly vm_guest_metrics = new Map<string, XapiRecord>();
  /** snapshot schedules (kept whole: a handful of small records) */
  readonly vmss = new Map<string, XapiRecord>();
  readonly sr = new Map<string, XapiRecord>();
  readonly pbd = new Map<string, XapiRecord>();
  readonly network = new Map<string, XapiRecord>();
  readonly pif = new Map<string, XapiRecord>();

  table(cls: string): Map<string, XapiRecord> | undefined {
    switch (cls.toLowerCase()) {
      case 'pool':
        return this.pool;
      case 'host':
        return this.host;
      case 'host_metrics':
        return this.host_metrics;
      case 'vm':
        return this.vm;
      case 'vm_guest_metrics':
        return this.vm_guest_metrics;
      case 'vmss':
        return this.vmss;
      case 'sr':
        return this.sr;
      case 'pbd':
        return this.pbd;
      case 'network':
        return this.network;
      case 'pif':
        return this.pif;
      default:
        return undefined;
    }
  }

  clear(): void {
    this.pool.clear();
    this.host.clear();
    this.host_metrics.clear();
    this.vm.clear();
    this.vm_guest_metrics.clear();
    this.vmss.clear();
    this.sr.clear();
    this.pbd.clear();
    this.network.clear();
    this.pif.clear();
  }
}

export function isRef(value: unknown): value is string {
  return typeof value === 'string' && value !== NULL_REF && value !== '';
}

/** A text field; anything that is not a scalar (a broken or hostile server) reads as empty. */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** A set of refs (or of enum values): only its strings. */
export function refs(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  for (const v of value) if (typeof v !== 'string') return value.filter((x): x is string => typeof x === 'string');
  return value as string[];
}

/** A (string → string) map; its values still need str(). */
export function map(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) ? (value as Record<string, unknown>) : {};
}

/** XAPI datetimes: `20091112T12:02:35Z` (compact ISO 8601), full ISO, or a Date (XML-RPC dateTime). */
export function isoTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string' || value === '') return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  // the common case (UTC, whole seconds) needs no Date: large pools have tens of thousands of snapshots
  if (m && m[7] === undefined && (m[8] === undefined || m[8] === 'Z') && +m[2]! >= 1 && +m[2]! <= 12 && +m[3]! >= 1 && +m[3]! <= 31 && +m[4]! < 24 && +m[5]! < 60 && +m[6]! < 60) {
    return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
  }
  const date = m
    ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${m[8] ?? 'Z'}`)
    : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
