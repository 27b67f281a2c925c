// What a provider declares about itself, as plain data: the add/edit-server form,
// how its login and address read, its snapshot-name rule and its capability facets.
// The renderer draws forms from it, the CLI builds its options from it, and the
// core validates saved servers against it; nothing outside a provider folder
// hard-codes a hypervisor's fields. (Podman Desktop's declared properties are the model.)

import type { ActionName, Capabilities } from './model';
import type { PropertyReading } from './property-reading';
import type { GuestsFacet } from './guests';
import type { NotificationsFacet } from './notifications';
import type { MetricsFacet } from './metrics';
import type { AccessFacet } from './access';
import type { StorageFacet } from './storage';
import type { LabelsFacet } from './labels';
import type { NetworksFacet } from './networks';
import type { ExternalViewer } from './external-consoles';

/** Text in every language the UI speaks. */
export interface LocalizedText {
  en: string;
  'zh-CN': string;
}

export type FieldValue = string | number | boolean;

/** The four fields every server has; everything else is a provider option. */
export const STANDARD_FIELDS = ['host', 'port', 'username', 'password'] as const;
export type StandardField = (typeof STANDARD_FIELDS)[number];

/** A field is shown and used only while its condition holds (e.g. Docker's socket path in socket mode). */
export interface FieldCondition {
  field: string;
  equals?: FieldValue;
  notEquals?: FieldValue;
  /** true: the field has a non-empty value; false: it has none */
  present?: boolean;
}

export interface ConnectionField {
  /** 'host' | 'port' | 'username' | 'password', or the key in ServerDraft.options */
  key: string;
  type: 'text' | 'integer' | 'boolean' | 'choice' | 'secret' | 'path';
  label: LocalizedText;
  /** replaces the label while a condition holds (Proxmox: "API token secret" once a token id is set) */
  labelWhen?: Array<{ when: FieldCondition; label: LocalizedText }>;
  hint?: LocalizedText;
  placeholder?: LocalizedText;
  default?: FieldValue;
  /** the value saved while the field is hidden by `when` (Docker's host in socket mode) */
  valueWhenHidden?: FieldValue;
  required?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  /** a regular expression (source) the whole text value must match */
  pattern?: string;
  choices?: Array<{ value: string; label: LocalizedText }>;
  when?: FieldCondition;
  /** tuning knobs: not drawn in the dialog; the CLI, imports and tests may set them */
  advanced?: boolean;
  /** the CLI asks for it on stdin or an environment variable, never on the command line */
  secret?: boolean;
}

/** The first rule whose condition holds gives the text; `{key}` is replaced by that field's value. */
export interface DisplayRule {
  when?: FieldCondition;
  template: string;
}

export interface SnapshotNameRule {
  /** a regular expression (source) a name must match; absent = any non-empty name */
  pattern?: string;
  maxLength?: number;
  /** what the rule allows, in words */
  hint?: LocalizedText;
  /** `{vm}` and `{yyyy} {MM} {dd} {HH} {mm} {ss}` in local time */
  defaultTemplate: string;
}

