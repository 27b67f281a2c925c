// What the New VM wizard asks of a container made from an image (where the platform has
// images): command, environment, ports, volumes, restart policy and CPU limit, typed one
// per line as `docker run` takes them, and read into ContainerCreateSpec with each line's
// problem named.
import type { ContainerCreateSpec, RestartPolicy } from '../../../shared/guests';

export interface ContainerDraft {
  command: string;
  /** KEY=VALUE, one per line */
  env: string;
  /** [HOST:]CONTAINER[/tcp|udp], one per line */
  ports: string;
  /** SOURCE:/TARGET[:ro], one per line */
  volumes: string;
  restart: RestartPolicy;
  cpus: string;
}

export const emptyContainer = (): ContainerDraft => ({ command: '', env: '', ports: '', volumes: '', restart: 'no', cpus: '' });

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

type Read<T> = { ok: true; value: T } | { ok: false; line: string };

function readAll<T>(text: string, readLine: (line: string) => T | null): Read<T[]> {
  const out: T[] = [];
  for (const line of lines(text)) {
    const value = readLine(line);
    if (value === null) return { ok: false, line };
    out.push(value);
  }
  return { ok: true, value: out };
}

const port = (s: string | undefined) => (s !== undefined && /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535 ? Number(s) : null);

export function readPorts(text: string): Read<NonNullable<ContainerCreateSpec['ports']>> {
  return readAll(text, (line) => {
    const m = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp))?$/.exec(line);
    if (!m) return null;
    const containerPort = port(m[2]);
    const hostPort = m[1] === undefined ? undefined : port(m[1]);
    if (containerPort === null || hostPort === null) return null;
    return { containerPort, ...(hostPort !== undefined ? { hostPort } : {}), ...(m[3] ? { protocol: m[3] as 'tcp' | 'udp' } : {}) };
  });
}

export function readVolumes(text: string): Read<NonNullable<ContainerCreateSpec['volumes']>> {
  return readAll(text, (line) => {
    const m = /^([^:\s]+):(\/[^:\s]*)(?::(ro|rw))?$/.exec(line);
    return m ? { source: m[1], target: m[2], ...(m[3] === 'ro' ? { readOnly: true } : {}) } : null;
  });
}

export function readEnv(text: string): Read<string[]> {
  return readAll(text, (line) => (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line) ? line : null));
}

export type ContainerField = 'ctEnv' | 'ctPorts' | 'ctVolumes' | 'ctCpus';

/** The line each field cannot read (or the CPU text), by field. */
export function containerProblems(draft: ContainerDraft): Partial<Record<ContainerField, string>> {
  const out: Partial<Record<ContainerField, string>> = {};
  const env = readEnv(draft.env);
  const ports = readPorts(draft.ports);
  const volumes = readVolumes(draft.volumes);
  if (!env.ok) out.ctEnv = env.line;
  if (!ports.ok) out.ctPorts = ports.line;
  if (!volumes.ok) out.ctVolumes = volumes.line;
  if (draft.cpus.trim() && !(Number(draft.cpus) >= 0)) out.ctCpus = draft.cpus;
  return out;
}

/** The container part of the create request (call only when containerProblems is empty). */
export function containerSpecOf(draft: ContainerDraft, declares: { restartPolicy: boolean; cpuLimit: boolean }): NonNullable<import('../../../shared/guests').GuestCreateSpec['container']> {
  const env = readEnv(draft.env);
  const ports = readPorts(draft.ports);
  const volumes = readVolumes(draft.volumes);
  const command = draft.command.trim() ? draft.command.trim().split(/\s+/) : [];
  return {
    ...(command.length ? { command } : {}),
    ...(env.ok && env.value.length ? { env: env.value } : {}),
    ...(ports.ok && ports.value.length ? { ports: ports.value } : {}),
    ...(volumes.ok && volumes.value.length ? { volumes: volumes.value } : {}),
    ...(declares.restartPolicy ? { restartPolicy: draft.restart } : {}),
    ...(declares.cpuLimit && draft.cpus.trim() ? { cpuLimit: Number(draft.cpus) } : {}),
  };
}
