// What each section of the Properties dialog gets.
import type { GuestProperties, GuestSettingKey, GuestSettingRule } from '../../../shared/guests';
import type { FieldState } from './guest-settings';
import type { PropertiesDraft, PropertiesProblems } from './properties-draft';

export interface SectionProps {
  props: GuestProperties;
  draft: PropertiesDraft;
  change(changes: Partial<PropertiesDraft>): void;
  problems: PropertiesProblems;
  rules: Map<GuestSettingKey, GuestSettingRule>;
  /** the field's state on this guest now: disabled with a reason, or marked "applies at next boot" */
  state(key: GuestSettingKey): FieldState;
  label(key: GuestSettingKey, fallbackKey: string): string;
}

export const SECTIONS = ['general', 'cpu', 'memory', 'cd', 'boot'] as const;
export type Section = (typeof SECTIONS)[number];

/** The settings each section draws; a section with none of them declared is not shown. */
export const SECTION_KEYS: Record<Section, GuestSettingKey[]> = {
  general: ['name', 'description', 'tags'],
  cpu: ['vcpus', 'cpuLimit'],
  memory: ['memory.size', 'memory.staticMin', 'memory.dynamic', 'memory.reservation', 'memory.limit', 'memory.shares'],
  cd: ['cd'],
  boot: ['bootOrder', 'autoStart', 'restartPolicy'],
};
