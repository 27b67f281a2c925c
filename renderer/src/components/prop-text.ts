// A property's label and value as the General tab writes them: the kind's own vocabulary
// (a container's "Container ID", "Cores"), raw server values in words from the provider's
// descriptor, bytes, durations and times in the user's language.
import type { TFunction } from 'i18next';
import { localized } from '../../../shared/descriptor';
import type { NodeKind, PropValue } from '../../../shared/model';
import { isEnumerated, readValue, type PropertyReading } from '../../../shared/property-reading';
import { formatBytes, formatDateTime, formatSeconds, isByteKey, isSecondsKey, isTimeKey } from './format';

export interface PropContext {
  t: TFunction;
  language: string;
  reading: PropertyReading | undefined;
}

/** The kind's own word where it has one (propFor.container.vcpus → "Cores"), else the common label. */
export function propLabel(t: TFunction, exists: (key: string) => boolean, kind: NodeKind, key: string): string {
  const own = `propFor.${kind}.${key}`;
  return exists(own) ? t(own) : t(`prop.${key}`, { defaultValue: key });
}

/** A power state in the kind's own word where it has one (a container is "Stopped", not "Powered off"). */
export function stateLabel(t: TFunction, exists: (key: string) => boolean, kind: NodeKind, state: string): string {
  const own = `powerStateFor.${kind}.${state}`;
  return exists(own) ? t(own) : t(`powerState.${state}`);
}

/** Whether the page already shows this property another way (the provider says which). */
export function propHidden(reading: PropertyReading | undefined, kind: NodeKind, key: string): boolean {
  return reading?.hidden?.[kind]?.includes(key) ?? false;
}

function textOf(key: string, value: string, ctx: PropContext): string {
  if (isTimeKey(key)) return formatDateTime(value, ctx.language);
  if (!isEnumerated(ctx.reading, key)) return value;
  const read = readValue(ctx.reading, key, value);
  return typeof read === 'string' ? read : localized(read, ctx.language);
}

export function propText(key: string, value: PropValue, ctx: PropContext): string {
  const { t, language } = ctx;
  if (value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value)) return value.length ? value.map((v) => textOf(key, v, ctx)).join(', ') : '—';
  if (typeof value === 'number' && isByteKey(key)) return formatBytes(value, language);
  if (typeof value === 'number' && isSecondsKey(key)) return value > 0 ? formatSeconds(value, (k, v) => t(k, v)) : '—';
  if (typeof value === 'number') return value.toLocaleString(language);
  return textOf(key, value, ctx);
}
