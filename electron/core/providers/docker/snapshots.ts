// Container snapshots on a plain Docker engine:
// take    = commit the container to a labelled image (+ its named volumes' files, copied
//           through the archive API into a second "volume data" image: no state outside the engine)
// restore = remove the container, recreate it from the image with its old configuration,
//           wipe and refill its named volumes, start it if it was running (its id changes)
// delete  = remove both images.
// The archive API needs no tar or shell inside the container, so any image works.

import type Dockerode from 'dockerode';
import type { ContainerInspectInfo } from 'dockerode';
import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import { policyTag } from '../../../../shared/schedules';
import type { TaskReporter } from '../provider';
import { captureConfig, createOptionsFor, namedVolumeMounts, type RecreateConfig } from './container-config';
import { engineMessage, isHttpError } from './errors';
import { L, parseJson, readVolumeRefs, snapshotRepo, snapshotTag, type VolumeArchiveRef } from './snapshot-labels';
import { dial } from './modem-dial';
import { directoriesTar } from './tar';

const VOLUMES_DIR = '.polyvisor-volumes';
const RESTORE_DIR = '/.polyvisor-restore';

export interface SnapshotLineage {
  /** image id of the snapshot the container currently derives from */
  parent: string | null;
  /** that snapshot's own ancestors, nearest first */
  ancestors: string[];
}

