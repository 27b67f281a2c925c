// The engine as the normalized model: engine (host) → compose projects → containers,
// and snapshot images hung under the container that currently carries their name.

import type { ActionName, InventoryNode, PowerState, Props } from '../../../../shared/model';
import { nodeId } from '../../../../shared/model';
import type { NodesByOwner } from '../common/node-differ';
import type { ContainerRecord, EngineFacts, ImageRecord } from './engine-records';
import { userLabels, type SnapshotRecord } from './snapshot-labels';
import { imageNode, usage, volumeNode } from './store-nodes';
import type { VolumeRecord } from './store-records';
import { networkNode, type NetworkRecord } from './network-records';

export const ENGINE_REF = 'engine';
export const COMPOSE_PROJECT = 'com.docker.compose.project';

export interface EngineState {
  engine: EngineFacts;
  containers: Map<string, ContainerRecord>;
  snapshots: Map<string, SnapshotRecord>;
  /** images other than snapshot images, by id; absent where they were not read */
  images?: Map<string, ImageRecord>;
  /** named volumes by name; absent where they were not read */
  volumes?: Map<string, VolumeRecord>;
  /** networks by id (issue 16); absent where they were not read */
  networks?: Map<string, NetworkRecord>;
}

export function containerPowerState(info: ContainerRecord): PowerState {
  const s = info.State;
  if (s.Restarting) return 'restarting';
  if (s.Paused) return 'paused';
  if (s.Running) return s.Health?.Status === 'unhealthy' ? 'unhealthy' : 'running';
  if (['exited', 'created', 'dead', 'removing'].includes(s.Status)) return 'halted';
  return 'unknown';
}

