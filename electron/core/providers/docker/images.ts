// The engine's images and volumes as the user keeps house with them: pull, remove one,
// prune the unused. Removing is the engine's own call, so a refusal (an image a container
// uses: 409 conflict) is the engine's code and message. Pruning never touches Polyvisor's
// snapshot images: they are used by no container, but they are snapshots, not leftovers.

import type Dockerode from 'dockerode';
import { nodeId } from '../../../../shared/model';
import type { ActionResult, TaskReporter } from '../provider';
import { pullImage } from './image-pull';
import type { DockerSession } from './session';
import { L } from './snapshot-labels';

export interface EngineAccess {
  docker: Dockerode;
  session: DockerSession;
  serverId: string;
  where: string;
}

export async function pull(engine: EngineAccess, reference: string, task: TaskReporter): Promise<ActionResult> {
  const id = await pullImage(engine.docker, reference, task, engine.where);
  await engine.session.refreshNow([], [], true);
  task.progress(1);
  return { resultId: nodeId(engine.serverId, 'image', id) };
}

/**
 * `DELETE /images/{id}`. An image with several tags is removed tag by tag (the engine
 * refuses to remove it by id while more than one repository names it); the last one
 * removes the image.
 */
export async function removeImage(engine: EngineAccess, imageId: string, task: TaskReporter): Promise<ActionResult> {
  const tags = engine.session.view.images?.get(imageId)?.RepoTags ?? [];
  const names = tags.length > 1 ? tags : [imageId];
  for (const [i, name] of names.entries()) {
    await engine.docker.getImage(name).remove();
    task.progress((i + 1) / names.length);
  }
  await engine.session.refreshNow([], [], true);
  return {};
}

export async function removeVolume(engine: EngineAccess, name: string): Promise<ActionResult> {
  await engine.docker.getVolume(name).remove();
  await engine.session.refreshNow([], [], false, true);
  return {};
}

/** Every image no container uses (not only the dangling ones), snapshot images left alone. */
export async function pruneImages(engine: EngineAccess, task: TaskReporter): Promise<ActionResult> {
  const answer = (await engine.docker.pruneImages({ filters: { dangling: ['false'], 'label!': [L.role] } })) as { SpaceReclaimed?: unknown };
  await engine.session.refreshNow([], [], true);
  task.progress(1);
  return { reclaimedBytes: bytes(answer.SpaceReclaimed) };
}

/**
 * Every volume no container uses. Since API 1.42 the engine prunes only anonymous volumes
 * unless asked for all; before it, `all` is an unknown filter and every unused volume goes.
 */
export async function pruneVolumes(engine: EngineAccess, task: TaskReporter): Promise<ActionResult> {
  const all = apiAtLeast(engine.session.engine.apiVersion, 1, 42);
  const answer = (await engine.docker.pruneVolumes(all ? { filters: { all: ['true'] } } : {})) as { SpaceReclaimed?: unknown };
  await engine.session.refreshNow([], [], false, true);
  task.progress(1);
  return { reclaimedBytes: bytes(answer.SpaceReclaimed) };
}

function bytes(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function apiAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}