export interface ProviderFacets extends Capabilities {
  /** containers have a log to read (Docker) */
  logs: boolean;
  /** reverting recreates the object (Docker): its id changes, the confirmation says so */
  revertRecreates: boolean;
  /** text consoles start a process and the user may pick the shell (Docker exec) */
  consoleShellChoice: boolean;
  /** hosts have a text console of their own (Proxmox node shell, XAPI control domain); absent = none */
  hostConsole?: boolean;
  /** viewers outside the window the platform can hand a guest to (issue 18); rdp/ssh only where the guest's OS and address are known */
  externalViewers?: ExternalViewer[];
  /** a guest's OS and addresses are asked of its agent when RDP/SSH is chosen (Proxmox), not carried in the inventory */
  guestAgentFacts?: boolean;
  /** why the window shows no console of a guest where it shows none (vSphere: WebMKS needs AcquireTicket) */
  inAppConsoleNote?: LocalizedText;
  /** what snapshot_edit may change: both, only the description (Proxmox: names are keys), or nothing */
  snapshotEdit: 'name-and-description' | 'description' | 'none';
  /** snapshot_clone: a new VM or container from a snapshot */
  snapshotClone: boolean;
  /** snapshot_template: a template from a snapshot */
  snapshotToTemplate: boolean;
  /** the server runs snapshot policies itself (XAPI VMSS); otherwise Polyvisor runs them */
  serverPolicies: boolean;
  /** reverting to a memory snapshot leaves the VM running where it was (the provider resumes it where the platform does not) */
  memoryRevertResumes: boolean;
  /** the most snapshots a policy the server runs may keep per VM (XAPI VMSS retained_snapshots: 10); absent = no limit of the server's */
  policyRetainMax?: number;
  /** moving VMs (issue 13): 'live' while running, 'offline' stops them first (Docker), 'none' where the platform cannot */
  migration: 'live' | 'offline' | 'none';
  /** moves to another server of this type: XAPI cross-pool storage migration, Docker engine to engine */
  crossServerMigration: boolean;
  /** host maintenance mode as the platform names it (Proxmox: "every guest migrated away"); absent = none */
  maintenanceMode?: LocalizedText;
  /** making, changing and removing guests (issue 14); absent = none of it */
  guests?: GuestsFacet;
  /** alerts and everyone's tasks/events (issue 15, the Notifications view); absent = none */
  notifications?: NotificationsFacet;
  /** performance data (issue 15): which node kinds, which timeframes; absent = none */
  metrics?: MetricsFacet;
  /** storage in the tree, its disks, rescan (issue 16); absent = none */
  /** users and access (issue 16): directory join, users and groups with roles, ACLs, tokens; absent = none */
  access?: AccessFacet;
  storage?: StorageFacet;
  /** tags and folders the server keeps (issue 16); absent = Polyvisor's own for everything */
  labels?: LabelsFacet;
  /** networks in the tree, making and deleting them, a guest's NICs (issue 16); absent = none */
  networks?: NetworksFacet;
}

export interface ProviderDescriptor {
  type: string;
  displayName: LocalizedText;
  /** the family's colour and a mark drawn in a 14×14 box (an SVG path) */
  mark: { color: string; path: string };
  defaultPort: number;
  /** the add/edit-server form, in order */
  fields: ConnectionField[];
  /**
   * address and login: from the server's fields. guest: a VM's or container's label in the
   * tree, from `{name}` and its props (Proxmox: "100 (web01)", as its own UI shows guests).
   */
  display: { address: DisplayRule[]; login: DisplayRule[]; guest?: DisplayRule[] };
  snapshotName: SnapshotNameRule;
  facets: ProviderFacets;
  /** the platform's own words for actions (Docker: Stop, Restart, Kill) */
  actionLabels?: Partial<Record<ActionName, LocalizedText>>;
  /** how the details pages read its properties: repeats hidden, raw values in words */
  properties?: PropertyReading;
}

export type FieldValues = Record<string, FieldValue | undefined>;

export function localized(text: LocalizedText, language: string): string {
  return language.startsWith('zh') ? text['zh-CN'] : text.en;
}

function isPresent(v: FieldValue | undefined): boolean {
  return v !== undefined && v !== '' && v !== false;
}

export function conditionHolds(c: FieldCondition | undefined, values: FieldValues, fields: ConnectionField[]): boolean {
  if (!c) return true;
  const v = valueOf(c.field, values, fields);
  if (c.present !== undefined && isPresent(v) !== c.present) return false;
  if (c.equals !== undefined && v !== c.equals) return false;
  if (c.notEquals !== undefined && v === c.notEquals) return false;
  return true;
}

/** A field's value, or its default when none was given. */
export function valueOf(key: string, values: FieldValues, fields: ConnectionField[]): FieldValue | undefined {
  const v = Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined;
  if (v !== undefined && v !== '') return v;
  return fields.find((f) => f.key === key)?.default ?? v;
}

export function fieldVisible(field: ConnectionField, values: FieldValues, fields: ConnectionField[]): boolean {
  return conditionHolds(field.when, values, fields);
}

