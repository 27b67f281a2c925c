// The Properties dialog's draft: the guest's settings as read, what the user changed,
// and the GuestChanges that carry only those changes (with the revision read, so a
// concurrent edit is refused by the server rather than overwritten).
import type { GuestChanges, GuestProperties, GuestSettingKey, GuestSettingRule, RestartPolicy } from '../../../shared/guests';
import { formatSize, parseSize } from '../../../shared/sizes';
import { orderProblems, rangeOf, type MemoryRange } from './memory-range';

export interface PropertiesDraft {
  name: string;
  description: string;
  /** comma-separated */
  tags: string;
  vcpus: string;
  range: MemoryRange | null;
  reservation: string;
  limit: string;
  shares: string;
  /** '' = empty drive */
  isoId: string;
  bootOrder: string[];
  autoStart: boolean;
  /** cores, as text ('' = as read) */
  cpuLimit: string;
  restartPolicy: RestartPolicy | '';
}

const sizeText = (bytes: number | undefined): string => (bytes === undefined ? '' : formatSize(bytes).replace(' ', ''));

export function draftOf(props: GuestProperties): PropertiesDraft {
  return {
    name: props.name,
    description: props.description,
    tags: props.tags.join(', '),
    vcpus: props.vcpus === undefined ? '' : String(props.vcpus),
    range: props.memory ? rangeOf(props.memory) : null,
    reservation: sizeText(props.memory?.reservationBytes),
    limit: sizeText(props.memory?.limitBytes),
    shares: props.memory?.shares === undefined ? '' : String(props.memory.shares),
    isoId: props.cd?.isoId ?? '',
    bootOrder: props.bootOrder ?? [],
    autoStart: props.autoStart ?? false,
    cpuLimit: props.cpuLimit === undefined ? '' : String(props.cpuLimit),
    restartPolicy: props.restartPolicy ?? '',
  };
}

export type PropertiesField = 'name' | 'vcpus' | 'memory' | 'reservation' | 'limit' | 'shares' | 'cpuLimit';
export type PropertiesProblems = Partial<Record<PropertiesField, string>>;

export interface ProblemWords {
  required(field: PropertiesField): string;
  wholeNumber(field: PropertiesField): string;
  range(field: PropertiesField, min: number | undefined, max: number | undefined): string;
  notSize(field: PropertiesField): string;
  order(problem: ReturnType<typeof orderProblems>[number]): string;
  /** the range ends at the size (Proxmox's balloon) and its minimum is above it */
  minAboveSize(minBytes: number, sizeBytes: number): string;
  /** hot added while the guest runs, the setting only grows (vSphere Memory Hot Add) */
  growOnly(field: PropertiesField): string;
}

const optionalSize = (text: string): number | null | undefined => {
  if (!text.trim()) return null;
  const parsed = parseSize(text, 'mib');
  return parsed.ok ? parsed.bytes : undefined;
};

/** `running`: the guest's settings as read, when it runs (what hot add allows depends on them). */
export function propertiesProblems(draft: PropertiesDraft, rules: Map<GuestSettingKey, GuestSettingRule>, words: ProblemWords, vcpusMax?: number, running?: GuestProperties): PropertiesProblems {
  const out: PropertiesProblems = {};
  if (!draft.name.trim()) out.name = words.required('name');
  if (rules.has('vcpus') && draft.vcpus !== '') {
    const rule = rules.get('vcpus')!;
    const n = Number(draft.vcpus);
    const max = Math.min(rule.max ?? Infinity, vcpusMax ?? Infinity);
    if (!/^\d+$/.test(draft.vcpus.trim()) || n < 1) out.vcpus = words.wholeNumber('vcpus');
    else if ((rule.min !== undefined && n < rule.min) || n > max) out.vcpus = words.range('vcpus', rule.min, Number.isFinite(max) ? max : undefined);
  }
  if (draft.range) {
    // without a static minimum of its own (Proxmox VE) the read one is only the old dynamic minimum: no bound
    const order = orderProblems(draft.range).filter((o) => o !== 'staticMinAboveDynamicMin' || rules.has('memory.staticMin'));
    if (rules.get('memory.dynamic')?.endsAtSize && draft.range.dynamicMin > draft.range.staticMax) out.memory = words.minAboveSize(draft.range.dynamicMin, draft.range.staticMax);
    else if (order.length) out.memory = words.order(order[0]);
    else if (draft.range.staticMax <= 0) out.memory = words.required('memory');
    const hotAdded = rules.get('memory.size')?.liveWithHotAdd === 'memory' && running?.hotAdd?.memory;
    if (!out.memory && hotAdded && running.memory && draft.range.staticMax < running.memory.sizeBytes) out.memory = words.growOnly('memory');
  }
  for (const field of ['reservation', 'limit'] as const) {
    if (rules.has(`memory.${field}`) && optionalSize(draft[field]) === undefined) out[field] = words.notSize(field);
  }
  if (rules.has('memory.shares') && draft.shares.trim() && !/^\d+$/.test(draft.shares.trim())) out.shares = words.wholeNumber('shares');
  if (rules.has('cpuLimit') && draft.cpuLimit.trim() && !(Number(draft.cpuLimit) >= (rules.get('cpuLimit')!.min ?? 0))) out.cpuLimit = words.range('cpuLimit', rules.get('cpuLimit')!.min ?? 0, undefined);
  return out;
}

