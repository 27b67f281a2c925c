// Reading the engine's state: facts, containers (one inspect each, a few at a time)
// and images (snapshot images and others), each answer through its reader (engine-records.ts).

import type Dockerode from 'dockerode';
import { forEachLimited } from '../common/concurrency';
import { readContainer, readContainerIds, readEngineFacts, type ContainerRecord, type EngineFacts } from './engine-records';
import { isHttpError } from './errors';
import { loadImages } from './store-records';
import type { EngineState } from './inventory';
import { L } from './snapshot-labels';

/** Inspects at once: enough to load a large engine quickly, few enough not to crowd it. */
export const INSPECT_CONCURRENCY = 8;

export async function readEngine(docker: Dockerode, where: string): Promise<EngineFacts> {
  const [info, version] = await Promise.all([docker.info(), docker.version()]);
  return readEngineFacts(info, version, `${where} (GET /info, /version)`);
}

export async function loadContainersAndSnapshots(docker: Dockerode, where: string, engine: EngineFacts): Promise<EngineState> {
  const [list, { snapshots, images }] = await Promise.all([docker.listContainers({ all: true }), loadImages(docker, where)]);
  const containers = new Map<string, ContainerRecord>();
  await inspectInto(docker, where, readContainerIds(list, `${where} (GET /containers/json)`), containers);
  return { engine, containers, snapshots, images };
}

/** Inspects `ids` into `containers`; a container gone meanwhile (404) is removed. */
export async function inspectInto(docker: Dockerode, where: string, ids: readonly string[], containers: Map<string, ContainerRecord>): Promise<void> {
  await forEachLimited(ids, INSPECT_CONCURRENCY, async (id) => {
    const c = await inspectOrNull(docker, id, where);
    if (c && !isHelper(c)) containers.set(c.Id, c);
    else containers.delete(id);
  });
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
