// The Properties dialog's problems in the user's words, each naming its field.
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import type { GuestSettingKey, GuestSettingRule } from '../../../shared/guests';
import { formatSize } from '../../../shared/sizes';
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
    growOnly: (f) => t('guests.problem.growOnly', { field: field(f) }),
    minAboveSize: (minBytes, sizeBytes) => {
      const ends = rules.get('memory.dynamic')?.bounds;
      const min = ends ? localized(ends.min, i18n.language) : t('guests.field.dynamicMin');
      return t('guests.memory.minAboveSize', { min, minSize: formatSize(minBytes), size: field('memory'), sizeSize: formatSize(sizeBytes) });
    },
  };
}
