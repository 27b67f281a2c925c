// The Properties dialog's problems in the user's words, each naming its field.
import { useTranslation } from 'react-i18next';
import type { GuestSettingKey, GuestSettingRule } from '../../../shared/guests';
import { settingLabel } from './guest-settings';
import type { ProblemWords, PropertiesField } from './properties-draft';

const RULE: Record<PropertiesField, GuestSettingKey> = {
  name: 'name',
  vcpus: 'vcpus',
  memory: 'memory.size',
  reservation: 'memory.reservation',
  limit: 'memory.limit',
  shares: 'memory.shares',
  cpuLimit: 'cpuLimit',
};

export function useProblemWords(rules: Map<GuestSettingKey, GuestSettingRule>): ProblemWords {
  const { t, i18n } = useTranslation();
  const field = (f: PropertiesField) => settingLabel(t, i18n.language, rules.get(RULE[f]), `guests.field.${f}`);
  return {
    required: (f) => t('guests.problem.required', { field: field(f) }),
    wholeNumber: (f) => t('guests.problem.wholeNumber', { field: field(f) }),
    notSize: (f) => t('guests.problem.notSizeShort', { field: field(f) }),
    range: (f, min, max) =>
      min !== undefined && max !== undefined
        ? t('guests.problem.between', { field: field(f), min, max })
        : max !== undefined
          ? t('guests.problem.atMost', { field: field(f), max })
          : t('guests.problem.atLeast', { field: field(f), min }),
    order: (problem) => t(`guests.memory.order.${problem}`),
  };
}
