// Power and snapshot actions on containers and snapshot images. Each one re-reads what
// it changed before it completes, so the tree shows its effect when the task ends.

import type Dockerode from 'dockerode';
import type { ActionParams } from '../../../../shared/contract';
import { defaultSnapshotName } from '../../../../shared/descriptor';
import { PolyvisorError } from '../../../../shared/errors';
import type { ActionName } from '../../../../shared/model';
import { nodeId } from '../../../../shared/model';
import type { ActionResult, TaskReporter } from '../provider';
import type { ContainerRecord } from './engine-records';
import { isHttpError } from './errors';
import { containerName, currentSnapshotImage, type EngineState } from './inventory';
import type { DockerSession } from './session';
import { taskStep } from '../common/task-steps';
import { dockerDescriptor } from './descriptor';
import { cloneFromSnapshot } from './snapshot-clone';
import { destroyContainer } from './container-destroy';
import { checkpointContainer, deleteSnapshot, restoreSnapshot, takeSnapshot, type SnapshotLineage } from './snapshots';

export interface ActionContext {
  docker: Dockerode;
  session: DockerSession;
  serverId: string;
  /** the engine's address, for messages */
  where: string;
  task: TaskReporter;
}

export async function containerAction(ctx: ActionContext, id: string, action: ActionName, params: ActionParams): Promise<ActionResult> {
  const { docker, session, task } = ctx;
  const container = docker.getContainer(id);
  switch (action) {
    case 'start':
      await container.start().catch(alreadyThere);
      break;
    case 'shutdown':
      await container.stop().catch(alreadyThere);
      break;
    case 'force_shutdown':
      await container.kill();
      break;
    case 'reboot':
      await container.restart();
      break;
    case 'force_reboot':
      await container.restart({ t: 0 });
      break;
    case 'pause':
      await container.pause();
      break;
    case 'unpause':
      await container.unpause();
      break;
    case 'destroy':
      return destroyContainer(ctx, id, params, task);
    case 'snapshot_create': {
      if (params.memory) await checkpointContainer(docker, id);
      const imageId = await takeSnapshot(docker, id, params, lineageOf(session.view, id), task);
      await session.refreshNow([id], [], true);
      return { resultId: nodeId(ctx.serverId, 'snapshot', imageId) };
    }
    default:
      throw unsupported(`${action} is not available for a Docker container`);
  }
  await session.refreshNow([id], [], false);
  task.progress(1);
  return {};
}

export async function snapshotAction(ctx: ActionContext, imageId: string, action: ActionName, params: ActionParams): Promise<ActionResult> {
  const { docker, session, task } = ctx;
  switch (action) {
    case 'snapshot_revert': {
      const before = session.view.snapshots.get(imageId);
      const old = before ? containerNamed(session.view, before.containerName) : undefined;
      let restoreTask = task;
      // without a container of that name there is no current state to keep: the restore makes it anew
      if (params.snapshotFirst && old) {
        const keep = { name: defaultSnapshotName(dockerDescriptor.snapshotName, containerName(old), new Date()), includeVolumes: (before?.volumes.length ?? 0) > 0 };
        await takeSnapshot(docker, old.Id, keep, lineageOf(session.view, old.Id), taskStep(task, 0, 0.4));
        restoreTask = taskStep(task, 0.4, 1);
      }
      const result = await restoreSnapshot(docker, imageId, restoreTask);
      await session.refreshNow([result.containerId], old ? [old.Id] : [], true);
      return { resultId: nodeId(ctx.serverId, 'container', result.containerId) };
    }
    case 'snapshot_clone': {
      const id = await cloneFromSnapshot(docker, imageId, params, task);
      await session.refreshNow([id], [], false);
      return { resultId: nodeId(ctx.serverId, 'container', id) };
    }
    case 'snapshot_edit':
      throw unsupported(
        'A Docker snapshot keeps its name and description in labels of its image, and Docker cannot change an image\'s labels once it is made. Take a new snapshot instead.',
      );
    case 'snapshot_template':
      throw unsupported('Docker has no templates. Make a new container from the snapshot instead.');
    case 'snapshot_delete': {
      const victims = params.withChildren ? descendantsOf(session.view, imageId) : [];
      for (const [i, child] of victims.entries()) {
        await deleteSnapshot(docker, child);
        task.progress((i + 1) / (victims.length + 1));
      }
      await deleteSnapshot(docker, imageId);
      await session.refreshNow([], [], true);
      task.progress(1);
      return {};
    }
    default:
      throw unsupported(`${action} is not available for a Docker snapshot`);
  }
}

export function lineageOf(state: Readonly<EngineState>, containerId: string): SnapshotLineage {
  const c = state.containers.get(containerId);
  if (!c) return { parent: null, ancestors: [] };
  const parent = currentSnapshotImage(c, [...state.snapshots.values()]);
  return { parent, ancestors: parent ? (state.snapshots.get(parent)?.ancestors ?? []) : [] };
}

/** Snapshots below this one, deepest first. */
function descendantsOf(state: Readonly<EngineState>, imageId: string): string[] {
  return [...state.snapshots.values()]
    .filter((s) => s.imageId !== imageId && (s.parentImageId === imageId || s.ancestors.includes(imageId)))
    .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))
    .map((s) => s.imageId);
}

function containerNamed(state: Readonly<EngineState>, name: string): ContainerRecord | undefined {
  for (const c of state.containers.values()) if (containerName(c) === name) return c;
  return undefined;
}

/** 304 Not Modified: the container is already started/stopped, which is what was asked. */
function alreadyThere(e: unknown): void {
  if (!isHttpError(e, 304)) throw e;
}

export function unsupported(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'UNSUPPORTED', message });
}
