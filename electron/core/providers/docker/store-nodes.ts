// Images and named volumes as nodes under the engine: what each is, how big, and which
// containers use it. One that no container uses may be removed (`destroy`); the engine
// refuses to remove one in use, so the tree does not offer it.

import type { InventoryNode } from '../../../../shared/model';
import { nodeId } from '../../../../shared/model';
import type { ContainerRecord, ImageRecord } from './engine-records';
import type { VolumeRecord } from './store-records';

/** An image's name in the tree: its first tag, else its short id (as `docker images` shows it). */
export function imageName(img: Pick<ImageRecord, 'Id' | 'RepoTags'>): string {
  return img.RepoTags[0] ?? shortImageId(img.Id);
}

export function shortImageId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Container names by the image they were made from and by the named volume they mount. */
export function usage(containers: Iterable<ContainerRecord>): { byImage: Map<string, string[]>; byVolume: Map<string, string[]> } {
  const byImage = new Map<string, string[]>();
  const byVolume = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, name: string) => {
    const list = map.get(key);
    if (list) list.push(name);
    else map.set(key, [name]);
  };
  for (const c of containers) {
    const name = c.Name.replace(/^\//, '');
    if (c.Image) add(byImage, c.Image, name);
    for (const m of c.Mounts) if (m.Type === 'volume' && m.Name) add(byVolume, m.Name, name);
  }
  for (const list of [...byImage.values(), ...byVolume.values()]) list.sort();
  return { byImage, byVolume };
}

export function imageNode(serverId: string, engineId: string, img: ImageRecord, usedBy: string[]): InventoryNode {
  return {
    id: nodeId(serverId, 'image', img.Id),
    serverId,
    kind: 'image',
    name: imageName(img),
    parentId: engineId,
    nativeRef: img.Id,
    allowed: usedBy.length ? [] : ['destroy'],
    props: {
      id: img.Id,
      tags: img.RepoTags,
      size: img.Size,
      created: img.Created > 0 ? new Date(img.Created * 1000).toISOString() : null,
      usedBy,
    },
  };
}

export function volumeNode(serverId: string, engineId: string, v: VolumeRecord, usedBy: string[]): InventoryNode {
  return {
    id: nodeId(serverId, 'volume', v.Name),
    serverId,
    kind: 'volume',
    name: v.Name,
    parentId: engineId,
    nativeRef: v.Name,
    allowed: usedBy.length ? [] : ['destroy'],
    // issue 16: a volume is the engine's storage, with no capacity of its own; what it holds where the engine counted it
    storage: { type: v.Driver, shared: false, size: null, used: v.Size ?? null, free: null, hostIds: [engineId] },
    props: {
      driver: v.Driver,
      mountpoint: v.Mountpoint,
      size: v.Size ?? null,
      created: v.CreatedAt || null,
      labels: Object.entries(v.Labels).map(([k, val]) => `${k}=${val}`),
      usedBy,
    },
  };
}
