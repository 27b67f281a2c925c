// Readers for the answers the guests facet uses: a guest's configuration and its
// pending changes, a node's storages and what is on them, and its network
// interfaces. Entries of the wrong shape are skipped, a list that is not a list
// is an error (answers.ts's rules).

import { num, requireObject, requireObjects, str } from './answers';

/** GET …/config: option → value; values that are neither text nor numbers are dropped. */
export type PveConfig = Record<string, string | number>;

export function readGuestConfig(data: unknown, where: string): PveConfig {
  const out: PveConfig = {};
  for (const [key, value] of Object.entries(requireObject(data, where))) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) out[key] = value;
  }
  return out;
}

export interface PendingEntry {
  key: string;
  /** a new value waits for the next start */
  pending: boolean;
  /** a removal waits for the next start */
  delete: boolean;
}

/** GET …/pending: only the keys with something pending. */
export function readPending(data: unknown, where: string): PendingEntry[] {
  return requireObjects(data, where).flatMap((e) => {
    const key = str(e.key);
    const pending = e.pending !== undefined && e.pending !== null;
    const deleting = (num(e.delete) ?? 0) > 0;
    return key && (pending || deleting) ? [{ key, pending, delete: deleting }] : [];
  });
}

export interface NodeStorage {
  storage: string;
  type: string;
  content: string[];
  shared: boolean;
  active: boolean;
  total?: number;
  avail?: number;
}

/** GET /nodes/{node}/storage */
export function readNodeStorages(data: unknown, where: string): NodeStorage[] {
  return requireObjects(data, where).flatMap((e) => {
    const storage = str(e.storage);
    if (!storage) return [];
    return [
      {
        storage,
        type: str(e.type) ?? '',
        content: (str(e.content) ?? '').split(',').filter(Boolean),
        shared: num(e.shared) === 1 || e.shared === true,
        // an inactive storage (unreachable NFS) says active 0; one that does not say is taken as usable
        active: e.active === undefined || num(e.active) === 1 || e.active === true,
        total: num(e.total),
        avail: num(e.avail),
      },
    ];
  });
}

export interface StorageVolume {
  volid: string;
  content: string;
  size?: number;
}

/** GET /nodes/{node}/storage/{storage}/content */
export function readStorageContent(data: unknown, where: string): StorageVolume[] {
  return requireObjects(data, where).flatMap((e) => {
    const volid = str(e.volid);
    return volid ? [{ volid, content: str(e.content) ?? '', size: num(e.size) }] : [];
  });
}

export interface NodeInterface {
  iface: string;
  type: string;
  comments?: string;
}

/** GET /nodes/{node}/network */
export function readNetworks(data: unknown, where: string): NodeInterface[] {
  return requireObjects(data, where).flatMap((e) => {
    const iface = str(e.iface);
    const comments = str(e.comments)?.trim();
    return iface ? [{ iface, type: str(e.type) ?? '', ...(comments ? { comments } : {}) }] : [];
  });
}
