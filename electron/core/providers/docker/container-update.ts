// Changing a container in place, running or not: limits and restart policy through
// `POST /containers/{id}/update`, the name through `POST /containers/{id}/rename`. What
// Docker fixes when a container is made (labels, a description it does not have, vCPUs,
// disks, an ISO, boot order) is refused before anything changes, with the reason.

import type Dockerode from 'dockerode';
import { PolyvisorError } from '../../../../shared/errors';
import type { GuestChanges } from '../../../../shared/guests';
import type { ActionResult, TaskReporter } from '../provider';
import type { EngineAccess } from './images';
import { DOCKER_NAME } from './snapshot-clone';

const CANNOT: Partial<Record<keyof GuestChanges, string>> = {
  description: 'A Docker container has no description.',
  vcpus: 'A container has no virtual CPUs: set its CPU limit instead.',
  isoId: 'A container has no CD drive.',
  bootOrder: 'A container has no boot order.',
  autoStart: 'Docker starts a container with the engine by its restart policy ("always" or "unless-stopped"): set that instead.',
  tags: "A container's labels are fixed when it is made: Docker cannot change them afterwards.",
};

export async function updateContainer(engine: EngineAccess, id: string, changes: GuestChanges, task: TaskReporter): Promise<ActionResult> {
  const body = updateBody(changes);
  const container = engine.docker.getContainer(id);
  if (Object.keys(body).length) {
    if (typeof body.Memory === 'number') Object.assign(body, await swapFor(container, body.Memory));
    await container.update(body);
  }
  task.progress(0.7);
  const name = changes.name?.trim();
  if (name !== undefined) await container.rename({ name });
  await engine.session.refreshNow([id], [], false);
  task.progress(1);
  return {};
}

/** The update's body; throws (changing nothing) on what Docker cannot change. */
export function updateBody(changes: GuestChanges): Record<string, unknown> {
  for (const [key, reason] of Object.entries(CANNOT)) {
    if (changes[key as keyof GuestChanges] !== undefined) throw new PolyvisorError({ code: 'UNSUPPORTED', field: key, message: reason });
  }
  const name = changes.name?.trim();
  if (name !== undefined && !DOCKER_NAME.test(name)) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'name', message: `"${name}" cannot name a Docker container: use letters, digits, "_", "." and "-", beginning with a letter or digit.` });
  }
  const body: Record<string, unknown> = {};
  const memory = changes.memory ?? {};
  for (const key of Object.keys(memory)) {
    if (key !== 'sizeBytes' && key !== 'reservationBytes') {
      throw new PolyvisorError({ code: 'UNSUPPORTED', field: 'memory', message: 'A container has a memory limit and a reservation, nothing more.' });
    }
  }
  if (memory.sizeBytes !== undefined) body.Memory = nonNegative(memory.sizeBytes, 'memory');
  if (memory.reservationBytes !== undefined) body.MemoryReservation = nonNegative(memory.reservationBytes, 'memory');
  if (changes.cpuLimit !== undefined) body.NanoCpus = Math.round(nonNegative(changes.cpuLimit, 'cpuLimit') * 1e9);
  if (changes.restartPolicy !== undefined) body.RestartPolicy = { Name: changes.restartPolicy, MaximumRetryCount: 0 };
  return body;
}

/**
 * A container made with a memory limit gets swap of twice that by the engine's default,
 * and the engine refuses a new limit above the swap it has. Where the swap is that
 * default it moves with the limit; a swap the user set is left for the engine to judge.
 */
async function swapFor(container: Dockerode.Container, memory: number): Promise<{ MemorySwap?: number }> {
  const info = await container.inspect();
  const { Memory: now = 0, MemorySwap: swap = 0 } = info.HostConfig as { Memory?: number; MemorySwap?: number };
  if (memory === 0) return { MemorySwap: -1 };
  if (swap > 0 && swap === 2 * now) return { MemorySwap: 2 * memory };
  return {};
}

function nonNegative(n: number, field: string): number {
  if (!Number.isFinite(n) || n < 0) throw new PolyvisorError({ code: 'INVALID_INPUT', field, message: `${n} is not a value ${field} can take.` });
  return n;
}