export function fieldLabel(field: ConnectionField, values: FieldValues, fields: ConnectionField[]): LocalizedText {
  return field.labelWhen?.find((l) => conditionHolds(l.when, values, fields))?.label ?? field.label;
}

export function formatDisplay(rules: DisplayRule[], values: FieldValues, fields: ConnectionField[]): string {
  const rule = rules.find((r) => conditionHolds(r.when, values, fields));
  if (!rule) return '';
  return rule.template.replace(/\{(\w+)\}/g, (_m, key: string) => String(valueOf(key, values, fields) ?? ''));
}

/** Why a value does not fit its field; null when it does. Codes let each side word the message. */
export type FieldProblem =
  | { code: 'required' }
  | { code: 'type'; expected: 'text' | 'integer' | 'boolean' }
  | { code: 'range'; min?: number; max?: number }
  | { code: 'tooLong'; maxLength: number }
  | { code: 'pattern' }
  | { code: 'choice'; choices: string[] };

export function fieldProblem(field: ConnectionField, value: FieldValue | undefined): FieldProblem | null {
  const empty = value === undefined || value === '';
  if (empty) return field.required ? { code: 'required' } : null;
  switch (field.type) {
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n)) return { code: 'type', expected: 'integer' };
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) return { code: 'range', min: field.min, max: field.max };
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : { code: 'type', expected: 'boolean' };
    case 'choice': {
      const choices = (field.choices ?? []).map((c) => c.value);
      return typeof value === 'string' && choices.includes(value) ? null : { code: 'choice', choices };
    }
    default: {
      if (typeof value !== 'string') return { code: 'type', expected: 'text' };
      if (field.maxLength !== undefined && value.length > field.maxLength) return { code: 'tooLong', maxLength: field.maxLength };
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(value)) return { code: 'pattern' };
      return null;
    }
  }
}

/** English wording of a field problem (the core's INVALID_INPUT; the renderer translates the codes itself). */
export function describeFieldProblem(field: ConnectionField, problem: FieldProblem): string {
  const name = field.label.en;
  switch (problem.code) {
    case 'required':
      return `${name} is required.`;
    case 'type':
      return `${name} must be ${problem.expected === 'integer' ? 'a whole number' : problem.expected === 'boolean' ? 'true or false' : 'text'}.`;
    case 'range':
      return `${name} must be ${problem.min !== undefined && problem.max !== undefined ? `between ${problem.min} and ${problem.max}` : problem.min !== undefined ? `at least ${problem.min}` : `at most ${problem.max}`}.`;
    case 'tooLong':
      return `${name} must be at most ${problem.maxLength} characters.`;
    case 'pattern':
      return `${name} is not in the expected form${field.hint ? ` (${field.hint.en})` : ''}.`;
    case 'choice':
      return `${name} must be one of ${problem.choices.join(', ')}.`;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The default name of a snapshot of `vmName` taken at `now`, as the platform accepts it. */
export function defaultSnapshotName(rule: SnapshotNameRule, vmName: string, now: Date): string {
  const parts: Record<string, string> = {
    vm: vmName,
    yyyy: String(now.getFullYear()),
    MM: pad(now.getMonth() + 1),
    dd: pad(now.getDate()),
    HH: pad(now.getHours()),
    mm: pad(now.getMinutes()),
    ss: pad(now.getSeconds()),
  };
  const name = rule.defaultTemplate.replace(/\{(\w+)\}/g, (m, key: string) => parts[key] ?? m);
  return rule.maxLength ? name.slice(0, rule.maxLength) : name;
}

/** Null when the platform accepts the name; otherwise the reason in English. */
export function snapshotNameProblem(rule: SnapshotNameRule, name: string): string | null {
  if (!name.trim()) return 'The snapshot needs a name.';
  if (rule.maxLength !== undefined && name.length > rule.maxLength) return `A snapshot name has at most ${rule.maxLength} characters here.`;
  if (rule.pattern && !new RegExp(`^(?:${rule.pattern})$`).test(name)) return `This name is not allowed here${rule.hint ? `: ${rule.hint.en}` : ''}.`;
  return null;
}
