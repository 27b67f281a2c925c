// The labels of the guest forms' fields: the platform's own word where its descriptor
// gives one (Proxmox "Minimum memory (ballooning)", vSphere "Reservation"), ours otherwise.
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import type { GuestSettingKey, GuestSettingRule } from '../../../shared/guests';
import type { WizardField } from './wizard-draft';
import { settingLabel } from './guest-settings';

type Labelled = WizardField | 'description' | 'staticMin' | 'dynamicRange';

const RULE_OF: Partial<Record<string, GuestSettingKey>> = {
  name: 'name',
  description: 'description',
  vcpus: 'vcpus',
  memory: 'memory.size',
  staticMin: 'memory.staticMin',
  dynamicRange: 'memory.dynamic',
  ctCpus: 'cpuLimit',
  reservation: 'memory.reservation',
  limit: 'memory.limit',
  shares: 'memory.shares',
};

export function useFieldLabels(rules: Map<GuestSettingKey, GuestSettingRule>): (field: Labelled) => string {
  const { t, i18n } = useTranslation();
  return (field) => {
    if (field.startsWith('disk')) return t('guests.field.diskSize');
    if (field === 'server' || field === 'template') return t(`guests.wizard.step.${field}`);
    const ends = rules.get('memory.dynamic')?.bounds;
    if (ends && (field === 'dynamicMin' || field === 'dynamicMax')) return localized(field === 'dynamicMin' ? ends.min : ends.max, i18n.language);
    const rule = RULE_OF[field];
    return settingLabel(t, i18n.language, rule ? rules.get(rule) : undefined, `guests.field.${field}`);
  };
}
