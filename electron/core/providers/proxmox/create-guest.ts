// A new guest on Proxmox VE: an empty VM (POST /nodes/{node}/qemu with its disks
// as STORAGE:SIZE, NICs on bridges, an ISO in the CD drive, cloud-init), a
// container from a template volume (POST …/lxc with ostemplate), or a clone of a
// template (POST …/clone, linked unless a storage is chosen) whose settings are
// then changed with PUT …/config (its NICs as chosen: template-nics.ts) and whose disks are grown (template-disks.ts). Each VMID comes from /cluster/nextid; progress
// from the worker task.

import { PolyvisorError } from '../../../../shared/errors';
import type { DiskSpec } from '../../../../shared/guests';
import { nodeId } from '../../../../shared/model';
import { taskStep } from '../common/task-steps';
import type { ActionResult, ProviderCreateSpec, TaskReporter } from '../provider';
import { followTask, guestPath } from './actions';
import { readNothing, readUpid } from './answers';
import type { PveClient, PveParams } from './client';
import type { ClusterCache } from './cluster-cache';
import { EMPTY_VM, parseStorageChoiceId } from './create-options';
import { readGuestConfig, readNodeStorages } from './guest-answers';
import { changeParams } from './guest-changes';
import { MiB } from './guest-config';
import { guestRef, parseGuestRef, type GuestType } from './model-map';
import { withNextVmid } from './next-vmid';
import { addedDiskParams, checkTemplateDisks, growClonedDisks, templateDisks } from './template-disks';
import { nicParams } from './template-nics';
import type { SnapshotActionDeps } from './snapshot-actions';

const GiB = 1024 ** 3;

export type CreateDeps = SnapshotActionDeps & { cache: () => ClusterCache };

function invalid(field: string, message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', field, message });
}

/** The node to make the guest on: the one asked for, the template's, or the online one with the most free memory. */
function chooseNode(deps: CreateDeps, spec: ProviderCreateSpec, templateNode?: string): string {
  const hosts = deps.cache().hostFacts().filter((h) => h.online);
  if (spec.hostRef) {
    if (!hosts.some((h) => h.name === spec.hostRef)) throw invalid('hostId', `Node ${spec.hostRef} is not online in the cluster.`);
    return spec.hostRef;
  }
  if (templateNode) return templateNode;
  const best = [...hosts].sort((a, b) => b.maxmem - b.mem - (a.maxmem - a.mem))[0];
  if (!best) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'No node of the cluster is online.' });
  return best.name;
}

/** A disk's storage as PVE names it; a storage local to another node cannot hold this guest's disk. */
function storageFor(disk: DiskSpec, node: string, fallback: string | undefined, index: number): string {
  if (!disk.storageId) {
    if (!fallback) throw invalid(`disks.${index}.storageId`, 'Choose a storage for the disk.');
    return fallback;
  }
  const { node: owner, storage } = parseStorageChoiceId(disk.storageId);
  if (owner && owner !== node) throw invalid(`disks.${index}.storageId`, `Storage ${storage} of node ${owner} cannot hold a disk of a guest on ${node}.`);
  return storage;
}

/** PVE allocates new volumes from STORAGE:SIZE, the size in GiB (fractions allowed). */
const gib = (bytes: number) => Number((bytes / GiB).toFixed(3));

function mib(bytes: number | undefined, field: string): number | undefined {
  if (bytes === undefined) return undefined;
  if (bytes % MiB !== 0) throw invalid(field, 'Proxmox VE takes memory in whole MiB.');
  return bytes / MiB;
}

function commonParams(spec: ProviderCreateSpec, type: GuestType): PveParams {
  const memory = mib(spec.memory?.sizeBytes ?? spec.memory?.dynamicMaxBytes, 'memory.sizeBytes');
  return {
    [type === 'qemu' ? 'name' : 'hostname']: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.vcpus !== undefined ? { cores: spec.vcpus } : {}),
    ...(memory !== undefined ? { memory } : {}),
    ...(spec.start ? { start: 1 } : {}),
  };
}

