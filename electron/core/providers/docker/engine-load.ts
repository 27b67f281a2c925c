// Reading the engine's state: facts, containers (one inspect each, a few at a time)
// and snapshot images, each answer through its reader (engine-records.ts).

import type Dockerode from 'dockerode';
import { forEachLimited } from '../common/concurrency';
import { readContainer, readContainerIds, readEngineFacts, readImageList, type ContainerRecord, type EngineFacts } from './engine-records';
import { isHttpError } from './errors';
import type { EngineState } from './inventory';
import { L, parseSnapshotImage, type SnapshotRecord } from './snapshot-labels';

/** Inspects at once: enough to load a large engine quickly, few enough not to crowd it. */
export const INSPECT_CONCURRENCY = 8;

export async function readEngine(docker: Dockerode, where: string): Promise<EngineFacts> {
  const [info, version] = await Promise.all([docker.info(), docker.version()]);
  return readEngineFacts(info, version, `${where} (GET /info, /version)`);
}

export async function loadContainersAndSnapshots(docker: Dockerode, where: string, engine: EngineFacts): Promise<EngineState> {
  const [list, snapshots] = await Promise.all([docker.listContainers({ all: true }), loadSnapshots(docker, where)]);
  const containers = new Map<string, ContainerRecord>();
  await inspectInto(docker, where, readContainerIds(list, `${where} (GET /containers/json)`), containers);
  return { engine, containers, snapshots };
}

/** Inspects `ids` into `containers`; a container gone meanwhile (404) is removed. */
export async function inspectInto(docker: Dockerode, where: string, ids: readonly string[], containers: Map<string, ContainerRecord>): Promise<void> {
  await forEachLimited(ids, INSPECT_CONCURRENCY, async (id) => {
    const c = await inspectOrNull(docker, id, where);
    if (c && !isHelper(c)) containers.set(c.Id, c);
    else containers.delete(id);
  });
}

export async function loadSnapshots(docker: Dockerode, where: string): Promise<Map<string, SnapshotRecord>> {
  const images = readImageList(await docker.listImages({ all: true, filters: { label: [`${L.role}=image`] } }), `${where} (GET /images/json)`);
  const map = new Map<string, SnapshotRecord>();
  for (const img of images) {
    const rec = parseSnapshotImage(img);
    if (rec) map.set(rec.imageId, rec);
  }
  return map;
}

async function inspectOrNull(docker: Dockerode, id: string, where: string): Promise<ContainerRecord | null> {
  try {
    return readContainer(await docker.getContainer(id).inspect(), `${where} (GET /containers/${id.slice(0, 12)}/json)`);
  } catch (e) {
    if (isHttpError(e, 404)) return null;
    throw e;
  }
}

/** Short-lived containers the snapshot code creates to move volume files: never shown. */
function isHelper(c: ContainerRecord): boolean {
  return !!c.Config.Labels[L.dataOf];
}
