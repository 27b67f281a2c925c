// The New VM wizard's draft: what the user typed (sizes as text), its defaults from
// the chosen template, the problems of each page (the field named, in words), and
// the GuestCreateSpec it turns into. Pure functions, so the pages only draw.
import type { TFunction } from 'i18next';
import type { CreateOptions, CustomizationFacet, GuestCreateSpec, GuestSettingKey, GuestSettingRule, TemplateChoice } from '../../../shared/guests';
import { customizationFields } from '../../../shared/cloud-init';
import { customizationProblems, customizationSpecOf, emptyCustomization, type CustomizationDraft, type CustomizationField } from './customization-draft';
import { formatSize, parseSize } from '../../../shared/sizes';
import { containerProblems, containerSpecOf, emptyContainer, type ContainerDraft, type ContainerField } from './container-draft';

// XenCenter's order: the home server before storage, so that storage local to one host is offered only on it
export const WIZARD_STEPS = ['server', 'template', 'name', 'install', 'host', 'resources', 'disks', 'networks', 'finish'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export interface DiskDraft {
  size: string;
  /** '' = the server's default storage */
  storageId: string;
  fromTemplate: boolean;
}

export interface WizardDraft extends CustomizationDraft {
  serverId: string | null;
  templateId: string | null;
  name: string;
  description: string;
  vcpus: string;
  memory: string;
  dynamicMin: string;
  dynamicMax: string;
  reservation: string;
  limit: string;
  shares: string;
  disks: DiskDraft[];
  networks: string[];
  isoId: string;
  /** '' = any host */
  hostId: string;
  start: boolean;
  /** a container from an image (where the platform has images) */
  container: ContainerDraft;
}

export type WizardField =
  | 'server'
  | 'template'
  | 'name'
  | 'vcpus'
  | 'memory'
  | 'dynamicMin'
  | 'dynamicMax'
  | 'reservation'
  | 'limit'
  | 'shares'
  | `disk${number}`
  | CustomizationField
  | ContainerField;

export type WizardProblems = Partial<Record<WizardField, string>>;

export function stepOfField(field: WizardField): WizardStep {
  if (field === 'server' || field === 'template' || field === 'name') return field;
  if (field.startsWith('disk')) return 'disks';
  if (field.startsWith('ci') || field.startsWith('ct')) return 'install';
  return 'resources';
}

export function emptyDraft(serverId: string | null): WizardDraft {
  return {
    serverId,
    templateId: null,
    name: '',
    description: '',
    vcpus: '1',
    memory: '',
    dynamicMin: '',
    dynamicMax: '',
    reservation: '',
    limit: '',
    shares: '',
    disks: [],
    networks: [],
    isoId: '',
    ...emptyCustomization(),
    hostId: '',
    start: true,
    container: emptyContainer(),
  };
}

const sizeText = (bytes: number | undefined): string => (bytes === undefined ? '' : formatSize(bytes).replace(' ', ''));

/** The draft with a template chosen: its vCPUs, memory and disks become the defaults. */
export function withTemplate(draft: WizardDraft, template: TemplateChoice, options: CreateOptions): WizardDraft {
  const memory = template.memory;
  const defaultNetwork = options.networks.find((n) => n.isDefault) ?? options.networks[0];
  return {
    ...draft,
    templateId: template.id,
    vcpus: String(template.vcpus ?? 1),
    memory: sizeText(memory?.sizeBytes),
    dynamicMin: sizeText(memory?.dynamicMinBytes),
    dynamicMax: sizeText(memory?.dynamicMaxBytes),
    reservation: sizeText(memory?.reservationBytes),
    limit: sizeText(memory?.limitBytes),
    shares: memory?.shares === undefined ? '' : String(memory.shares),
    disks: (template.disks ?? []).map((d) => ({ size: sizeText(d.sizeBytes), storageId: d.storageId ?? '', fromTemplate: true })),
    networks: draft.networks.length || !defaultNetwork ? draft.networks : [defaultNetwork.id],
    isoId: '',
  };
}

export interface DraftContext {
  t: TFunction;
  options: CreateOptions | null;
  template: TemplateChoice | undefined;
  rules: Map<GuestSettingKey, GuestSettingRule>;
  /** the platform makes containers from images: the container fields are asked for */
  containerFields?: boolean;
  /** the platform's customization facet (absent: cloud-init's fields) */
  customization?: CustomizationFacet;
  /** the field's label as the page shows it */
  label(field: WizardField): string;
}

/** `zeroAllowed`: the platform takes 0 (a reservation of none, an unlimited limit, Proxmox's balloon off). */
function sizeProblem(ctx: DraftContext, field: WizardField, text: string, required: boolean, zeroAllowed = false): { bytes?: number; problem?: string } {
  if (!text.trim()) return required ? { problem: ctx.t('guests.problem.required', { field: ctx.label(field) }) } : {};
  const parsed = parseSize(text, 'mib');
  if (!parsed.ok) return { problem: ctx.t('guests.problem.notSize', { field: ctx.label(field), text }) };
  if (parsed.bytes < 0 || (parsed.bytes === 0 && !zeroAllowed)) return { problem: ctx.t('guests.problem.positive', { field: ctx.label(field) }) };
  return { bytes: parsed.bytes };
}

function rangeProblem(ctx: DraftContext, field: WizardField, value: number, rule: GuestSettingRule | undefined, max: number | undefined, show: (n: number) => string): string | undefined {
  const lo = rule?.min;
  const hi = Math.min(rule?.max ?? Infinity, max ?? Infinity);
  if (lo !== undefined && value < lo) return ctx.t('guests.problem.atLeast', { field: ctx.label(field), min: show(lo) });
  if (Number.isFinite(hi) && value > hi) return ctx.t('guests.problem.atMost', { field: ctx.label(field), max: show(hi) });
  return undefined;
}

/** Every problem of the draft, by field; a page may go on when none of its fields has one. */
export function draftProblems(draft: WizardDraft, ctx: DraftContext): WizardProblems {
  const out: WizardProblems = {};
  const { t, options, template, rules } = ctx;
  if (!draft.serverId) out.server = t('guests.problem.chooseServer');
  if (!template) out.template = t('guests.problem.chooseTemplate');
  if (!draft.name.trim()) out.name = t('guests.problem.required', { field: ctx.label('name') });
  const vcpus = Number(draft.vcpus);
  if (!/^\d+$/.test(draft.vcpus.trim()) || vcpus < 1) out.vcpus = t('guests.problem.wholeNumber', { field: ctx.label('vcpus') });
  else out.vcpus = rangeProblem(ctx, 'vcpus', vcpus, rules.get('vcpus'), options?.maxVcpus, String);
  const memory = sizeProblem(ctx, 'memory', draft.memory, true);
  out.memory = memory.problem ?? (memory.bytes !== undefined ? rangeProblem(ctx, 'memory', memory.bytes, rules.get('memory.size'), options?.maxMemoryBytes, formatSize) : undefined);
  if (rules.get('memory.dynamic')?.endsAtSize) {
    // Proxmox: the balloon's range ends at the memory; only its minimum is typed
    const min = sizeProblem(ctx, 'dynamicMin', draft.dynamicMin, false, rules.get('memory.dynamic')?.min === 0);
    out.dynamicMin = min.problem;
    if (min.bytes !== undefined && memory.bytes !== undefined && min.bytes > memory.bytes) {
      out.dynamicMin = t('guests.memory.minAboveSize', { min: ctx.label('dynamicMin'), minSize: formatSize(min.bytes), size: ctx.label('memory'), sizeSize: formatSize(memory.bytes) });
    }
  } else if (rules.has('memory.dynamic')) {
    const min = sizeProblem(ctx, 'dynamicMin', draft.dynamicMin, false);
    const max = sizeProblem(ctx, 'dynamicMax', draft.dynamicMax, false);
    out.dynamicMin = min.problem;
    out.dynamicMax = max.problem;
    if (min.bytes !== undefined && max.bytes !== undefined && min.bytes > max.bytes) out.dynamicMin = t('guests.problem.minAboveMax');
    if (max.bytes !== undefined && memory.bytes !== undefined && max.bytes > memory.bytes) out.dynamicMax = t('guests.problem.dynamicAboveStatic');
  }
  for (const [field, key] of [['reservation', 'memory.reservation'], ['limit', 'memory.limit']] as const) {
    if (rules.has(key)) out[field] = sizeProblem(ctx, field, draft[field], false, rules.get(key)?.min === 0).problem;
  }
  if (rules.has('memory.shares') && draft.shares.trim() && !/^\d+$/.test(draft.shares.trim())) out.shares = t('guests.problem.wholeNumber', { field: ctx.label('shares') });
  draft.disks.forEach((disk, i) => {
    const field = `disk${i}` as const;
    const size = sizeProblem(ctx, field, disk.size, true);
    // a template's disk that is copied may grow; no platform shrinks it (a blank VM's default disk is new: any size)
    const own = disk.fromTemplate && template?.copiesDisks ? template.disks?.[i]?.sizeBytes : undefined;
    out[field] = size.problem ?? (own !== undefined && size.bytes !== undefined && size.bytes < own ? t('guests.problem.diskShrink', { field: ctx.label(field), size: formatSize(own) }) : undefined);
  });
  if (template?.install.includes('cloud-init')) {
    Object.assign(out, customizationProblems(draft, customizationFields(ctx), ctx.customization, t, ctx.label));
  }
  if (template?.makes === 'container' && ctx.containerFields) {
    for (const [field, line] of Object.entries(containerProblems(draft.container)) as Array<[ContainerField, string]>) {
      out[field] = t('guests.problem.line', { field: ctx.label(field), line });
    }
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as WizardProblems;
}

export function problemsOfStep(problems: WizardProblems, step: WizardStep): WizardField[] {
  return (Object.keys(problems) as WizardField[]).filter((field) => stepOfField(field) === step);
}

/** The storages a disk may go to: those on every host, and one host's own only when the VM's home is that host. */
export function storagesFor(draft: Pick<WizardDraft, 'hostId'>, options: CreateOptions): CreateOptions['storages'] {
  return options.storages.filter((s) => !s.hostId || s.hostId === draft.hostId);
}

/** The storage a disk without a choice goes to: the server's default (among those offered), else the first. */
export function defaultStorageFor(draft: Pick<WizardDraft, 'hostId'>, options: CreateOptions): CreateOptions['storages'][number] | undefined {
  const offered = storagesFor(draft, options);
  return offered.find((s) => s.isDefault) ?? offered[0];
}

/** The draft with another home host: a disk on storage local to a different host goes back to the default. */
export function withHost(draft: WizardDraft, hostId: string, options: CreateOptions): WizardDraft {
  const offered = new Set(storagesFor({ hostId }, options).map((s) => s.id));
  return { ...draft, hostId, disks: draft.disks.map((d) => (d.storageId && !offered.has(d.storageId) ? { ...d, storageId: '' } : d)) };
}

/** Disks whose size is more than their storage has free (a warning: thin storage may still take them). */
export function disksThatDoNotFit(draft: WizardDraft, options: CreateOptions): number[] {
  const fallback = defaultStorageFor(draft, options);
  const wanted = new Map<string, number>();
  const out: number[] = [];
  draft.disks.forEach((disk, i) => {
    const storage = options.storages.find((s) => s.id === disk.storageId) ?? fallback;
    const parsed = parseSize(disk.size, 'mib');
    if (!storage || storage.freeBytes === undefined || !parsed.ok) return;
    const total = (wanted.get(storage.id) ?? 0) + parsed.bytes;
    wanted.set(storage.id, total);
    if (total > storage.freeBytes) out.push(i);
  });
  return out;
}

const bytesOf = (text: string): number | undefined => {
  const parsed = parseSize(text, 'mib');
  return text.trim() && parsed.ok ? parsed.bytes : undefined;
};

/** The request the wizard sends; only what the platform declares, and no empty cloud-init field. */
export function specOf(draft: WizardDraft, rules: Map<GuestSettingKey, GuestSettingRule>, template: TemplateChoice, containerFields = false, customization?: CustomizationFacet): GuestCreateSpec {
  const memory: NonNullable<GuestCreateSpec['memory']> = {};
  const size = bytesOf(draft.memory);
  if (size !== undefined) memory.sizeBytes = size;
  if (rules.has('memory.dynamic')) {
    const min = bytesOf(draft.dynamicMin);
    const max = bytesOf(draft.dynamicMax);
    if (min !== undefined) memory.dynamicMinBytes = min;
    // where the range ends at the size (Proxmox) its maximum is the memory: not sent apart
    if (max !== undefined && !rules.get('memory.dynamic')?.endsAtSize) memory.dynamicMaxBytes = max;
  }
  const reservation = rules.has('memory.reservation') ? bytesOf(draft.reservation) : undefined;
  const limit = rules.has('memory.limit') ? bytesOf(draft.limit) : undefined;
  if (reservation !== undefined) memory.reservationBytes = reservation;
  if (limit !== undefined) memory.limitBytes = limit;
  if (rules.has('memory.shares') && draft.shares.trim()) memory.shares = Number(draft.shares);
  const cloudInit = customizationSpecOf(draft, customizationFields({ customization }));
  return {
    templateId: template.id,
    name: draft.name.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    // a container with no vCPU setting (Docker: a CPU limit instead) is sent none
    ...(template.makes === 'container' && !rules.has('vcpus') ? {} : { vcpus: Number(draft.vcpus) }),
    memory,
    disks: draft.disks.map((d) => ({ sizeBytes: bytesOf(d.size) ?? 0, ...(d.storageId ? { storageId: d.storageId } : {}) })),
    networks: draft.networks.map((networkId) => ({ networkId })),
    ...(template.install.includes('iso') && draft.isoId ? { isoId: draft.isoId } : {}),
    ...(template.install.includes('cloud-init') && Object.keys(cloudInit).length ? { cloudInit } : {}),
    ...(draft.hostId ? { hostId: draft.hostId } : {}),
    start: draft.start,
    ...(containerFields && template.makes === 'container'
      ? { container: containerSpecOf(draft.container, { restartPolicy: rules.has('restartPolicy'), cpuLimit: rules.has('cpuLimit') }) }
      : {}),
  };
}