function qemuParams(spec: ProviderCreateSpec, node: string, defaultStorage: string | undefined): PveParams {
  const params: PveParams = { ...commonParams(spec, 'qemu'), ostype: 'l26', scsihw: 'virtio-scsi-single', sockets: 1 };
  const balloon = mib(spec.memory?.dynamicMinBytes, 'memory.dynamicMinBytes');
  if (balloon !== undefined) params.balloon = balloon;
  const disks = spec.disks ?? [{ sizeBytes: 32 * GiB }];
  disks.forEach((d, i) => (params[`scsi${i}`] = `${storageFor(d, node, defaultStorage, i)}:${gib(d.sizeBytes)},iothread=1`));
  const nets = spec.networks ?? [{ networkId: 'vmbr0' }];
  nets.forEach((n, i) => (params[`net${i}`] = `virtio,bridge=${n.networkId}`));
  if (spec.isoId) params.ide2 = `${spec.isoId},media=cdrom`;
  const ci = spec.cloudInit;
  if (ci) {
    if (!defaultStorage) throw invalid('cloudInit', 'The cloud-init drive needs a storage for disks on this node.');
    params.ide0 = `${storageFor(disks[0] ?? { sizeBytes: 0 }, node, defaultStorage, 0)}:cloudinit`;
    if (ci.user) params.ciuser = ci.user;
    if (ci.password) params.cipassword = ci.password;
    // PVE takes the keys URL-encoded (the schema's "urlencoded" format)
    if (ci.sshKeys) params.sshkeys = encodeURIComponent(ci.sshKeys);
    params.ipconfig0 = ci.ipConfig ?? 'ip=dhcp';
  }
  const order = [...(disks.length ? ['scsi0'] : []), ...(spec.isoId ? ['ide2'] : []), ...(nets.length ? ['net0'] : [])];
  if (order.length) params.boot = `order=${order.join(';')}`;
  return params;
}

function lxcParams(spec: ProviderCreateSpec, volid: string, node: string, defaultStorage: string | undefined): PveParams {
  const params: PveParams = { ...commonParams(spec, 'lxc'), ostemplate: volid, unprivileged: 1, swap: 512 };
  if (spec.memory?.dynamicMinBytes !== undefined) throw new PolyvisorError({ code: 'UNSUPPORTED', field: 'memory.dynamicMinBytes', message: 'A Proxmox VE container has no ballooning.' });
  const [root, ...extra] = spec.disks ?? [{ sizeBytes: 8 * GiB }];
  params.rootfs = `${storageFor(root, node, defaultStorage, 0)}:${gib(root.sizeBytes)}`;
  // a container's further volumes need a mount point: /mnt/diskN, changeable in PVE later
  extra.forEach((d, i) => (params[`mp${i}`] = `${storageFor(d, node, defaultStorage, i + 1)}:${gib(d.sizeBytes)},mp=/mnt/disk${i + 1}`));
  const nets = spec.networks ?? [{ networkId: 'vmbr0' }];
  nets.forEach((n, i) => (params[`net${i}`] = `name=eth${i},bridge=${n.networkId},ip=${i === 0 ? (spec.cloudInit?.ipConfig?.match(/ip=([^,]+)/)?.[1] ?? 'dhcp') : 'dhcp'}`));
  if (spec.cloudInit?.password) params.password = spec.cloudInit.password;
  if (spec.cloudInit?.sshKeys) params['ssh-public-keys'] = spec.cloudInit.sshKeys;
  return params;
}

/** The node's first storage for disks (rootdir for containers), as PVE's wizard preselects one. */
async function defaultStorageOf(deps: CreateDeps, node: string, container: boolean): Promise<string | undefined> {
  const list = await deps.client.get(`/nodes/${encodeURIComponent(node)}/storage`, readNodeStorages, { enabled: 1, content: container ? 'rootdir' : 'images' });
  return list.find((st) => st.active)?.storage;
}

