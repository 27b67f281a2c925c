// A new container from an image (`POST /containers/create`), as the New VM wizard asks
// for it: name, command, environment, published ports, volumes (a named volume is made
// when missing), restart policy, memory limit and reservation, CPU limit, network. An
// image the engine lacks is pulled first, with progress. What a container does not have
// (disks, an ISO, cloud-init, a description, a vCPU count) is refused with the field named.

import type Dockerode from 'dockerode';
import { PolyvisorError } from '../../../../shared/errors';
import type { ContainerCreateSpec } from '../../../../shared/guests';
import { nodeId } from '../../../../shared/model';
import { taskStep } from '../common/task-steps';
import type { ActionResult, ProviderCreateSpec, TaskReporter } from '../provider';
import { isHttpError } from './errors';
import { pullImage } from './image-pull';
import type { EngineAccess } from './images';
import { ENGINE_REF } from './inventory';
import { volumeExists } from './move-checks';
import { DOCKER_NAME } from './snapshot-clone';
import { findContainerByName } from './snapshots';

export async function createContainer(engine: EngineAccess, spec: ProviderCreateSpec, task: TaskReporter): Promise<ActionResult> {
  const { docker, session } = engine;
  const request = createRequest(spec);
  const name = request.create.name as string;
  if (await findContainerByName(docker, name)) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'name', message: `A container named "${name}" already exists.` });
  }
  let rest = task;
  if (!(await hasImage(docker, spec.templateId))) {
    await pullImage(docker, spec.templateId, taskStep(task, 0, 0.8), engine.where);
    rest = taskStep(task, 0.8, 1);
  }
  const made = await createMissingVolumes(docker, spec.container?.volumes ?? []);
  rest.progress(0.3);
  let container: Dockerode.Container;
  try {
    container = await docker.createContainer(request.create);
  } catch (err) {
    // volumes made for a container that was not made are not wanted; the engine's refusal is what to read
    for (const volume of made) await docker.getVolume(volume).remove().catch(() => undefined);
    throw err;
  }
  for (const network of request.extraNetworks) await docker.getNetwork(network).connect({ Container: container.id });
  rest.progress(0.7);
  if (spec.start) await container.start();
  await session.refreshNow([container.id], [], false, made.length > 0);
  rest.progress(1);
  return { resultId: nodeId(engine.serverId, 'container', container.id) };
}

/** The create body for `spec`, and the networks to connect after the first; throws INVALID_INPUT on what Docker has no place for. */
export function createRequest(spec: ProviderCreateSpec): { create: Dockerode.ContainerCreateOptions; extraNetworks: string[] } {
  refuseVmOnly(spec);
  const name = spec.name.trim();
  if (!DOCKER_NAME.test(name)) {
    throw invalid('name', `"${name}" cannot name a Docker container: use letters, digits, "_", "." and "-", beginning with a letter or digit.`);
  }
  if (!spec.templateId.trim()) throw invalid('templateId', 'Choose the image the container is made from.');
  const c: Omit<ContainerCreateSpec, 'image'> = spec.container ?? {};
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostPort: string }>> = {};
  for (const p of c.ports ?? []) {
    if (!validPort(p.containerPort) || (p.hostPort !== undefined && !validPort(p.hostPort))) {
      throw invalid('ports', `Port ${p.containerPort}${p.hostPort !== undefined ? ` → ${p.hostPort}` : ''} is not a port number (1–65535).`);
    }
    const key = `${p.containerPort}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    // an empty host port: the engine picks a free one
    (bindings[key] ??= []).push({ HostPort: p.hostPort === undefined ? '' : String(p.hostPort) });
  }
  const binds = (c.volumes ?? []).map((v) => {
    if (!v.target.startsWith('/')) throw invalid('volumes', `The mount point "${v.target}" is not an absolute path in the container.`);
    if (!v.source.startsWith('/') && !DOCKER_NAME.test(v.source)) throw invalid('volumes', `"${v.source}" is neither a volume name nor an absolute host path.`);
    return `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`;
  });
  if (c.cpuLimit !== undefined && !(c.cpuLimit >= 0)) throw invalid('cpuLimit', 'The CPU limit is a number of cores, 0 or more.');
  const [primary, ...others] = (spec.networks ?? []).map((n) => n.networkId);
  const memory = spec.memory ?? {};
  const create: Dockerode.ContainerCreateOptions = {
    name,
    Image: spec.templateId.trim(),
    ...(c.command?.length ? { Cmd: c.command } : {}),
    ...(c.env?.length ? { Env: c.env } : {}),
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    HostConfig: {
      ...(binds.length ? { Binds: binds } : {}),
      ...(Object.keys(bindings).length ? { PortBindings: bindings } : {}),
      ...(c.restartPolicy ? { RestartPolicy: { Name: c.restartPolicy, MaximumRetryCount: 0 } } : {}),
      ...(memory.sizeBytes ? { Memory: memory.sizeBytes } : {}),
      ...(memory.reservationBytes ? { MemoryReservation: memory.reservationBytes } : {}),
      ...(c.cpuLimit ? { NanoCpus: Math.round(c.cpuLimit * 1e9) } : {}),
      ...(primary ? { NetworkMode: primary } : {}),
    },
  };
  return { create, extraNetworks: others };
}

function refuseVmOnly(spec: ProviderCreateSpec): void {
  if (spec.hostRef !== undefined && spec.hostRef !== ENGINE_REF) throw invalid('hostId', 'A Docker engine is its own only host.');
  if (spec.disks?.length) throw invalid('disks', 'A container has no disks of its own: mount volumes instead.');
  if (spec.isoId) throw invalid('isoId', 'A container boots no ISO.');
  if (spec.cloudInit) throw invalid('cloudInit', 'A container takes no cloud-init: set its environment instead.');
  if (spec.description) throw invalid('description', 'A Docker container has no description.');
  if (spec.vcpus !== undefined) throw invalid('vcpus', 'A container has no virtual CPUs: set a CPU limit instead.');
  const memory = spec.memory ?? {};
  for (const key of ['staticMinBytes', 'dynamicMinBytes', 'dynamicMaxBytes', 'limitBytes', 'shares'] as const) {
    if (memory[key] !== undefined) throw invalid('memory', 'A container has a memory limit and a reservation, nothing more.');
  }
}

async function hasImage(docker: Dockerode, reference: string): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect();
    return true;
  } catch (err) {
    if (isHttpError(err, 404)) return false;
    throw err;
  }
}

/** Named volumes the spec mounts that do not exist yet, made now (creating one that exists would hand that one back). */
async function createMissingVolumes(docker: Dockerode, volumes: NonNullable<ContainerCreateSpec['volumes']>): Promise<string[]> {
  const made: string[] = [];
  for (const v of volumes) {
    if (v.source.startsWith('/') || made.includes(v.source) || (await volumeExists(docker, v.source))) continue;
    await docker.createVolume({ Name: v.source });
    made.push(v.source);
  }
  return made;
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function invalid(field: string, message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', field, message });
}