export async function takeSnapshot(
  docker: Dockerode,
  containerId: string,
  params: ActionParams,
  lineage: SnapshotLineage,
  task: TaskReporter,
): Promise<string> {
  const container = docker.getContainer(containerId);
  const info = await container.inspect();
  const name = info.Name.replace(/^\//, '');
  const now = new Date();
  const repo = snapshotRepo(name);
  const tag = snapshotTag(now);
  const mounts = params.includeVolumes ? namedVolumeMounts(info) : [];
  const volumes: VolumeArchiveRef[] = mounts.map((m, i) => ({ ...m, path: `/${VOLUMES_DIR}/${i}` }));
  const labels: Record<string, string> = {
    [L.role]: 'image',
    [L.of]: info.Id,
    [L.containerName]: name,
    [L.time]: now.toISOString(),
    [L.name]: params.name?.trim() || `${name} ${now.toISOString().slice(0, 19).replace('T', ' ')}`,
    [L.note]: params.description ?? '',
    [L.parent]: lineage.parent ?? '',
    [L.ancestors]: lineage.parent ? [lineage.parent, ...lineage.ancestors].join(',') : '',
    [L.config]: JSON.stringify(captureConfig(info)),
    [L.state]: info.State.Status,
    [L.volumes]: JSON.stringify(volumes),
    [L.checkpoint]: '',
    [L.dataOf]: '',
    // a policy's snapshot: retention finds only its own by this label (labels cannot change later)
    [L.policy]: params.policyId ? policyTag(params.policyId) : '',
  };

  // Pause once so the image and the volume files are one point in time.
  const pauseHere = info.State.Running && !info.State.Paused;
  if (pauseHere) await container.pause();
  task.progress(0.1);
  let imageId: string;
  try {
    imageId = await commit(docker, info.Id, repo, tag, labels, params.description ?? '');
    task.progress(volumes.length ? 0.4 : 0.9);
    if (volumes.length) {
      try {
        await archiveVolumes(docker, info, imageId, volumes, repo, `${tag}-volumes`, task);
      } catch (e) {
        // an image without its volume data is no snapshot; if removing it fails too, the first failure is what the user needs
        await docker.getImage(`${repo}:${tag}`).remove({ force: true }).catch(() => undefined);
        throw e;
      }
    }
  } finally {
    // a failed unpause shows in the tree (the container stays paused); the task reports the snapshot's own outcome
    if (pauseHere) await container.unpause().catch(() => undefined);
  }
  task.progress(1);
  return imageId;
}

/**
 * A memory snapshot is a CRIU checkpoint, which only an engine in experimental mode with
 * CRIU installed can make. The engine's own refusal is reported as is.
 */
export async function checkpointContainer(docker: Dockerode, containerId: string): Promise<never> {
  const checkpointId = `polyvisor-${Date.now().toString(36)}`;
  try {
    await dial(docker, {
      path: `/containers/${encodeURIComponent(containerId)}/checkpoints`,
      method: 'POST',
      options: { CheckpointID: checkpointId, Exit: false },
      statusCodes: { 200: true, 201: true, 204: true, 404: 'no such container', 500: 'server error', 501: 'not implemented' },
    });
  } catch (e) {
    const message = engineMessage(e);
    const status = (e as { statusCode?: number }).statusCode;
    const unsupported = status === 501 || /experimental/i.test(message);
    throw new PolyvisorError(
      {
        code: unsupported ? 'UNSUPPORTED' : 'SERVER_ERROR',
        message: `The Docker engine cannot take a memory snapshot (checkpoint): ${message}`,
        serverCode: status ? `HTTP_${status}` : undefined,
        serverParams: [message],
      },
      { cause: e },
    );
  }
  // The engine made one, but a checkpoint lives in the container's own folder and dies with
  // it on restore (restore recreates the container): do not pretend we can keep it.
  await dial(docker, {
    path: `/containers/${encodeURIComponent(containerId)}/checkpoints/${checkpointId}`,
    method: 'DELETE',
    statusCodes: { 200: true, 204: true, 404: true },
  }).catch(() => undefined); // housekeeping: the answer is UNSUPPORTED either way, and the checkpoint dies with the container
  throw new PolyvisorError({
    code: 'UNSUPPORTED',
    message: 'The engine can checkpoint this container, but Polyvisor cannot yet keep Docker checkpoints across a restore; take a snapshot without memory.',
  });
}

async function commit(
  docker: Dockerode,
  containerId: string,
  repo: string,
  tag: string,
  labels: Record<string, string>,
  comment: string,
): Promise<string> {
  const result = (await dial(docker, {
    path: '/commit?',
    method: 'POST',
    options: {
      _query: { container: containerId, repo, tag, comment, pause: false },
      _body: { Labels: labels },
    },
    statusCodes: { 200: true, 201: true, 404: 'no such container', 409: 'conflict', 500: 'server error' },
  })) as { Id: string };
  return result.Id;
}

async function archiveVolumes(
  docker: Dockerode,
  info: ContainerInspectInfo,
  imageId: string,
  volumes: VolumeArchiveRef[],
  repo: string,
  tag: string,
  task: TaskReporter,
): Promise<void> {
  const source = docker.getContainer(info.Id);
  const helper = await docker.createContainer({
    Image: imageId,
    Entrypoint: ['/polyvisor-never-started'],
    Cmd: [],
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none' },
    Labels: { [L.dataOf]: imageId },
  });
  try {
    await helper.putArchive(directoriesTar([`${VOLUMES_DIR}/`, ...volumes.map((v) => `${v.path.slice(1)}/`)]), { path: '/' });
    for (const [i, v] of volumes.entries()) {
      const stream = await source.getArchive({ path: `${v.destination.replace(/\/$/, '')}/.` });
      await helper.putArchive(stream, { path: v.path });
      task.progress(0.4 + (0.5 * (i + 1)) / volumes.length);
    }
    await commit(docker, helper.id, repo, tag, { [L.role]: 'volumes', [L.dataOf]: imageId }, `volumes of ${imageId}`);
  } finally {
    // the helper never ran and is hidden from the tree: a failed removal leaves an idle container, the snapshot's outcome matters more
    await helper.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** The config label, if it is one we could have written: anything else is not a snapshot to restore. */
export function readRecreateConfig(text: string | undefined): RecreateConfig | null {
  const rc = parseJson<unknown>(text, null);
  if (typeof rc !== 'object' || rc === null) return null;
  const { name, config, hostConfig, networks } = rc as Record<string, unknown>;
  const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  return typeof name === 'string' && name !== '' && isMap(config) && isMap(hostConfig) && isMap(networks) ? (rc as RecreateConfig) : null;
}

export interface RestoreResult {
  containerId: string;
  started: boolean;
}

/** A snapshot image and what it takes to make a container from it. */
export interface SnapshotImage {
  imageId: string;
  labels: Record<string, string>;
  rc: RecreateConfig;
  /** the snapshot's tag (polyvisor-snapshots/…), or its id when the tag is gone */
  tag: string;
  volumes: VolumeArchiveRef[];
  /** the image holding the named volumes' files, when the snapshot has any */
  dataImage: string | null;
}

export async function loadSnapshotImage(docker: Dockerode, ref: string): Promise<SnapshotImage> {
  const image = await docker.getImage(ref).inspect();
  const imageId = image.Id;
  const labels = image.Config?.Labels ?? {};
  const rc = readRecreateConfig(labels[L.config]);
  if (labels[L.role] !== 'image' || !rc) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Image ${imageId} is not a Polyvisor snapshot` });
  }
  const tag = image.RepoTags?.find((t) => t.startsWith('polyvisor-snapshots/')) ?? imageId;
  const volumes = readVolumeRefs(labels[L.volumes]);
  const dataImage = volumes.length ? await findDataImage(docker, imageId) : null;
  if (volumes.length && !dataImage) {
    throw new PolyvisorError({ code: 'NOT_FOUND', message: `The volume data of snapshot ${labels[L.name] ?? imageId} is missing` });
  }
  return { imageId, labels, rc, tag, volumes, dataImage };
}

/** Creates (does not start) a container from `image` with this configuration, on all of its networks. */
export async function createFromConfig(docker: Dockerode, rc: RecreateConfig, image: string): Promise<Dockerode.Container> {
  const { create, extraNetworks } = createOptionsFor(rc, image);
  const created = await docker.createContainer(create);
  try {
    for (const [net, ep] of extraNetworks) {
      await docker.getNetwork(net).connect({ Container: created.id, EndpointConfig: ep as Dockerode.EndpointSettings });
    }
  } catch (e) {
    // half on its networks is not the container asked for; the connect's failure is what the caller needs
    await created.remove({ force: true, v: false }).catch(() => undefined);
    throw e;
  }
  return created;
}

export async function restoreSnapshot(docker: Dockerode, ref: string, task: TaskReporter): Promise<RestoreResult> {
  const { labels, rc, tag, volumes, dataImage } = await loadSnapshotImage(docker, ref);

  const current = await findContainerByName(docker, rc.name);
  for (const v of volumes) {
    const users = await docker.listContainers({ all: true, filters: { volume: [v.volume] } });
    const others = users.filter((u) => u.Id !== current?.Id);
    if (others.length) {
      const names = others.map((o) => o.Names[0]?.replace(/^\//, '') ?? o.Id.slice(0, 12)).join(', ');
      throw new PolyvisorError({
        code: 'SERVER_ERROR',
        serverCode: 'VOLUME_IN_USE',
        serverParams: [v.volume, names],
        message: `Volume ${v.volume} is also used by ${names}: stop and remove that container before restoring this snapshot`,
      });
    }
  }
  const wasRunning = current ? ['running', 'paused', 'restarting'].includes(current.State) : labels[L.state] === 'running';
  task.progress(0.05);

  if (current) await docker.getContainer(current.Id).remove({ force: true, v: true });
  task.progress(0.2);
  for (const v of volumes) await recreateVolume(docker, v.volume);
  task.progress(0.3);

  const created = await createFromConfig(docker, rc, tag);
  task.progress(0.45);

  if (dataImage) await refillVolumes(docker, dataImage, volumes, task);
  task.progress(0.9);

  if (wasRunning) await created.start();
  task.progress(1);
  return { containerId: created.id, started: wasRunning };
}

export async function refillVolumes(docker: Dockerode, dataImage: string, volumes: VolumeArchiveRef[], task: TaskReporter): Promise<void> {
  const common = { Image: dataImage, Entrypoint: ['/polyvisor-never-started'], Cmd: [], NetworkDisabled: true };
  const reader = await docker.createContainer({ ...common, HostConfig: { NetworkMode: 'none' } });
  // NoCopy: the emptied volume must get exactly the archived files, not the image's.
  const writer = await docker.createContainer({
    ...common,
    HostConfig: {
      NetworkMode: 'none',
      Mounts: volumes.map((v, i) => ({
        Type: 'volume' as const,
        Source: v.volume,
        Target: `${RESTORE_DIR}/${i}`,
        VolumeOptions: { NoCopy: true } as Dockerode.MountSettings['VolumeOptions'],
      })),
    },
  });
  try {
    for (const [i, v] of volumes.entries()) {
      const stream = await reader.getArchive({ path: `${v.path}/.` });
      await writer.putArchive(stream, { path: `${RESTORE_DIR}/${i}` });
      task.progress(0.45 + (0.45 * (i + 1)) / volumes.length);
    }
  } finally {
    // helpers that never ran, hidden from the tree: a failed removal leaves idle containers, the restore's outcome matters more
    await reader.remove({ force: true, v: true }).catch(() => undefined);
    await writer.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** Empty a named volume by recreating it with the same driver, options and labels. */
async function recreateVolume(docker: Dockerode, name: string): Promise<void> {
  const volume = docker.getVolume(name);
  let spec: { Name: string; Driver?: string; DriverOpts?: Record<string, string>; Labels?: Record<string, string> } = { Name: name };
  try {
    const info = await volume.inspect();
    spec = { Name: name, Driver: info.Driver, DriverOpts: info.Options ?? undefined, Labels: info.Labels ?? undefined };
    await volume.remove();
  } catch (e) {
    if (!isHttpError(e, 404)) throw e;
  }
  await docker.createVolume(spec);
}

export async function deleteSnapshot(docker: Dockerode, ref: string): Promise<void> {
  const image = await docker.getImage(ref).inspect();
  if (image.Config?.Labels?.[L.role] !== 'image') {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Image ${ref} is not a Polyvisor snapshot` });
  }
  const dataImage = await findDataImage(docker, image.Id);
  if (dataImage) await removeImage(docker, dataImage);
  await removeImage(docker, image.Id, image.RepoTags ?? []);
}

/**
 * Remove by tag (force only unties a tag a container still uses: the image then stays
 * untagged for that container, and no longer counts as a snapshot).
 */
async function removeImage(docker: Dockerode, imageId: string, tags?: string[]): Promise<void> {
  const refs = tags ?? (await docker.getImage(imageId).inspect()).RepoTags ?? [];
  const ours = refs.filter((t) => t.startsWith('polyvisor-snapshots/'));
  if (ours.length === 0) {
    await docker.getImage(imageId).remove({});
    return;
  }
  for (const ref of ours) await docker.getImage(ref).remove({ force: true });
}

export async function findDataImage(docker: Dockerode, imageId: string): Promise<string | null> {
  const images = await docker.listImages({ all: true, filters: { label: [`${L.dataOf}=${imageId}`, `${L.role}=volumes`] } });
  return images[0]?.Id ?? null;
}

export async function findContainerByName(docker: Dockerode, name: string): Promise<Dockerode.ContainerInfo | null> {
  const list = await docker.listContainers({ all: true, filters: { name: [`^/${name}$`] } });
  return list.find((c) => c.Names.includes(`/${name}`)) ?? null;
}
