// Threshold rules and their alerts in the UI's language: "CPU above 90 % for 5 min".
import type { TFunction } from 'i18next';
import type { ThresholdAlertFacts, ThresholdDraft } from '../../../shared/thresholds';

/** 300 → "5 min" in the UI's words. */
export function durationWords(seconds: number, t: TFunction): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return t('thresholds.unit.h', { count: seconds / 3600 });
  if (seconds >= 60 && seconds % 60 === 0) return t('thresholds.unit.min', { count: seconds / 60 });
  return t('thresholds.unit.s', { count: seconds });
}

export function conditionWords(rule: Pick<ThresholdDraft, 'metric' | 'comparison' | 'value' | 'durationSeconds'>, t: TFunction): string {
  const base = t(`thresholds.condition.${rule.comparison}`, { metric: t(`thresholds.metric.${rule.metric}`), value: rule.value });
  return rule.durationSeconds > 0 ? t('thresholds.condition.for', { condition: base, duration: durationWords(rule.durationSeconds, t) }) : base;
}

/** The body of a Polyvisor alert: the condition and the reading that raised it. */
export function thresholdAlertBody(facts: ThresholdAlertFacts, t: TFunction): string {
  const condition = conditionWords({ metric: facts.metric, comparison: facts.comparison, value: facts.limit, durationSeconds: facts.durationSeconds }, t);
  return t('thresholds.alertBody', { condition, observed: facts.observed });
}