export function allowedActions(state: PowerState): ActionName[] {
  switch (state) {
    // destroy while it runs: DELETE /containers/{id}?force=true kills it first (the confirmation asks to force it)
    case 'running':
    case 'unhealthy':
      return ['shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'pause', 'snapshot_create', 'migrate', 'destroy'];
    case 'paused':
      return ['unpause', 'force_shutdown', 'snapshot_create', 'migrate', 'destroy'];
    case 'restarting':
      return ['shutdown', 'force_shutdown'];
    case 'halted':
      return ['start', 'destroy', 'snapshot_create', 'migrate'];
    default:
      return [];
  }
}

export function containerName(info: ContainerRecord): string {
  return info.Name.replace(/^\//, '');
}

/**
 * The engine's nodes by owner (the differ's unit): the engine, each compose project,
 * each container, each snapshot. A container's node only changes when its record is
 * replaced or the snapshot list changes, so those are reused by identity.
 */
export class InventoryBuilder {
  private cache = new WeakMap<ContainerRecord, InventoryNode>();
  private cachedFor: Map<string, SnapshotRecord> | null = null;
  private lastProjects = new Set<string>();
  private lastStore = new Set<string>();

  constructor(private readonly serverId: string) {}

  /** Every node. */
  all(state: EngineState): NodesByOwner {
    return this.owners(state, state.containers.keys());
  }

  /**
   * What a change of these containers can touch: the engine and project counts, the
   * containers themselves (gone ones map to nothing) and the snapshots, which hang
   * under a container by its name.
   */
  affectedBy(state: EngineState, containerIds: Iterable<string>): NodesByOwner {
    return this.owners(state, containerIds);
  }

  private owners(state: EngineState, containerIds: Iterable<string>): NodesByOwner {
    if (state.snapshots !== this.cachedFor) {
      this.cache = new WeakMap();
      this.cachedFor = state.snapshots;
    }
    const engineId = nodeId(this.serverId, 'host', ENGINE_REF);
    const out: NodesByOwner = new Map([[ENGINE_REF, [engineNode(this.serverId, state)]]]);
    const projects = projectNodes(this.serverId, state, engineId);
    for (const gone of this.lastProjects) if (!projects.has(gone)) out.set(`project:${gone}`, []);
    for (const [project, node] of projects) out.set(`project:${project}`, [node]);
    this.lastProjects = new Set(projects.keys());
    const snapshots = [...state.snapshots.values()];
    for (const id of containerIds) {
      const c = state.containers.get(id);
      out.set(`container:${id}`, c ? [this.containerNode(c, engineId, snapshots)] : []);
    }
    for (const node of snapshotNodes(this.serverId, state, engineId)) out.set(`snapshot:${node.nativeRef}`, [node]);
    // which containers use an image or volume changes with any container: all of them are compared
    const store = storeNodes(this.serverId, state, engineId);
    for (const gone of this.lastStore) if (!store.has(gone)) out.set(gone, []);
    for (const [owner, node] of store) out.set(owner, [node]);
    this.lastStore = new Set(store.keys());
    return out;
  }

  private containerNode(c: ContainerRecord, engineId: string, snapshots: SnapshotRecord[]): InventoryNode {
    let node = this.cache.get(c);
    if (!node) {
      node = containerNode(this.serverId, c, engineId, snapshots);
      this.cache.set(c, node);
    }
    return node;
  }
}

function engineNode(serverId: string, state: EngineState): InventoryNode {
  const containers = [...state.containers.values()];
  const e = state.engine;
  return {
    id: nodeId(serverId, 'host', ENGINE_REF),
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
      containersRunning: containers.filter((c) => c.State.Running).length,
      storageDriver: e.storageDriver,
      experimental: e.experimental,
      id: e.id,
    },
  };
}

function projectNodes(serverId: string, state: EngineState, engineId: string): Map<string, InventoryNode> {
  const projects = new Map<string, ContainerRecord[]>();
  for (const c of state.containers.values()) {
    const p = c.Config.Labels[COMPOSE_PROJECT];
    if (!p) continue;
    const members = projects.get(p);
    if (members) members.push(c);
    else projects.set(p, [c]);
  }
  const nodes = new Map<string, InventoryNode>();
  for (const [project, members] of projects) {
    const labels = members[0].Config.Labels;
    nodes.set(project, {
      id: nodeId(serverId, 'project', project),
      serverId,
      kind: 'project',
      name: project,
      parentId: engineId,
      nativeRef: project,
      allowed: projectActions(members),
      props: {
        containers: members.length,
        containersRunning: members.filter((c) => c.State.Running).length,
        workingDir: labels['com.docker.compose.project.working_dir'] ?? null,
        configFiles: labels['com.docker.compose.project.config_files'] ?? null,
      },
    });
  }
  return nodes;
}

/** A project takes what its containers would: start if one is stopped, stop and restart if one runs, remove when none runs. */
function projectActions(members: ContainerRecord[]): ActionName[] {
  const states = members.map(containerPowerState);
  const running = states.some((s) => s !== 'halted' && s !== 'unknown');
  const stopped = states.some((s) => s === 'halted');
  return [...(stopped ? (['start'] as const) : []), ...(running ? (['shutdown', 'reboot'] as const) : []), ...(running ? [] : (['destroy'] as const))];
}

function storeNodes(serverId: string, state: EngineState, engineId: string): Map<string, InventoryNode> {
  const out = new Map<string, InventoryNode>();
  if (!state.images && !state.volumes && !state.networks) return out;
  const { byImage, byVolume } = usage(state.containers.values());
  for (const img of state.images?.values() ?? []) out.set(`image:${img.Id}`, imageNode(serverId, engineId, img, byImage.get(img.Id) ?? []));
  for (const v of state.volumes?.values() ?? []) out.set(`volume:${v.Name}`, volumeNode(serverId, engineId, v, byVolume.get(v.Name) ?? []));
  for (const n of state.networks?.values() ?? []) out.set(`network:${n.Id}`, networkNode(serverId, engineId, n));
  return out;
}

function snapshotNodes(serverId: string, state: EngineState, engineId: string): InventoryNode[] {
  const byName = new Map<string, ContainerRecord>();
  for (const c of state.containers.values()) byName.set(containerName(c), c);
  return [...state.snapshots.values()].map((s) => {
    const owner = byName.get(s.containerName);
    const ofId = nodeId(serverId, 'container', owner?.Id ?? s.ofContainerId);
    const parentImage = [s.parentImageId, ...s.ancestors].find((id) => id && state.snapshots.has(id)) ?? null;
    return {
      id: nodeId(serverId, 'snapshot', s.imageId),
      serverId,
      kind: 'snapshot',
      name: s.name,
      parentId: owner ? ofId : engineId,
      nativeRef: s.imageId,
      allowed: ['snapshot_revert', 'snapshot_delete', 'snapshot_clone'],
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
        ...(s.policyId ? { policyId: s.policyId } : {}),
      },
    } satisfies InventoryNode;
  });
}

