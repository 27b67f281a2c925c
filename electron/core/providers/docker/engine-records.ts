// The engine's JSON answers read into the records the provider uses. A broken or hostile
// engine may send any JSON (or, through docker-modem, a Buffer when the body is not JSON):
// every field is checked for its type and copied, nothing else is kept, and an answer
// without what identifies it (a container's Id) is a typed BAD_ANSWER error. Reading
// never recurses into what the engine sent, so deep nesting costs nothing.

import { PolyvisorError } from '../../../../shared/errors';

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** The part of `GET /containers/{id}/json` the tree shows. */
export interface ContainerRecord {
  Id: string;
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  Image: string;
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    ExitCode: number;
    StartedAt: string;
    Health?: { Status: string };
  };
  Config: { Image: string; Labels: Record<string, string>; Tty: boolean };
  HostConfig: { RestartPolicy?: { Name: string; MaximumRetryCount: number }; PortBindings: Record<string, PortBinding[] | null> };
  Mounts: Array<{ Type: string; Name?: string; Source: string; Destination: string; RW: boolean }>;
  NetworkSettings: { Networks: Record<string, { IPAddress: string }>; Ports: Record<string, PortBinding[] | null> };
}

/** The part of `GET /images/json` that finds snapshot images. */
export interface ImageRecord {
  Id: string;
  Labels: Record<string, string>;
  RepoTags: string[];
  Size: number;
  /** seconds since the epoch */
  Created: number;
}

export interface EngineFacts {
  name: string;
  id: string;
  version: string;
  apiVersion: string;
  os: string;
  kernel: string;
  cpus: number;
  memory: number;
  storageDriver: string;
  experimental: boolean;
  /** the engine's clock when asked (ms since the epoch), to replay events from; null when it did not say */
  systemTimeMs: number | null;
}

export function badAnswer(where: string, what: string): PolyvisorError {
  return new PolyvisorError({ code: 'SERVER_ERROR', message: `The Docker engine at ${where} sent ${what}; Polyvisor cannot read it.`, serverCode: 'BAD_ANSWER' });
}

type Obj = Record<string, unknown>;

/** docker-modem hands over the raw body when it is not JSON. */
function json(raw: unknown, where: string): unknown {
  if (!Buffer.isBuffer(raw)) return raw;
  const text = raw.subarray(0, 40).toString('utf8').replace(/[^\x20-\x7e]/g, '?');
  throw badAnswer(where, raw.length ? `an answer that is not JSON (it begins "${text}")` : 'an empty answer where JSON belongs');
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const bool = (v: unknown): boolean => v === true;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

// maps are built with Object.fromEntries: a key such as "__proto__" stays a key

function stringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function bindings(v: unknown): Record<string, PortBinding[] | null> {
  return Object.fromEntries(
    Object.entries(obj(v)).map(([port, list]) => [
      port,
      Array.isArray(list) ? list.filter(isObj).map((b) => ({ HostIp: str(b.HostIp), HostPort: str(b.HostPort) })) : null,
    ]),
  );
}

/** `GET /containers/json`: the ids of the containers. */
export function readContainerIds(answer: unknown, where: string): string[] {
  const raw = json(answer, where);
  if (!Array.isArray(raw)) throw badAnswer(where, 'a container list that is not a list');
  const ids: string[] = [];
  for (const c of raw) {
    const id = isObj(c) ? c.Id : undefined;
    if (typeof id !== 'string' || !id) throw badAnswer(where, 'a container list entry without an id');
    ids.push(id);
  }
  return ids;
}

/** `GET /containers/{id}/json`. */
export function readContainer(answer: unknown, where: string): ContainerRecord {
  const raw = json(answer, where);
  if (!isObj(raw) || typeof raw.Id !== 'string' || !raw.Id) throw badAnswer(where, 'a container description without an id');
  const state = obj(raw.State);
  const config = obj(raw.Config);
  const host = obj(raw.HostConfig);
  const net = obj(raw.NetworkSettings);
  const health = isObj(state.Health) ? { Status: str(state.Health.Status) } : undefined;
  const restart = isObj(host.RestartPolicy) ? { Name: str(host.RestartPolicy.Name), MaximumRetryCount: num(host.RestartPolicy.MaximumRetryCount) } : undefined;
  const networks = Object.fromEntries(Object.entries(obj(net.Networks)).map(([name, ep]) => [name, { IPAddress: str(obj(ep).IPAddress) }]));
  return {
    Id: raw.Id,
    Name: str(raw.Name),
    Created: str(raw.Created),
    Path: str(raw.Path),
    Args: strings(raw.Args),
    Image: str(raw.Image),
    State: {
      Status: str(state.Status),
      Running: bool(state.Running),
      Paused: bool(state.Paused),
      Restarting: bool(state.Restarting),
      ExitCode: num(state.ExitCode),
      StartedAt: str(state.StartedAt),
      ...(health ? { Health: health } : {}),
    },
    Config: { Image: str(config.Image), Labels: stringMap(config.Labels), Tty: bool(config.Tty) },
    HostConfig: { ...(restart ? { RestartPolicy: restart } : {}), PortBindings: bindings(host.PortBindings) },
    Mounts: (Array.isArray(raw.Mounts) ? raw.Mounts : []).filter(isObj).map((m) => ({
      Type: str(m.Type),
      ...(typeof m.Name === 'string' ? { Name: m.Name } : {}),
      Source: str(m.Source),
      Destination: str(m.Destination),
      RW: bool(m.RW),
    })),
    NetworkSettings: { Networks: networks, Ports: bindings(net.Ports) },
  };
}

/** `GET /info` and `GET /version`. */
export function readEngineFacts(infoAnswer: unknown, versionAnswer: unknown, where: string): EngineFacts {
  const info = json(infoAnswer, where);
  const version = json(versionAnswer, where);
  if (!isObj(info)) throw badAnswer(where, 'engine information that is not an object');
  if (!isObj(version)) throw badAnswer(where, 'a version answer that is not an object');
  const time = Date.parse(str(info.SystemTime));
  return {
    name: str(info.Name),
    id: str(info.ID),
    version: str(info.ServerVersion),
    apiVersion: str(version.ApiVersion),
    os: str(info.OperatingSystem),
    kernel: str(info.KernelVersion),
    cpus: num(info.NCPU),
    memory: num(info.MemTotal),
    storageDriver: str(info.Driver),
    experimental: bool(info.ExperimentalBuild),
    systemTimeMs: Number.isFinite(time) ? time : null,
  };
}

/** `GET /images/json`: entries without an id are dropped, labels and tags kept only as strings. */
export function readImageList(answer: unknown, where: string): ImageRecord[] {
  const raw = json(answer, where);
  if (!Array.isArray(raw)) throw badAnswer(where, 'an image list that is not a list');
  return raw
    .filter((img): img is Obj => isObj(img) && typeof img.Id === 'string' && img.Id !== '')
    .map((img) => ({
      Id: img.Id as string,
      Labels: stringMap(img.Labels),
      RepoTags: strings(img.RepoTags).filter((t) => t !== '<none>:<none>'),
      Size: num(img.Size),
      Created: num(img.Created),
    }));
}
