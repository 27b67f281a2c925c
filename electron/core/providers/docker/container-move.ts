// Moving a container to another Docker engine (issue 13), offline by nature:
//   check → stop → snapshot with its named volumes (snapshots.ts) → send the images (image-transfer.ts)
//   → the same volumes on the destination, filled from the snapshot's data (refillVolumes)
//   → the same container there (createFromConfig) → start it → remove the original.
// Each step is a share of the task's progress; a cancel is honoured between steps. Whatever
// fails, every step already done is undone in reverse: the destination loses what was made
// there and the original is started again as it was. The original's volumes stay on the
// source (the user removes them when sure), and the transfer snapshot is deleted on both.

import type { ContainerInspectInfo } from 'dockerode';
import type Dockerode from 'dockerode';
import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import type { TaskReporter } from '../provider';
import { taskStep } from '../common/task-steps';
import { lineageOf } from './actions';
import { isHttpError } from './errors';
import { transferImages } from './image-transfer';
import { checkMove, configForNetworks, networkNames, volumeSpecs, type EngineAt } from './move-checks';
import type { DockerSession } from './session';
import { createFromConfig, deleteSnapshot, loadSnapshotImage, refillVolumes, takeSnapshot } from './snapshots';

export interface EngineEnd extends EngineAt {
  serverId: string;
  session: DockerSession;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

type Undo = { what: string; run: () => Promise<unknown> };

/** Moves container `containerId` of `source` to `destination`; returns its id there. */
export async function moveContainer(source: EngineEnd, destination: EngineEnd, containerId: string, task: TaskReporter): Promise<string> {
  const src = source.docker;
  const dst = destination.docker;
  const info = await src.getContainer(containerId).inspect();
  const name = info.Name.replace(/^\//, '');
  await checkMove(source, destination, info);
  task.progress(0.05);
  // nothing to ask the engines: the signal is aborted and the next step does not start
  task.setCancellable(async () => undefined);
  const undo: Undo[] = [];
  const step = (from: number, to: number) => {
    if (task.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: `The move of ${name} was cancelled; ${name} is back as it was.` });
    task.progress(from);
    return taskStep(task, from, to);
  };
  let movedId: string;
  let snapshotId: string;
  try {
    step(0.05, 0.1);
    await stopForMove(src, info, undo);

    snapshotId = await takeSnapshot(
      src,
      info.Id,
      { name: `Before the move to ${destination.where}`, includeVolumes: true },
      lineageOf(source.session.view, info.Id),
      step(0.1, 0.3),
    );
    undo.push({ what: `delete the transfer snapshot on ${source.where}`, run: () => deleteSnapshot(src, snapshotId) });
    const snapshot = await loadSnapshotImage(src, snapshotId);

    const images = await imagesToSend(source, destination, info, snapshot.dataImage);
    step(0.3, 0.6);
    const sent = [snapshot.tag, ...images.dataTag, ...images.send];
    // a load cut short may have brought some of them: each is removed if it is there
    undo.push({ what: `remove the images sent to ${destination.where}`, run: () => removeIfThere(dst, sent) });
    await transferImages(src, dst, sent, task.signal, destination.where);

    const volumesStep = step(0.6, 0.8);
    for (const spec of await volumeSpecs(src, info)) {
      await dst.createVolume(spec);
      undo.push({ what: `remove volume ${spec.Name} from ${destination.where}`, run: () => dst.getVolume(spec.Name!).remove() });
    }
    if (snapshot.dataImage) await refillVolumes(dst, snapshot.dataImage, snapshot.volumes, volumesStep);

    step(0.8, 0.85);
    const { rc, left } = configForNetworks(snapshot.rc, await networkNames(dst));
    if (left.length) destination.log?.('info', `${name} moved to ${destination.where} without the networks it lacks: ${left.join(', ')}`);
    const created = await createFromConfig(dst, rc, images.base ?? snapshot.tag);
    undo.push({ what: `remove the new ${name} from ${destination.where}`, run: () => created.remove({ force: true, v: false }) });

    step(0.85, 0.95);
    await startAsBefore(created, info);

    step(0.95, 1);
    task.setCancellable(null);
    await src.getContainer(info.Id).remove({ v: false });
    movedId = created.id;
  } catch (e) {
    task.setCancellable(null);
    await undoAll(undo, source, name);
    // the trees follow the engines' events anyway: a failed re-read must not hide why the move failed
    await Promise.all([source.session.refreshNow([info.Id], [], true), destination.session.refreshNow([], [], true)]).catch((r: unknown) =>
      source.log?.('warn', `After the failed move of ${name}: re-reading the engines failed: ${toErrorInfo(r).message}`),
    );
    throw e;
  }
  // the move is done: what follows cannot undo it
  await cleanUp(source, snapshotId);
  await cleanUp(destination, snapshotId);
  await Promise.all([source.session.refreshNow([], [info.Id], true), destination.session.refreshNow([movedId], [], true)]);
  task.progress(1);
  return movedId;
}

/** Stopped for a consistent copy; undone by starting it again (and pausing it, if it was paused). */
async function stopForMove(docker: Dockerode, info: ContainerInspectInfo, undo: Undo[]): Promise<void> {
  const container = docker.getContainer(info.Id);
  if (!info.State.Running) return;
  undo.push({ what: `start ${info.Name.replace(/^\//, '')} again`, run: () => startAsBefore(container, info) });
  if (info.State.Paused) await container.unpause();
  await container.stop().catch(notModified);
}

/** Running if `before` ran (then it must be running now), paused if it was paused, else left created. */
async function startAsBefore(container: Dockerode.Container, before: ContainerInspectInfo): Promise<void> {
  if (!before.State.Running) return;
  await container.start().catch(notModified);
  if (before.State.Paused) await container.pause();
  const now = await container.inspect();
  if (!now.State.Running) {
    throw new PolyvisorError({
      code: 'SERVER_ERROR',
      message: `${before.Name.replace(/^\//, '')} did not keep running after its start (${now.State.Status}, exit code ${now.State.ExitCode}).`,
      serverParams: [now.State.Status, String(now.State.ExitCode)],
    });
  }
}

interface ImagesToSend {
  /** the image the container was made from, by the reference it was made with, when the copy can use it */
  base: string | null;
  /** references to send besides the snapshot */
  send: string[];
  dataTag: string[];
}

/**
 * The container is recreated from its own image (same configuration, Image included) when its
 * filesystem holds no change outside its mount points, else from the snapshot (which has them).
 * The image is sent only when the destination lacks that reference; one there under the same
 * reference with other contents is not replaced.
 */
async function imagesToSend(source: EngineEnd, destination: EngineEnd, info: ContainerInspectInfo, dataImage: string | null): Promise<ImagesToSend> {
  const dataTag = dataImage ? [((await source.docker.getImage(dataImage).inspect()).RepoTags ?? [])[0] ?? dataImage] : [];
  const ref = info.Config.Image;
  const atSource = await imageId(source.docker, ref);
  if (atSource !== info.Image || (await hasOwnChanges(source.docker, info))) return { base: null, send: [], dataTag };
  const atDestination = await imageId(destination.docker, ref);
  if (atDestination === null) return { base: ref, send: [ref], dataTag };
  return atDestination === atSource ? { base: ref, send: [], dataTag } : { base: null, send: [], dataTag };
}

async function hasOwnChanges(docker: Dockerode, info: ContainerInspectInfo): Promise<boolean> {
  const changes = ((await docker.getContainer(info.Id).changes()) ?? []) as Array<{ Path: string; Kind: number }>;
  // the engine makes mount points (and their parents) in the container's own layer: no change of the user's
  const mountPoints = (info.Mounts ?? []).map((m) => m.Destination);
  const isMountPath = (p: string) => mountPoints.some((m) => m === p || m.startsWith(`${p}/`));
  return changes.some((c) => !isMountPath(c.Path));
}

async function imageId(docker: Dockerode, ref: string): Promise<string | null> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (e) {
    if (isHttpError(e, 404)) return null;
    throw e;
  }
}

