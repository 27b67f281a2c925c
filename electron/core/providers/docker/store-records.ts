// The engine's images and named volumes as the tree shows them: `GET /images/json` (less
// the snapshot images, which are snapshot nodes), `GET /volumes` and the volume sizes of
// `GET /system/df`. Each answer goes through a reader that keeps typed fields only.

import type Dockerode from 'dockerode';
import { badAnswer, readImageList, type ImageRecord } from './engine-records';
import { L, parseSnapshotImage, type SnapshotRecord } from './snapshot-labels';

export interface VolumeRecord {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string>;
  /** bytes, when `/system/df` computed it (the local driver); absent otherwise */
  Size?: number;
}

/** Anonymous volumes are named by a random 64-hex id: only the named ones are nodes. */
export function isAnonymousVolume(name: string): boolean {
  return /^[0-9a-f]{64}$/.test(name);
}

/**
 * `/system/df` also sizes every container's own layer, which is slow on a large engine:
 * above this many containers the tree shows volumes without their size.
 */
const DF_MAX_CONTAINERS = 2_000;

/** One image list, split into the snapshot images and the others (which the tree shows as images). */
export async function loadImages(docker: Dockerode, where: string): Promise<{ snapshots: Map<string, SnapshotRecord>; images: Map<string, ImageRecord> }> {
  const list = readImageList(await docker.listImages({ all: false }), `${where} (GET /images/json)`);
  const snapshots = new Map<string, SnapshotRecord>();
  const images = new Map<string, ImageRecord>();
  for (const img of list) {
    const snapshot = parseSnapshotImage(img);
    if (snapshot) snapshots.set(snapshot.imageId, snapshot);
    // a snapshot's volume-data image belongs to the snapshot, not to the image list
    else if (!img.Labels[L.role]) images.set(img.Id, img);
  }
  return { snapshots, images };
}

export async function loadVolumes(
  docker: Dockerode,
  where: string,
  containerCount: number,
  log: (level: 'warn', message: string) => void,
): Promise<Map<string, VolumeRecord>> {
  const volumes = readVolumeList(await docker.listVolumes(), `${where} (GET /volumes)`);
  if (containerCount <= DF_MAX_CONTAINERS && volumes.length) {
    try {
      const sizes = readVolumeSizes(await docker.df(), `${where} (GET /system/df)`);
      for (const v of volumes) {
        const size = sizes.get(v.Name);
        if (size !== undefined) v.Size = size;
      }
    } catch (err) {
      // the sizes are a nicety: the volumes are shown without them
      log('warn', `Docker engine at ${where}: volume sizes not read: ${(err as Error).message}`);
    }
  }
  return new Map(volumes.filter((v) => !isAnonymousVolume(v.Name)).map((v) => [v.Name, v]));
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function stringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(isObj(v) ? v : {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** `GET /volumes`: `{ Volumes: [...], Warnings }`; entries without a name are dropped. */
export function readVolumeList(answer: unknown, where: string): VolumeRecord[] {
  if (!isObj(answer)) throw badAnswer(where, 'a volume list that is not an object');
  const list = answer.Volumes;
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw badAnswer(where, 'a volume list that is not a list');
  return list
    .filter((v): v is Obj => isObj(v) && typeof v.Name === 'string' && v.Name !== '')
    .map((v) => ({ Name: v.Name as string, Driver: str(v.Driver), Mountpoint: str(v.Mountpoint), CreatedAt: str(v.CreatedAt), Labels: stringMap(v.Labels) }));
}

/** `GET /system/df`: volume name → size in bytes, where the engine computed one (-1 = not computed). */
export function readVolumeSizes(answer: unknown, where: string): Map<string, number> {
  if (!isObj(answer)) throw badAnswer(where, 'disk usage that is not an object');
  const out = new Map<string, number>();
  for (const v of Array.isArray(answer.Volumes) ? answer.Volumes : []) {
    if (!isObj(v) || typeof v.Name !== 'string' || !isObj(v.UsageData)) continue;
    const size = v.UsageData.Size;
    if (typeof size === 'number' && Number.isFinite(size) && size >= 0) out.set(v.Name, size);
  }
  return out;
}

export type { ImageRecord };
