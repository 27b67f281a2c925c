// The engine as the normalized model: engine (host) → compose projects → containers,
// and snapshot images hung under the container that currently carries their name.

import type { ContainerInspectInfo } from 'dockerode';
import type { ActionName, InventoryNode, PowerState, Props } from '../../../../shared/model';
import { nodeId } from '../../../../shared/model';
import { userLabels, type SnapshotRecord } from './snapshot-labels';

export const ENGINE_REF = 'engine';
export const COMPOSE_PROJECT = 'com.docker.compose.project';

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
}

export interface EngineState {
  engine: EngineFacts;
  containers: Map<string, ContainerInspectInfo>;
  snapshots: Map<string, SnapshotRecord>;
}

export function containerPowerState(info: ContainerInspectInfo): PowerState {
  const s = info.State;
  if (s.Restarting) return 'restarting';
  if (s.Paused) return 'paused';
  if (s.Running) return s.Health?.Status === 'unhealthy' ? 'unhealthy' : 'running';
  if (['exited', 'created', 'dead', 'removing'].includes(s.Status)) return 'halted';
  return 'unknown';
}

export function allowedActions(state: PowerState): ActionName[] {
  switch (state) {
    case 'running':
    case 'unhealthy':
      return ['shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'pause', 'snapshot_create'];
    case 'paused':
      return ['unpause', 'force_shutdown', 'snapshot_create'];
    case 'restarting':
      return ['shutdown', 'force_shutdown'];
    case 'halted':
      return ['start', 'destroy', 'snapshot_create'];
    default:
      return [];
  }
}

export function containerName(info: ContainerInspectInfo): string {
  return info.Name.replace(/^\//, '');
}

/**
 * Builds the engine's nodes after every event batch. A container's node only changes when
 * its inspect record is replaced or the snapshot list changes, so those are reused by identity.
 */
export class InventoryBuilder {
  private cache = new WeakMap<ContainerInspectInfo, InventoryNode>();
  private cachedFor: Map<string, SnapshotRecord> | null = null;

  constructor(private readonly serverId: string) {}

  build(state: EngineState): InventoryNode[] {
    if (state.snapshots !== this.cachedFor) {
      this.cache = new WeakMap();
      this.cachedFor = state.snapshots;
    }
    return assemble(this.serverId, state, (c, engineId, snapshots) => {
      let node = this.cache.get(c);
      if (!node) {
        node = containerNode(this.serverId, c, engineId, snapshots);
        this.cache.set(c, node);
      }
      return node;
    });
  }
}

type ContainerNodeFn = (c: ContainerInspectInfo, engineId: string, snapshots: SnapshotRecord[]) => InventoryNode;

function assemble(serverId: string, state: EngineState, containerNodeOf: ContainerNodeFn): InventoryNode[] {
  const engineId = nodeId(serverId, 'host', ENGINE_REF);
  const containers = [...state.containers.values()];
  const running = containers.filter((c) => c.State.Running).length;
  const e = state.engine;
  const nodes: InventoryNode[] = [
    {
      id: engineId,
      serverId,
      kind: 'host',
      name: e.name,
      parentId: null,
      nativeRef: ENGINE_REF,
      state: 'running',
      allowed: [],
      props: {
        version: e.version,
        apiVersion: e.apiVersion,
        os: e.os,
        kernel: e.kernel,
        cpus: e.cpus,
        memory: e.memory,
        containers: containers.length,
        containersRunning: running,
        storageDriver: e.storageDriver,
        experimental: e.experimental,
        id: e.id,
      },
    },
  ];

  const projects = new Map<string, ContainerInspectInfo[]>();
  for (const c of containers) {
    const p = c.Config.Labels?.[COMPOSE_PROJECT];
    if (!p) continue;
    const members = projects.get(p);
    if (members) members.push(c);
    else projects.set(p, [c]);
  }
  for (const [project, members] of projects) {
    const labels = members[0].Config.Labels ?? {};
    nodes.push({
      id: nodeId(serverId, 'project', project),
      serverId,
      kind: 'project',
      name: project,
      parentId: engineId,
      nativeRef: project,
      allowed: [],
      props: {
        containers: members.length,
        containersRunning: members.filter((c) => c.State.Running).length,
        workingDir: labels['com.docker.compose.project.working_dir'] ?? null,
        configFiles: labels['com.docker.compose.project.config_files'] ?? null,
      },
    });
  }

  const byName = new Map<string, ContainerInspectInfo>();
  for (const c of containers) byName.set(containerName(c), c);
  const snapshots = [...state.snapshots.values()];

  for (const c of containers) nodes.push(containerNodeOf(c, engineId, snapshots));

  for (const s of snapshots) {
    const owner = byName.get(s.containerName);
    const ofId = nodeId(serverId, 'container', owner?.Id ?? s.ofContainerId);
    const parentImage = [s.parentImageId, ...s.ancestors].find((id) => id && state.snapshots.has(id)) ?? null;
    nodes.push({
      id: nodeId(serverId, 'snapshot', s.imageId),
      serverId,
      kind: 'snapshot',
      name: s.name,
      parentId: owner ? ofId : engineId,
      nativeRef: s.imageId,
      allowed: ['snapshot_revert', 'snapshot_delete'],
      props: {
        image: s.tag,
        container: s.containerName,
        containerId: s.ofContainerId,
        stateWhenTaken: s.state,
        volumes: s.volumes.map((v) => v.volume),
        size: s.size,
        id: s.imageId,
      },
      snapshot: {
        ofId,
        parentSnapshotId: parentImage ? nodeId(serverId, 'snapshot', parentImage) : null,
        time: s.time,
        withMemory: !!s.checkpoint,
        description: s.description,
      },
    });
  }
  return nodes;
}

function containerNode(serverId: string, c: ContainerInspectInfo, engineId: string, snapshots: SnapshotRecord[]): InventoryNode {
  const project = c.Config.Labels?.[COMPOSE_PROJECT];
  const power = containerPowerState(c);
  const current = currentSnapshotImage(c, snapshots);
  return {
    id: nodeId(serverId, 'container', c.Id),
    serverId,
    kind: 'container',
    name: containerName(c),
    parentId: project ? nodeId(serverId, 'project', project) : engineId,
    nativeRef: c.Id,
    state: power,
    allowed: allowedActions(power),
    props: containerProps(c),
    currentSnapshotId: current ? nodeId(serverId, 'snapshot', current) : null,
  };
}

/**
 * "You are here": the newest snapshot taken of this very container, else the
 * snapshot image it was restored from.
 */
export function currentSnapshotImage(c: ContainerInspectInfo, snapshots: SnapshotRecord[]): string | null {
  let newest: SnapshotRecord | null = null;
  for (const s of snapshots) {
    if (s.ofContainerId !== c.Id) continue;
    if (!newest || (s.time ?? '') > (newest.time ?? '')) newest = s;
  }
  if (newest) return newest.imageId;
  return snapshots.find((s) => s.imageId === c.Image)?.imageId ?? null;
}

function containerProps(c: ContainerInspectInfo): Props {
  const labels = userLabels(c.Config.Labels);
  const health = c.State.Health?.Status ?? null;
  const rp = c.HostConfig.RestartPolicy;
  return {
    id: c.Id,
    image: c.Config.Image,
    imageId: c.Image,
    command: [c.Path, ...(c.Args ?? [])].filter(Boolean).join(' '),
    status: c.State.Status,
    exitCode: c.State.Running ? null : c.State.ExitCode,
    ports: portsOf(c),
    mounts: (c.Mounts ?? []).map(
      (m) => `${m.Type} ${m.Type === 'volume' ? m.Name : m.Source} → ${m.Destination}${m.RW ? '' : ' (ro)'}`,
    ),
    networks: Object.entries(c.NetworkSettings?.Networks ?? {}).map(([n, ep]) =>
      ep.IPAddress ? `${n} ${ep.IPAddress}` : n,
    ),
    health,
    restartPolicy: rp?.Name ? (rp.MaximumRetryCount ? `${rp.Name}:${rp.MaximumRetryCount}` : rp.Name) : 'no',
    labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    created: c.Created,
    started: c.State.StartedAt && !c.State.StartedAt.startsWith('0001') ? c.State.StartedAt : null,
  };
}

function portsOf(c: ContainerInspectInfo): string[] {
  const live = c.NetworkSettings?.Ports as Record<string, Array<{ HostIp: string; HostPort: string }> | null> | undefined;
  const configured = c.HostConfig.PortBindings as Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | undefined;
  const source = live && Object.keys(live).length ? live : (configured ?? {});
  const out: string[] = [];
  for (const [port, bindings] of Object.entries(source)) {
    if (!bindings || bindings.length === 0) out.push(port);
    else for (const b of bindings) out.push(`${b.HostIp || '0.0.0.0'}:${b.HostPort || '?'}->${port}`);
  }
  return out;
}

/** Emits only what changed since the last call (a node object seen before is unchanged). */
export class NodeDiffer {
  private last = new Map<string, { node: InventoryNode; json: string }>();

  reset(nodes: InventoryNode[]): void {
    this.last = new Map(nodes.map((n) => [n.id, { node: n, json: JSON.stringify(n) }]));
  }

  diff(nodes: InventoryNode[]): { upsert: InventoryNode[]; remove: string[] } {
    const next = new Map<string, { node: InventoryNode; json: string }>();
    const upsert: InventoryNode[] = [];
    for (const n of nodes) {
      const before = this.last.get(n.id);
      if (before?.node === n) {
        next.set(n.id, before);
        continue;
      }
      const json = JSON.stringify(n);
      next.set(n.id, { node: n, json });
      if (before?.json !== json) upsert.push(n);
    }
    const remove = [...this.last.keys()].filter((id) => !next.has(id));
    this.last = next;
    return { upsert, remove };
  }
}
