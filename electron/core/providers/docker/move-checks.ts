// What a container move asks of the two engines before anything changes: the same OS and
// architecture, no container of that name and none of its named volumes already on the
// destination, nothing tied to another container of the source. And the networks the
// recreated container can join there (the ones that exist on the destination).

import type Dockerode from 'dockerode';
import type { ContainerInspectInfo } from 'dockerode';
import { PolyvisorError } from '../../../../shared/errors';
import type { EndpointSettings, RecreateConfig } from './container-config';
import { namedVolumeMounts } from './container-config';
import { isHttpError } from './errors';
import { findContainerByName } from './snapshots';

export interface EngineAt {
  docker: Dockerode;
  where: string;
}

/** `GET /info`: the platform images and containers are made for. */
export async function enginePlatform(engine: EngineAt): Promise<{ os: string; arch: string }> {
  const info = (await engine.docker.info()) as { OSType?: unknown; Architecture?: unknown };
  return { os: String(info.OSType ?? ''), arch: String(info.Architecture ?? '') };
}

/** Refuses (INVALID_INPUT on targetId, UNSUPPORTED) what would make the move fail or clobber the destination. */
export async function checkMove(source: EngineAt, destination: EngineAt, info: ContainerInspectInfo): Promise<void> {
  const name = info.Name.replace(/^\//, '');
  const host = info.HostConfig as unknown as Record<string, unknown>;
  for (const key of ['NetworkMode', 'PidMode', 'IpcMode'] as const) {
    const mode = String(host[key] ?? '');
    if (mode.startsWith('container:')) {
      throw new PolyvisorError({
        code: 'UNSUPPORTED',
        message: `${name} shares the ${key.replace('Mode', '').toLowerCase()} namespace of another container (${mode}), which stays on ${source.where}: it cannot move on its own.`,
      });
    }
  }
  if (Array.isArray(host.VolumesFrom) && host.VolumesFrom.length) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${name} mounts the volumes of ${host.VolumesFrom.join(', ')}, which stay on ${source.where}.` });
  }
  const [from, to] = await Promise.all([enginePlatform(source), enginePlatform(destination)]);
  if (from.os !== to.os || from.arch !== to.arch) {
    throw refused(`The Docker engine at ${destination.where} runs ${to.os}/${to.arch} containers; ${name} is a ${from.os}/${from.arch} container.`);
  }
  if (await findContainerByName(destination.docker, name)) {
    throw refused(`The Docker engine at ${destination.where} already has a container named ${name}.`);
  }
  for (const { volume } of namedVolumeMounts(info)) {
    if (await volumeExists(destination.docker, volume)) {
      // creating a volume whose name exists hands back that volume: its files would mix with the moved ones
      throw refused(`The Docker engine at ${destination.where} already has a volume named ${volume}; ${name}'s volume of that name would be mixed into it.`);
    }
  }
}

/** Named volumes as the source has them (driver, options, labels), to create them alike on the destination. */
export async function volumeSpecs(docker: Dockerode, info: ContainerInspectInfo): Promise<Dockerode.VolumeCreateOptions[]> {
  const specs: Dockerode.VolumeCreateOptions[] = [];
  for (const { volume } of namedVolumeMounts(info)) {
    const v = await docker.getVolume(volume).inspect();
    specs.push({ Name: volume, Driver: v.Driver, DriverOpts: v.Options ?? undefined, Labels: v.Labels ?? undefined });
  }
  return specs;
}

/**
 * The configuration on the destination: networks that do not exist there are left out; when
 * the primary one is missing, the first remaining network becomes primary, else none.
 */
export function configForNetworks(rc: RecreateConfig, existing: ReadonlySet<string>): { rc: RecreateConfig; left: string[] } {
  const primary = String(rc.hostConfig.NetworkMode ?? 'default');
  const resolvedPrimary = primary === 'default' ? 'bridge' : primary;
  const networks: Record<string, EndpointSettings> = {};
  const left: string[] = [];
  for (const [net, ep] of Object.entries(rc.networks)) {
    if (existing.has(net)) networks[net] = ep;
    else left.push(net);
  }
  const builtin = resolvedPrimary === 'host' || resolvedPrimary === 'none';
  if (builtin || existing.has(resolvedPrimary)) return { rc: { ...rc, networks }, left };
  if (!left.includes(resolvedPrimary)) left.push(resolvedPrimary);
  const next = Object.keys(networks)[0] ?? 'none';
  return { rc: { ...rc, networks, hostConfig: { ...rc.hostConfig, NetworkMode: next } }, left };
}

export async function networkNames(docker: Dockerode): Promise<Set<string>> {
  return new Set((await docker.listNetworks()).map((n) => n.Name));
}

export async function volumeExists(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return true;
  } catch (e) {
    if (isHttpError(e, 404)) return false;
    throw e;
  }
}

function refused(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', field: 'targetId', message });
}
