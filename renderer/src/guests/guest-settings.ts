// Which settings a guest's dialogs draw, from its platform's descriptor
// (facets.guests.settings): label (the platform's word where given), range, and
// what happens while the guest runs — changed live, saved for the next boot, or refused.
import type { TFunction } from 'i18next';
import { localized, type ProviderDescriptor } from '../../../shared/descriptor';
import type { GuestProperties, GuestSettingKey, GuestSettingRule, GuestsFacet } from '../../../shared/guests';
import type { InventoryNode } from '../../../shared/model';

export type GuestKind = 'vm' | 'container';

export function guestsFacet(descriptor: ProviderDescriptor | undefined): GuestsFacet | undefined {
  return descriptor?.facets.guests;
}

/** The rules that apply to this kind of guest, by key. */
export function rulesFor(facet: GuestsFacet | undefined, kind: GuestKind): Map<GuestSettingKey, GuestSettingRule> {
  const out = new Map<GuestSettingKey, GuestSettingRule>();
  for (const rule of facet?.settings ?? []) if (!rule.kinds || rule.kinds.includes(kind)) out.set(rule.key, rule);
  return out;
}

/** A template or a container counts by what it is; a template makes VMs unless the node says otherwise. */
export function guestKindOf(node: Pick<InventoryNode, 'kind'>): GuestKind {
  return node.kind === 'container' ? 'container' : 'vm';
}

export interface FieldState {
  /** why the field cannot be changed now (null: it can) */
  disabledReason: string | null;
  /** a change is saved now and applies at the next boot */
  nextBoot: boolean;
}

/** What a setting allows on a guest in this state; `hotAdd` is the guest's own (vSphere CPU / Memory Hot Add). */
export function fieldState(t: TFunction, rule: GuestSettingRule | undefined, running: boolean, hotAdd?: GuestProperties['hotAdd']): FieldState {
  if (!rule) return { disabledReason: t('guests.field.notOffered'), nextBoot: false };
  if (!running || rule.whileRunning === 'live') return { disabledReason: null, nextBoot: false };
  if (rule.liveWithHotAdd) {
    if (hotAdd?.[rule.liveWithHotAdd]) return { disabledReason: null, nextBoot: false };
    if (rule.whileRunning === 'no') return { disabledReason: rule.liveWithHotAdd === 'cpu' ? t('guests.field.needsHotAdd.cpu') : t('guests.field.needsHotAdd.memory'), nextBoot: false };
  }
  if (rule.whileRunning === 'no') return { disabledReason: t('guests.field.haltedOnly'), nextBoot: false };
  return { disabledReason: null, nextBoot: true };
}

/** The setting's label: the platform's own word where the descriptor gives one, ours otherwise. */
export function settingLabel(t: TFunction, language: string, rule: GuestSettingRule | undefined, fallbackKey: string): string {
  return rule?.label ? localized(rule.label, language) : t(fallbackKey);
}

/** Guests that run in the sense that matters for their settings. */
export function isRunning(node: Pick<InventoryNode, 'state'> | undefined): boolean {
  return node?.state === 'running' || node?.state === 'paused' || node?.state === 'suspended';
}

/** The platform's hint for a setting, in the UI's language. */
export function ruleHint(rule: GuestSettingRule | undefined, language: string): string | undefined {
  return rule?.hint ? localized(rule.hint, language) : undefined;
}
