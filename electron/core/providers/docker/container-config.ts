// What it takes to recreate a container the way it was (restore changes only its id):
// captured from `GET /containers/{id}/json`, kept as JSON in the snapshot's labels.

import type { ContainerCreateOptions, ContainerInspectInfo } from 'dockerode';
import { userLabels } from './snapshot-labels';

export interface EndpointSettings {
  Aliases?: string[] | null;
  IPAMConfig?: Record<string, unknown> | null;
  Links?: string[] | null;
  DriverOpts?: Record<string, string> | null;
}

export interface RecreateConfig {
  name: string;
  /** the image the container was originally made from (for display) */
  originalImage: string;
  config: Record<string, unknown>;
  hostConfig: Record<string, unknown>;
  /** network name → endpoint settings; the primary one is HostConfig.NetworkMode */
  networks: Record<string, EndpointSettings>;
}

const CONFIG_KEYS = [
  'Hostname', 'Domainname', 'User', 'Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'Labels', 'ExposedPorts',
  'Tty', 'OpenStdin', 'StdinOnce', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'StopSignal', 'StopTimeout',
  'Healthcheck', 'Volumes', 'Shell', 'MacAddress', 'NetworkDisabled', 'ArgsEscaped', 'OnBuild',
] as const;

export function captureConfig(info: ContainerInspectInfo): RecreateConfig {
  const cfg = info.Config as unknown as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) if (cfg[k] !== undefined && cfg[k] !== null) config[k] = cfg[k];
  config.Labels = userLabels(info.Config.Labels);
  // the engine names a container's host after its short id unless told otherwise
  if (config.Hostname === info.Id.slice(0, 12)) delete config.Hostname;
  const shortId = info.Id.slice(0, 12);
  const networks: Record<string, EndpointSettings> = {};
  for (const [net, ep] of Object.entries(info.NetworkSettings?.Networks ?? {})) {
    const e = ep as unknown as EndpointSettings;
    networks[net] = {
      Aliases: (e.Aliases ?? []).filter((a) => a !== shortId && a !== info.Id),
      IPAMConfig: e.IPAMConfig ?? null,
      Links: e.Links ?? null,
      DriverOpts: e.DriverOpts ?? null,
    };
  }
  return {
    name: info.Name.replace(/^\//, ''),
    originalImage: info.Config.Image,
    config,
    hostConfig: { ...(info.HostConfig as unknown as Record<string, unknown>) },
    networks,
  };
}

/** The create request for `image`, plus the extra networks to connect afterwards. */
export function createOptionsFor(
  rc: RecreateConfig,
  image: string,
): { create: ContainerCreateOptions; extraNetworks: Array<[string, EndpointSettings]> } {
  const primary = String(rc.hostConfig.NetworkMode ?? 'default');
  const endpoints: Record<string, EndpointSettings> = {};
  const extra: Array<[string, EndpointSettings]> = [];
  for (const [net, ep] of Object.entries(rc.networks)) {
    if (net === primary || (primary === 'default' && net === 'bridge')) endpoints[net] = ep;
    else extra.push([net, ep]);
  }
  const create = {
    ...rc.config,
    name: rc.name,
    Image: image,
    HostConfig: rc.hostConfig,
    NetworkingConfig: Object.keys(endpoints).length ? { EndpointsConfig: endpoints } : undefined,
  } as ContainerCreateOptions;
  return { create, extraNetworks: extra };
}

/** Named (not anonymous) volumes mounted by the container. */
export function namedVolumeMounts(info: ContainerInspectInfo): Array<{ volume: string; destination: string }> {
  return (info.Mounts ?? [])
    .filter((m) => m.Type === 'volume' && m.Name && !/^[0-9a-f]{64}$/.test(m.Name))
    .map((m) => ({ volume: m.Name as string, destination: m.Destination }));
}