function containerNode(serverId: string, c: ContainerRecord, engineId: string, snapshots: SnapshotRecord[]): InventoryNode {
  const project = c.Config.Labels[COMPOSE_PROJECT];
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
 * snapshot image it was restored from (not one a clone under another name was made from).
 */
export function currentSnapshotImage(c: ContainerRecord, snapshots: SnapshotRecord[]): string | null {
  let newest: SnapshotRecord | null = null;
  for (const s of snapshots) {
    if (s.ofContainerId !== c.Id) continue;
    if (!newest || (s.time ?? '') > (newest.time ?? '')) newest = s;
  }
  if (newest) return newest.imageId;
  const name = containerName(c);
  return snapshots.find((s) => s.imageId === c.Image && s.containerName === name)?.imageId ?? null;
}

/** Labels Docker and Compose set for their own bookkeeping (com.docker.compose.project, …). */
const ENGINE_LABEL_PREFIX = 'com.docker.';

function containerProps(c: ContainerRecord): Props {
  const labels = userLabels(c.Config.Labels);
  const health = c.State.Health?.Status ?? null;
  const rp = c.HostConfig.RestartPolicy;
  return {
    id: c.Id,
    image: c.Config.Image,
    imageId: c.Image,
    command: [c.Path, ...c.Args].filter(Boolean).join(' '),
    status: c.State.Status,
    exitCode: c.State.Running ? null : c.State.ExitCode,
    ports: portsOf(c),
    mounts: c.Mounts.map(
      (m) => `${m.Type} ${m.Type === 'volume' ? m.Name : m.Source} → ${m.Destination}${m.RW ? '' : ' (ro)'}`,
    ),
    networks: Object.entries(c.NetworkSettings.Networks).map(([n, ep]) =>
      ep.IPAddress ? `${n} ${ep.IPAddress}` : n,
    ),
    health,
    restartPolicy: rp?.Name ? (rp.MaximumRetryCount ? `${rp.Name}:${rp.MaximumRetryCount}` : rp.Name) : 'no',
    labels: Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    // the labels a user set are the container's tags (fixed once it is made); the engine's own (com.docker.*) are not
    tags: Object.entries(labels)
      .filter(([k]) => !k.startsWith(ENGINE_LABEL_PREFIX))
      .map(([k, v]) => (v ? `${k}=${v}` : k)),
    created: c.Created,
    started: c.State.StartedAt && !c.State.StartedAt.startsWith('0001') ? c.State.StartedAt : null,
  };
}

function portsOf(c: ContainerRecord): string[] {
  const live = c.NetworkSettings.Ports;
  const source = Object.keys(live).length ? live : c.HostConfig.PortBindings;
  const out: string[] = [];
  for (const [port, bindings] of Object.entries(source)) {
    if (!bindings || bindings.length === 0) out.push(port);
    else for (const b of bindings) out.push(`${b.HostIp || '0.0.0.0'}:${b.HostPort || '?'}->${port}`);
  }
  return out;
}
