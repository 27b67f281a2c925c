// A Docker "snapshot" is a committed image in repository polyvisor-snapshots/<container-name>,
// described entirely by its labels, so it survives the container being recreated (restore
// gives the container a new id) and needs no state outside the engine.

import { policyIdOfTag } from '../common/policy-mark';
import type { ImageRecord } from './engine-records';

export const SNAPSHOT_REPO_PREFIX = 'polyvisor-snapshots/';
export const LABEL_PREFIX = 'dev.polyvisor.';

export const L = {
  of: 'dev.polyvisor.snapshot.of', // container id when taken
  containerName: 'dev.polyvisor.snapshot.container-name',
  time: 'dev.polyvisor.snapshot.time',
  note: 'dev.polyvisor.snapshot.note',
  name: 'dev.polyvisor.snapshot.name',
  parent: 'dev.polyvisor.snapshot.parent', // image id of the snapshot the container derived from
  ancestors: 'dev.polyvisor.snapshot.ancestors', // image ids, nearest first (parent may be deleted)
  config: 'dev.polyvisor.snapshot.config', // JSON RecreateConfig
  state: 'dev.polyvisor.snapshot.state', // container state when taken
  volumes: 'dev.polyvisor.snapshot.volumes', // JSON VolumeArchiveRef[]
  checkpoint: 'dev.polyvisor.snapshot.checkpoint', // CRIU checkpoint id (memory snapshot)
  role: 'dev.polyvisor.snapshot.role', // 'image' | 'volumes'
  dataOf: 'dev.polyvisor.snapshot.data-of', // on the volume-data image: the snapshot image id
  policy: 'dev.polyvisor.snapshot.policy', // policyTag(policyId) when a snapshot policy took it
} as const;

export interface VolumeArchiveRef {
  /** named volume */
  volume: string;
  /** mount point in the container */
  destination: string;
  /** folder inside the data image holding the volume's files */
  path: string;
}

export interface SnapshotRecord {
  imageId: string;
  tag: string;
  name: string;
  description: string;
  time: string | null;
  ofContainerId: string;
  containerName: string;
  parentImageId: string | null;
  ancestors: string[];
  state: string;
  volumes: VolumeArchiveRef[];
  checkpoint: string | null;
  size: number;
  /** the snapshot policy that took it (its tag in the policy label) */
  policyId?: string;
}

/** Snapshot images from `GET /images/json?filters={"label":[role=image]}`, or null for anything else. */
export function parseSnapshotImage(img: ImageRecord): SnapshotRecord | null {
  const labels = img.Labels ?? {};
  if (labels[L.role] !== 'image' || !labels[L.of]) return null;
  const tag = (img.RepoTags ?? []).find((t) => t.startsWith(SNAPSHOT_REPO_PREFIX));
  if (!tag) return null; // untagged = deleted while a container still uses the image
  return {
    imageId: img.Id,
    tag,
    name: labels[L.name] || tag.slice(tag.indexOf(':') + 1),
    description: labels[L.note] ?? '',
    time: labels[L.time] || null,
    ofContainerId: labels[L.of],
    containerName: labels[L.containerName] ?? '',
    parentImageId: labels[L.parent] || null,
    ancestors: (labels[L.ancestors] ?? '').split(',').filter(Boolean),
    state: labels[L.state] ?? '',
    volumes: readVolumeRefs(labels[L.volumes]),
    checkpoint: labels[L.checkpoint] || null,
    size: img.Size,
    ...(policyIdOfTag(labels[L.policy]) ? { policyId: policyIdOfTag(labels[L.policy]) } : {}),
  };
}

/** A JSON label we wrote ourselves; anything else (edited by hand, cut short) reads as `fallback`. */
export function parseJson<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback; // not ours any more: treat the label as absent
  }
}

/** The volumes label: what is not a list of complete volume entries counts as no volumes. */
export function readVolumeRefs(text: string | undefined): VolumeArchiveRef[] {
  const list = parseJson<unknown>(text, []);
  if (!Array.isArray(list)) return [];
  return list.filter(
    (v): v is VolumeArchiveRef =>
      typeof v === 'object' && v !== null && typeof v.volume === 'string' && typeof v.destination === 'string' && typeof v.path === 'string',
  );
}

/** Image repositories are lower-case [a-z0-9._-]; container names allow more. */
export function snapshotRepo(containerName: string): string {
  const safe = containerName.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '');
  return SNAPSHOT_REPO_PREFIX + (safe || 'container');
}

export function snapshotTag(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Container labels without ours (restored containers inherit the snapshot image's labels). */
export function userLabels(labels: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !k.startsWith(LABEL_PREFIX)));
}