/** Every step undone, newest first; a step that cannot be undone is logged and the rest still run. */
async function undoAll(undo: Undo[], source: EngineEnd, name: string): Promise<void> {
  for (const u of undo.reverse()) {
    try {
      await u.run();
    } catch (e) {
      source.log?.('error', `Undoing the move of ${name}: could not ${u.what}: ${toErrorInfo(e).message}`);
    }
  }
}

/** The transfer snapshot once the move is done: its removal failing leaves an image to delete, not a failed move. */
async function cleanUp(end: EngineEnd, snapshotId: string): Promise<void> {
  try {
    await deleteSnapshot(end.docker, snapshotId);
  } catch (e) {
    end.log?.('warn', `The move is done, but its transfer snapshot ${snapshotId} stays on ${end.where}: ${toErrorInfo(e).message}`);
  }
}

/** Removes these references (the data image first: it is listed after its snapshot), skipping the ones not there. */
async function removeIfThere(docker: Dockerode, refs: string[]): Promise<void> {
  for (const ref of [...refs].reverse()) {
    await docker.getImage(ref).remove().catch((e: unknown) => {
      if (!isHttpError(e, 404)) throw e;
    });
  }
}

function notModified(e: unknown): void {
  if (!isHttpError(e, 304)) throw e;
}