const splitTags = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Only what differs from what was read; the revision read goes with it. */
export function changesOf(before: GuestProperties, draft: PropertiesDraft, rules: Map<GuestSettingKey, GuestSettingRule>): GuestChanges {
  const was = draftOf(before);
  const out: GuestChanges = {};
  if (draft.name.trim() !== was.name) out.name = draft.name.trim();
  if (draft.description !== was.description) out.description = draft.description;
  if (splitTags(draft.tags).join('\n') !== splitTags(was.tags).join('\n')) out.tags = splitTags(draft.tags);
  if (draft.vcpus !== was.vcpus && draft.vcpus !== '') out.vcpus = Number(draft.vcpus);
  const memory: NonNullable<GuestChanges['memory']> = {};
  if (draft.range && was.range) {
    if (draft.range.staticMax !== was.range.staticMax) memory.sizeBytes = draft.range.staticMax;
    if (rules.has('memory.staticMin') && draft.range.staticMin !== was.range.staticMin) memory.staticMinBytes = draft.range.staticMin;
    // the dynamic range is set as a pair (XAPI set_memory_dynamic_range takes both ends); where it
    // ends at the size (Proxmox) its maximum only follows the size, and the minimum alone is the change
    const endsAtSize = rules.get('memory.dynamic')?.endsAtSize === true;
    const dynamicChanged = draft.range.dynamicMin !== was.range.dynamicMin || (!endsAtSize && draft.range.dynamicMax !== was.range.dynamicMax);
    if (rules.has('memory.dynamic') && dynamicChanged) {
      memory.dynamicMinBytes = draft.range.dynamicMin;
      memory.dynamicMaxBytes = draft.range.dynamicMax;
    }
  }
  for (const [field, key] of [['reservation', 'reservationBytes'], ['limit', 'limitBytes']] as const) {
    const bytes = optionalSize(draft[field]);
    if (draft[field] !== was[field] && typeof bytes === 'number') memory[key] = bytes;
  }
  if (draft.shares !== was.shares && draft.shares.trim()) memory.shares = Number(draft.shares);
  if (Object.keys(memory).length) out.memory = memory;
  if (draft.isoId !== was.isoId) out.isoId = draft.isoId === '' ? null : draft.isoId;
  if (draft.bootOrder.join(',') !== was.bootOrder.join(',')) out.bootOrder = draft.bootOrder;
  if (draft.autoStart !== was.autoStart) out.autoStart = draft.autoStart;
  if (draft.cpuLimit !== was.cpuLimit && draft.cpuLimit.trim()) out.cpuLimit = Number(draft.cpuLimit);
  if (draft.restartPolicy !== was.restartPolicy && draft.restartPolicy !== '') out.restartPolicy = draft.restartPolicy;
  if (Object.keys(out).length && before.revision !== undefined) out.revision = before.revision;
  return out;
}

/** The settings a change touches, for "applies at next boot" after saving. */
export function changedKeys(changes: GuestChanges): GuestSettingKey[] {
  const keys: GuestSettingKey[] = [];
  const direct = ['name', 'description', 'vcpus', 'bootOrder', 'autoStart', 'tags', 'cpuLimit', 'restartPolicy'] as const;
  for (const key of direct) if (changes[key] !== undefined) keys.push(key);
  if (changes.isoId !== undefined) keys.push('cd');
  const m = changes.memory;
  if (m?.sizeBytes !== undefined) keys.push('memory.size');
  if (m?.staticMinBytes !== undefined) keys.push('memory.staticMin');
  if (m?.dynamicMinBytes !== undefined || m?.dynamicMaxBytes !== undefined) keys.push('memory.dynamic');
  if (m?.reservationBytes !== undefined) keys.push('memory.reservation');
  if (m?.limitBytes !== undefined) keys.push('memory.limit');
  if (m?.shares !== undefined) keys.push('memory.shares');
  return keys;
}