export async function createProxmoxGuest(deps: CreateDeps, spec: ProviderCreateSpec, task: TaskReporter): Promise<ActionResult> {
  const { client } = deps;
  if (spec.templateId.startsWith('guest:')) return cloneTemplate(deps, spec, task);
  const container = spec.templateId.startsWith('ostemplate:');
  if (!container && spec.templateId !== EMPTY_VM) throw invalid('templateId', `${spec.templateId} is not a template of this cluster.`);
  const node = chooseNode(deps, spec);
  const storage = await defaultStorageOf(deps, node, container);
  const params = container ? lxcParams(spec, spec.templateId.slice('ostemplate:'.length), node, storage) : qemuParams(spec, node, storage);
  const type: GuestType = container ? 'lxc' : 'qemu';
  const { vmid, upid } = await withNextVmid(client, (vmid) => client.post(`/nodes/${encodeURIComponent(node)}/${type}`, readUpid, { vmid, ...params }), deps.log);
  await followTask(client, upid, task, deps.taskPollMs, 4, deps.log);
  return { resultId: nodeId(deps.serverId, container ? 'container' : 'vm', guestRef(type, vmid)) };
}

/** A clone of a VM or container template, then its settings; started when asked. */
async function cloneTemplate(deps: CreateDeps, spec: ProviderCreateSpec, task: TaskReporter): Promise<ActionResult> {
  const { client } = deps;
  const ref = parseGuestRef(spec.templateId.slice('guest:'.length));
  const template = ref ? deps.cache().guest(guestRef(ref.type, ref.vmid)) : undefined;
  if (!ref || !template) throw invalid('templateId', `${spec.templateId} is no longer a template of this cluster.`);
  const node = chooseNode(deps, spec, template.node);
  const source = { node: template.node, type: ref.type, vmid: ref.vmid };
  // what PVE would refuse (a smaller disk) is refused before the clone is made
  const own = templateDisks(ref.type, await client.get(`${guestPath(source)}/config`, readGuestConfig));
  checkTemplateDisks(ref.type, own, spec.disks);
  const firstStorage = spec.disks?.[0]?.storageId ? parseStorageChoiceId(spec.disks[0].storageId).storage : undefined;
  // linked (PVE's default for a template) unless the disks go to a storage of their own choice
  const cloneParams: PveParams = {
    [ref.type === 'qemu' ? 'name' : 'hostname']: spec.name,
    ...(firstStorage ? { full: 1, storage: firstStorage } : {}),
    ...(node !== template.node ? { target: node } : {}),
  };
  const { vmid, upid } = await withNextVmid(client, (newid) => client.post(`${guestPath(source)}/clone`, readUpid, { ...cloneParams, newid }), deps.log);
  await followTask(client, upid, taskStep(task, 0, 0.7), deps.taskPollMs, 4, deps.log);
  const copy = { node, type: ref.type, vmid };
  const cfg = await client.get(`${guestPath(copy)}/config`, readGuestConfig);
  const changes = changeParams(ref.type, { description: spec.description, vcpus: spec.vcpus, memory: spec.memory, isoId: ref.type === 'qemu' ? spec.isoId : undefined }, cfg);
  const copied = templateDisks(ref.type, cfg);
  const nics = nicParams(ref.type, cfg, spec.networks);
  Object.assign(changes, nics.set);
  if (nics.remove.length) changes.delete = [changes.delete, ...nics.remove].filter(Boolean).join(',');
  const adding = (spec.disks?.length ?? 0) > copied.length;
  Object.assign(changes, addedDiskParams(cfg, copied, spec.disks, adding ? await defaultStorageOf(deps, node, false) : undefined));
  const ci = spec.cloudInit;
  if (ci && ref.type === 'qemu') Object.assign(changes, { ciuser: ci.user, cipassword: ci.password, sshkeys: ci.sshKeys ? encodeURIComponent(ci.sshKeys) : undefined, ipconfig0: ci.ipConfig });
  if (Object.keys(changes).some((k) => k !== 'digest')) await client.put(`${guestPath(copy)}/config`, readNothing, changes);
  await growClonedDisks(client, copy, copied, spec.disks, taskStep(task, 0.7, 0.85), deps.taskPollMs, deps.log);
  if (spec.start) await followTask(client, await client.post(`${guestPath(copy)}/status/start`, readUpid), taskStep(task, 0.85, 1), deps.taskPollMs, 2, deps.log);
  task.progress(1);
  return { resultId: nodeId(deps.serverId, ref.type === 'qemu' ? 'vm' : 'container', guestRef(ref.type, vmid)) };
}
