// The `guests` facet of a Docker engine: what the New container wizard may offer (the
// engine's images, its networks, the engine as the one host), making a container, a
// container's settings as the engine has them, changing them live, and what removing
// one would take with it. Removal itself is `destroy` through runAction.

import type Dockerode from 'dockerode';
import { PolyvisorError } from '../../../../shared/errors';
import type { CreateOptions, GuestDisk, GuestNic, GuestProperties, RestartPolicy, TemplateChoice } from '../../../../shared/guests';
import { nodeId } from '../../../../shared/model';
import type { ProviderGuests } from '../provider';
import { createContainer } from './container-create';
import { containerDeletePlan } from './container-destroy';
import { updateContainer } from './container-update';
import type { EngineAccess } from './images';
import { ENGINE_REF } from './inventory';
import { imageName } from './store-nodes';

const RESTART_POLICIES: readonly RestartPolicy[] = ['no', 'always', 'unless-stopped', 'on-failure'];

/** Runs `work` on the live session; the engine's failures become the server's own code and message, `what` naming the step. */
export type Guarded = <T>(what: string, work: (engine: EngineAccess) => Promise<T>) => Promise<T>;

export function dockerGuests(guarded: Guarded): ProviderGuests {
  return {
    createOptions: () => guarded('Reading what a new container may use', createOptions),
    create: (spec, task) => guarded(`Creating the container ${spec.name}`, (e) => createContainer(e, spec, task)),
    properties: (target) => guarded('Reading the container', (e) => properties(e, containerRef(target))),
    configure: (target, changes, task) => guarded('Changing the container', (e) => updateContainer(e, containerRef(target), changes, task)),
    deletePlan: (target) => guarded('Reading what removing the container takes', (e) => containerDeletePlan(e, containerRef(target))),
  };
}

function containerRef(target: { nativeRef: string; kind: string }): string {
  if (target.kind !== 'container') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A Docker ${target.kind} has no settings of a container.` });
  return target.nativeRef;
}

async function createOptions(engine: EngineAccess): Promise<Omit<CreateOptions, 'serverId'>> {
  const { session, serverId } = engine;
  const facts = session.engine;
  const templates: TemplateChoice[] = [];
  for (const img of session.view.images?.values() ?? []) {
    const node = nodeId(serverId, 'image', img.Id);
    // each tag is a name to make a container from; an untagged image only by its id
    for (const ref of img.RepoTags.length ? img.RepoTags : [img.Id]) {
      templates.push({ id: ref, nodeId: node, name: img.RepoTags.length ? ref : imageName(img), makes: 'container', install: [] });
    }
  }
  templates.sort((a, b) => a.name.localeCompare(b.name));
  return {
    templates,
    hosts: [{ hostId: nodeId(serverId, 'host', ENGINE_REF), name: facts.name }],
    storages: [],
    networks: await networks(engine.docker),
    isos: [],
    ...(facts.cpus ? { maxVcpus: facts.cpus } : {}),
    ...(facts.memory ? { maxMemoryBytes: facts.memory } : {}),
  };
}

async function networks(docker: Dockerode): Promise<CreateOptions['networks']> {
  const list = (await docker.listNetworks()) as Array<{ Name?: unknown }>;
  const names = list.map((n) => n.Name).filter((n): n is string => typeof n === 'string' && n !== '');
  // the engine's default for a new container: "bridge" where it has one
  return names.sort().map((name) => ({ id: name, name, ...(name === 'bridge' ? { isDefault: true } : {}) }));
}

interface InspectedHost {
  Memory?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  RestartPolicy?: { Name?: string };
}

async function properties(engine: EngineAccess, id: string): Promise<Omit<GuestProperties, 'nodeId'>> {
  const info = await engine.docker.getContainer(id).inspect();
  const host = (info.HostConfig ?? {}) as InspectedHost;
  const volumes = engine.session.view.volumes;
  const disks: GuestDisk[] = (info.Mounts ?? [])
    .filter((m) => m.Type === 'volume' && m.Name)
    .map((m) => {
      const size = volumes?.get(m.Name as string)?.Size;
      return { id: m.Name as string, name: m.Name as string, sizeBytes: size ?? 0, device: m.Destination };
    });
  const nics: GuestNic[] = Object.entries(info.NetworkSettings?.Networks ?? {}).map(([name, ep]) => ({
    id: name,
    networkName: name,
    ...(ep.MacAddress ? { mac: ep.MacAddress } : {}),
    ...(ep.IPAddress ? { ips: [ep.IPAddress] } : {}),
  }));
  const policy = host.RestartPolicy?.Name || 'no';
  return {
    name: info.Name.replace(/^\//, ''),
    description: '',
    memory: { sizeBytes: host.Memory ?? 0, reservationBytes: host.MemoryReservation ?? 0 },
    disks,
    nics,
    // a container's labels are key=value pairs fixed at creation, not tags
    tags: [],
    cpuLimit: cpuLimitOf(host),
    ...(RESTART_POLICIES.includes(policy as RestartPolicy) ? { restartPolicy: policy as RestartPolicy } : {}),
    isos: [],
  };
}

/** Cores the container may use (0 = no limit): NanoCpus, or a CFS quota set the older way (`--cpu-quota`). */
function cpuLimitOf(host: InspectedHost): number {
  if (host.NanoCpus) return host.NanoCpus / 1e9;
  if (host.CpuQuota && host.CpuQuota > 0 && host.CpuPeriod) return host.CpuQuota / host.CpuPeriod;
  return 0;
}
