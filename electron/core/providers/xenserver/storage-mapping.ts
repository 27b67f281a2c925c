// XAPI SRs as storage nodes, placed and hidden as XenCenter's Infrastructure view does
// (XenModel SR.Show / SR.Home / SR.IsToolsSR, read in its sources and restated here):
// an SR that is not shared and has exactly one PBD lives under that PBD's host, every
// other SR under the pool. Hidden: temporary objects of a GUI ("__gui__" names), the
// legacy CD drives of type `local`, the memory SR (`tmpfs`), SRs a disaster-recovery
// task introduced, SRs marked HideFromXenCenter, and the tools ISO SR.

import type { InventoryNode } from '../../../../shared/model';
import type { StorageInfo } from '../../../../shared/storage';
import { bool, isRef, map, num, refs, str, type XapiCache, type XapiRecord } from './records';
import { labelProps } from './labels';

const GUI_TEMP_PREFIX = '__gui__';
const TOOLS_SR_LABEL = 'XenServer Tools';
const NEVER_SHOWN_TYPES = new Set(['local', 'tmpfs']);

/** Whether XenCenter shows the SR in its tree (with "show hidden objects" off, its default). */
export function srShown(record: XapiRecord): boolean {
  const label = str(record.name_label);
  if (label.startsWith(GUI_TEMP_PREFIX)) return false;
  if (NEVER_SHOWN_TYPES.has(str(record.type))) return false;
  if (label === TOOLS_SR_LABEL || bool(record.is_tools_sr)) return false;
  if (isRef(record.introduced_by)) return false;
  return !bool(map(record.other_config).HideFromXenCenter);
}

/** The host an SR belongs to (local storage), or undefined for one shown under the pool. */
export function srHome(cache: XapiCache, record: XapiRecord): string | undefined {
  const pbds = refs(record.PBDs);
  if (bool(record.shared) || pbds.length !== 1) return undefined;
  const host = str(cache.pbd.get(pbds[0]!)?.host);
  return isRef(host) && cache.host.has(host) ? host : undefined;
}

/** Sizes as xapi reports them; -1 (the tools SR, some ISO SRs) means unknown. */
function bytes(value: unknown): number | null {
  const n = num(value);
  return n === null || n < 0 ? null : n;
}

export function srStorageInfo(cache: XapiCache, record: XapiRecord, id: (kind: 'host', ref: string) => string): StorageInfo {
  const size = bytes(record.physical_size);
  const used = bytes(record.physical_utilisation);
  const hostIds: string[] = [];
  for (const pbdRef of refs(record.PBDs)) {
    const pbd = cache.pbd.get(pbdRef);
    const host = str(pbd?.host);
    if (pbd && bool(pbd.currently_attached) && cache.host.has(host)) hostIds.push(id('host', host));
  }
  const content = str(record.content_type);
  return {
    type: str(record.type),
    shared: bool(record.shared),
    size,
    used,
    free: size !== null && used !== null ? Math.max(0, size - used) : null,
    hostIds: hostIds.sort(),
    ...(content ? { content: [content] } : {}),
    ...(str(record.type) === 'udev' ? { removable: true } : {}),
  };
}

/** The SR's node, or null when XenCenter would not show it. */
export function srNode(serverId: string, cache: XapiCache, ref: string, id: (kind: 'host' | 'pool' | 'storage', ref: string) => string, poolRef: string | undefined): InventoryNode | null {
  const record = cache.sr.get(ref);
  if (!record || !srShown(record)) return null;
  const home = srHome(cache, record);
  const storage = srStorageInfo(cache, record, id);
  return {
    id: id('storage', ref),
    serverId,
    kind: 'storage',
    name: str(record.name_label),
    parentId: home ? id('host', home) : poolRef ? id('pool', poolRef) : null,
    nativeRef: ref,
    allowed: [],
    props: { uuid: str(record.uuid), description: str(record.name_description), ...labelProps(record) },
    storage,
  };
}
