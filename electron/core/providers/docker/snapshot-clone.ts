// A new container from a snapshot: the snapshot image with the original container's
// configuration under a new name, and named volumes of its own. A clone never shares
// a named volume with the original (two processes on one data directory): each one it
// mounts becomes a new volume "<clone>-<volume>", filled with the files the snapshot
// holds for it (empty when the snapshot was taken without volumes). It is created,
// not started, like a cloned VM. What would make two containers collide on a network
// (aliases, fixed addresses, a MAC address) is left out and compose's labels are
// emptied (the clone belongs to no project); published ports stay as they were.

import type Dockerode from 'dockerode';
import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import { isHttpError } from './errors';
import type { EndpointSettings, RecreateConfig } from './container-config';
import type { TaskReporter } from '../provider';
import { createFromConfig, findContainerByName, loadSnapshotImage, refillVolumes } from './snapshots';

/** Docker's rule for container (and volume) names. */
export const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const COMPOSE_LABEL = /^com\.docker\.compose\./;

export async function cloneFromSnapshot(docker: Dockerode, ref: string, params: ActionParams, task: TaskReporter): Promise<string> {
  const snapshot = await loadSnapshotImage(docker, ref);
  const { rc } = snapshot;
  const name = await cloneName(docker, params.name?.trim(), rc.name);
  task.progress(0.05);
  const renamed = new Map<string, string>();
  for (const volume of namedVolumes(rc.hostConfig)) renamed.set(volume, await freeVolumeName(docker, `${name}-${volume}`));
  const made: string[] = [];
  let container: Dockerode.Container | undefined;
  try {
    for (const volume of renamed.values()) {
      await docker.createVolume({ Name: volume });
      made.push(volume);
    }
    task.progress(0.2);
    container = await createFromConfig(docker, cloneConfig(rc, name, renamed), snapshot.tag);
    task.progress(0.45);
    if (snapshot.dataImage) {
      const volumes = snapshot.volumes.map((v) => ({ ...v, volume: renamed.get(v.volume) ?? v.volume }));
      await refillVolumes(docker, snapshot.dataImage, volumes, task);
    }
    task.progress(1);
    return container.id;
  } catch (err) {
    // a half-made clone is no clone: take back what was made; the first failure is what the user needs to read
    await container?.remove({ force: true, v: true }).catch(() => undefined);
    for (const volume of made) await docker.getVolume(volume).remove().catch(() => undefined);
    throw err;
  }
}

async function cloneName(docker: Dockerode, given: string | undefined, original: string): Promise<string> {
  if (given) {
    if (!DOCKER_NAME.test(given)) {
      throw new PolyvisorError({
        code: 'INVALID_INPUT',
        field: 'name',
        message: `"${given}" cannot name a Docker container: use letters, digits, "_", "." and "-", beginning with a letter or digit.`,
      });
    }
    if (await findContainerByName(docker, given)) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'name', message: `A container named "${given}" already exists.` });
    }
    return given;
  }
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${original}-copy` : `${original}-copy-${n}`;
    if (!(await findContainerByName(docker, candidate))) return candidate;
  }
}

async function freeVolumeName(docker: Dockerode, wanted: string): Promise<string> {
  // POST /volumes/create with a name that exists answers with that volume: only a free name makes a new one
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? wanted : `${wanted}-${n}`;
    try {
      await docker.getVolume(candidate).inspect();
    } catch (err) {
      if (isHttpError(err, 404)) return candidate;
      throw err;
    }
  }
}

/** Named volumes the configuration mounts (Binds "name:/path[:opts]" and volume Mounts). */
export function namedVolumes(hostConfig: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const bind of asList<string>(hostConfig.Binds)) {
    // a volume's name follows the name rule; a host path ("/srv", "C:\\data") never does
    const source = bind.split(':')[0];
    if (DOCKER_NAME.test(source)) out.add(source);
  }
  for (const m of asList<{ Type?: string; Source?: string }>(hostConfig.Mounts)) if (m.Type === 'volume' && m.Source) out.add(m.Source);
  return [...out];
}

/** The original's configuration as the clone's: new name and volumes, nothing that would collide or tie it to compose. */
export function cloneConfig(rc: RecreateConfig, name: string, volumes: ReadonlyMap<string, string>): RecreateConfig {
  const { MacAddress: _mac, ...config } = rc.config;
  void _mac;
  // the snapshot image carries the original's labels and a container cannot drop what its image has:
  // compose's are emptied instead, so neither compose nor the tree counts the clone in the project
  const labels = Object.fromEntries(
    Object.entries((config.Labels as Record<string, string> | undefined) ?? {}).map(([k, v]) => [k, COMPOSE_LABEL.test(k) ? '' : v]),
  );
  const binds = asList<string>(rc.hostConfig.Binds).map((bind) => {
    const [source, ...rest] = bind.split(':');
    const target = volumes.get(source);
    return target ? [target, ...rest].join(':') : bind;
  });
  const mounts = asList<Record<string, unknown>>(rc.hostConfig.Mounts).map((m) => {
    const target = m.Type === 'volume' && typeof m.Source === 'string' ? volumes.get(m.Source) : undefined;
    return target ? { ...m, Source: target } : m;
  });
  const networks: Record<string, EndpointSettings> = {};
  for (const [net, ep] of Object.entries(rc.networks)) networks[net] = { Links: ep.Links ?? null, DriverOpts: ep.DriverOpts ?? null };
  return {
    ...rc,
    name,
    config: { ...config, Labels: labels },
    hostConfig: {
      ...rc.hostConfig,
      ...(rc.hostConfig.Binds ? { Binds: binds } : {}),
      ...(rc.hostConfig.Mounts ? { Mounts: mounts } : {}),
    },
    networks,
  };
}

function asList<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
