// How the details pages read a provider's own properties: which ones repeat what the
// page already shows (the parent host, the power state) and what a raw server value
// means in words. The provider declares it; the renderer knows no platform's values.

import type { LocalizedText } from './descriptor';
import type { NodeKind } from './model';

export interface PropertyReading {
  /** per kind of node: properties the page already shows another way */
  hidden?: Partial<Record<NodeKind, string[]>>;
  /** per property: each raw value the server sends, in words (vSphere's "otherGuest", Proxmox's lock "backup") */
  values?: Record<string, Record<string, LocalizedText>>;
  /** properties whose other values are words already (a guest's full OS name): only the listed raw ones are translated */
  openValues?: string[];
}

/** The words for a raw value: the value itself, or its head before ":" with the rest kept ("on-failure:3"). */
export function readValue(reading: PropertyReading | undefined, key: string, raw: string): LocalizedText | string {
  const values = reading?.values?.[key];
  if (!values) return raw;
  if (Object.hasOwn(values, raw)) return values[raw];
  const colon = raw.indexOf(':');
  if (colon > 0 && Object.hasOwn(values, raw.slice(0, colon))) {
    const head = values[raw.slice(0, colon)];
    const rest = raw.slice(colon);
    return { en: head.en + rest, 'zh-CN': head['zh-CN'] + rest };
  }
  return raw;
}

/** Whether the provider declares words for this property's values (an unknown value is then a gap to fill). */
export function isEnumerated(reading: PropertyReading | undefined, key: string): boolean {
  return !!reading?.values && Object.hasOwn(reading.values, key);
}
