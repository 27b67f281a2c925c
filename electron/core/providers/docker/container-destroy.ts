// Removing a container (`DELETE /containers/{id}`) and, unless its volumes are kept, what
// belongs to it alone: its anonymous volumes (`v=1`), each named volume no other container
// mounts (asked of the engine after the removal) and its snapshot images. A running
// container is refused by the engine unless forced (the engine kills it first).

import type Dockerode from 'dockerode';
import type { ActionParams } from '../../../../shared/contract';
import type { DeleteItem } from '../../../../shared/guests';
import type { ActionResult, TaskReporter } from '../provider';
import { namedVolumeMounts } from './container-config';
import type { EngineAccess } from './images';
import type { EngineState } from './inventory';
import { deleteSnapshot } from './snapshots';

export async function destroyContainer(engine: EngineAccess, id: string, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const { docker, session } = engine;
  const keep = params.keepDisks === true;
  const info = await docker.getContainer(id).inspect();
  const volumes = namedVolumeMounts(info).map((m) => m.volume);
  const snapshots = keep ? [] : snapshotsOf(session.view, info.Name.replace(/^\//, ''));
  await docker.getContainer(id).remove({ force: params.force === true, v: !keep });
  task.progress(0.4);
  let removedVolumes = 0;
  if (!keep) {
    for (const volume of volumes) {
      if (await usedByAny(docker, volume)) continue;
      await docker.getVolume(volume).remove();
      removedVolumes++;
    }
    for (const imageId of snapshots) await deleteSnapshot(docker, imageId);
  }
  await session.refreshNow([], [id], snapshots.length > 0, removedVolumes > 0 || !keep);
  task.progress(1);
  return {};
}

/** What removing the container would take with it. */
export async function containerDeletePlan(engine: EngineAccess, id: string): Promise<Pick<DeleteItem, 'snapshots' | 'disks'>> {
  const info = await engine.docker.getContainer(id).inspect();
  const view = engine.session.view;
  const name = info.Name.replace(/^\//, '');
  const disks = await Promise.all(
    namedVolumeMounts(info).map(async ({ volume }) => {
      const others = (await engine.docker.listContainers({ all: true, filters: { volume: [volume] } }))
        .filter((c) => c.Id !== info.Id)
        .map((c) => (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''));
      const size = view.volumes?.get(volume)?.Size;
      return { name: volume, ...(size !== undefined ? { sizeBytes: size } : {}), ...(others.length ? { sharedWith: others.sort() } : {}) };
    }),
  );
  return { snapshots: snapshotsOf(view, name).length, disks };
}

async function usedByAny(docker: Dockerode, volume: string): Promise<boolean> {
  const users = await docker.listContainers({ all: true, filters: { volume: [volume] } });
  return users.length > 0;
}

/** Snapshot images taken of the container of this name (snapshots follow a container by name). */
function snapshotsOf(state: Readonly<EngineState>, name: string): string[] {
  return [...state.snapshots.values()].filter((s) => s.containerName === name).map((s) => s.imageId);
}
