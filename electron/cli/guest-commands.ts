// `polyvisor vm …` and `container create`: the same channels as the app
// (guests:createOptions/create/properties/configure/deletePlan, actions:run clone,
// to_template, destroy). Names the user types are resolved against what the server
// offers; every task runs to its end and its outcome is the exit code.

import type { TaskInfo } from '../../shared/contract';
import { PolyvisorError } from '../../shared/errors';
import type { CreateOptions, DiskSpec, GuestChanges, GuestCreateSpec, MemoryConfig } from '../../shared/guests';
import type { InventoryNode } from '../../shared/model';
import type { PolyvisorCore } from '../core/app-core';
import { confirmOrRefuse } from './ask';
import { inventoryFor } from './connect';
import type { DiskArg, GuestCommand, SizeRange } from './guest-args';
import { guestServer, pickChoice } from './guest-choices';
import { formatDeletePlan, formatProperties } from './guest-format';
import { findNode, GUEST_KINDS } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';

type VmCommand = Extract<GuestCommand, { name: `vm ${string}` | 'container create' }>;

export async function executeGuest(command: VmCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  switch (command.name) {
    case 'vm create':
      return createVm(command, core, session, io);
    case 'container create':
      return createContainer(command, core, session, io);
    case 'vm clone': {
      const vm = findNode(nodes, command.vm, GUEST_KINDS, 'VM');
      const { facet } = await guestServer(core, vm.serverId, (f) => f.clone.length > 0, 'clone VMs');
      if (command.full && !facet.clone.includes('full')) throw new PolyvisorError({ code: 'UNSUPPORTED', field: 'full', message: `vm clone: ${vm.name}'s platform has no full copy` });
      const [task] = await session.run({ nodeIds: [vm.id], action: 'clone', params: { name: command.newName, ...(command.full ? { full: true } : {}) } }, (t) => `Clone ${t.targetName} as "${command.newName}"`);
      return printCreated(io, command.json, command.newName, task);
    }
    case 'vm delete':
      return deleteGuests(command, nodes, core, session, io);
    case 'vm set':
      return setVm(command, findNode(nodes, command.vm, GUEST_KINDS, 'VM'), core, session, io);
    case 'vm template': {
      const vm = findNode(nodes, command.vm, ['vm'], 'VM');
      const [task] = await session.run({ nodeIds: [vm.id], action: 'to_template' }, (t) => `Convert ${t.targetName} to a template`);
      io.out(command.json ? JSON.stringify({ id: vm.id, name: vm.name, status: task.status, taskId: task.id }, null, 2) : `${vm.name} is a template now.`);
      return;
    }
    case 'vm show': {
      const vm = findNode(nodes, command.vm, GUEST_KINDS, 'VM');
      const props = await core.invoke('guests:properties', vm.id);
      io.out(command.json ? JSON.stringify(props, null, 2) : formatProperties(props));
      return;
    }
  }
}

async function createVm(command: Extract<GuestCommand, { name: 'vm create' }>, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const { server } = await guestServer(core, command.server, (f) => f.create, 'make VMs');
  const options = await core.invoke('guests:createOptions', server.id);
  const pick = <T extends { id: string; name: string }>(choices: readonly T[], query: string, flag: string, alsoId?: (c: T) => string | undefined) =>
    pickChoice(choices, query, flag, server.name, alsoId);
  const template = pick(options.templates, command.template, '--template', (t) => t.nodeId);
  if (command.cloudInit && !template.install.includes('cloud-init')) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'cloudInit', message: `vm create: ${template.name} takes no cloud-init or guest customization` });
  }
  const spec: GuestCreateSpec = {
    templateId: template.id,
    name: command.vmName,
    ...(command.description !== undefined ? { description: command.description } : {}),
    ...(command.vcpus !== undefined ? { vcpus: command.vcpus } : {}),
    ...memoryOf(command.memory, command.memoryDynamic),
    ...(command.disks.length ? { disks: disksOf(command.disks, template.disks ?? [], options, pick) } : {}),
    ...(command.networks.length ? { networks: command.networks.map((n) => ({ networkId: pick(options.networks, n, '--network').id })) } : {}),
    ...(command.iso !== undefined ? { isoId: pick(options.isos, command.iso, '--iso').id } : {}),
    ...(command.cloudInit ? { cloudInit: command.cloudInit } : {}),
    ...(command.host !== undefined ? { hostId: pick(options.hosts.map((h) => ({ ...h, id: h.hostId })), command.host, '--host').hostId } : {}),
    ...(command.start ? { start: true } : {}),
  };
  const [task] = await session.follow(async () => [await core.invoke('guests:create', server.id, spec)], () => `Create "${command.vmName}" on ${server.name}`);
  printCreated(io, command.json, command.vmName, task);
}

async function createContainer(command: Extract<GuestCommand, { name: 'container create' }>, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const { server } = await guestServer(core, command.server, (f) => f.create && f.images, 'make containers');
  const options = await core.invoke('guests:createOptions', server.id);
  // an image the engine does not have yet is its reference: the engine pulls it first
  const images = options.templates.filter((t) => t.makes === 'container');
  const known = images.some((t) => t.id === command.image || t.name === command.image);
  const templateId = known ? pickChoice(images, command.image, '--image', server.name).id : command.image;
  const spec: GuestCreateSpec = {
    templateId,
    name: command.containerName,
    ...(command.memory !== undefined ? { memory: { sizeBytes: command.memory } } : {}),
    ...(command.start ? { start: true } : {}),
    container: {
      ...(command.ports.length ? { ports: command.ports } : {}),
      ...(command.env.length ? { env: command.env } : {}),
      ...(command.volumes.length ? { volumes: command.volumes } : {}),
      ...(command.restart ? { restartPolicy: command.restart } : {}),
      ...(command.cpus !== undefined ? { cpuLimit: command.cpus } : {}),
    },
  };
  const [task] = await session.follow(async () => [await core.invoke('guests:create', server.id, spec)], () => `Create container "${command.containerName}" on ${server.name}`);
  printCreated(io, command.json, command.containerName, task);
}

function memoryOf(size: number | undefined, dynamic: SizeRange | undefined): { memory?: Partial<MemoryConfig> } {
  if (size === undefined && dynamic === undefined) return {};
  return {
    memory: {
      ...(size !== undefined ? { sizeBytes: size } : {}),
      ...(dynamic ? { dynamicMinBytes: dynamic.min, dynamicMaxBytes: dynamic.max } : {}),
    },
  };
}

/** The VM's disks in order: a --disk for each of the template's own resizes or places it, the rest are new; template disks not named keep their defaults. */
function disksOf(args: DiskArg[], templateDisks: DiskSpec[], options: CreateOptions, pick: (c: CreateOptions['storages'], q: string, flag: string) => { id: string }): DiskSpec[] {
  const given = args.map((d, i) => ({
    ...(templateDisks[i] ?? {}),
    sizeBytes: d.sizeBytes,
    ...(d.storage ? { storageId: pick(options.storages, d.storage, '--disk').id } : {}),
  }));
  return [...given, ...templateDisks.slice(args.length)];
}

function printCreated(io: CliOutput, json: boolean, name: string, task: TaskInfo): void {
  io.out(json ? JSON.stringify({ id: task.resultId ?? null, name, status: task.status, taskId: task.id }, null, 2) : (task.resultId ?? ''));
}

async function deleteGuests(command: Extract<GuestCommand, { name: 'vm delete' }>, nodes: InventoryNode[], core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const guests = command.vms.map((q) => findNode(nodes, q, GUEST_KINDS, 'VM'));
  const plan = await core.invoke('guests:deletePlan', guests.map((g) => g.id));
  if (command.keepDisks && !plan.canKeepDisks) throw new PolyvisorError({ code: 'UNSUPPORTED', field: 'keep-disks', message: 'vm delete: --keep-disks: this platform deletes the disks with the VM' });
  const running = plan.items.filter((i) => i.running);
  if (running.length && !command.force) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'force', message: `vm delete: ${running.map((i) => i.name).join(', ')} ${running.length === 1 ? 'is' : 'are'} running: shut ${running.length === 1 ? 'it' : 'them'} down first, or give --force` });
  }
  const text = formatDeletePlan(plan, command.keepDisks);
  if (command.json) io.err(text);
  else io.out(text);
  await confirmOrRefuse(`Delete ${guests.length === 1 ? guests[0].name : `these ${guests.length}`}${command.keepDisks ? ', keeping the disks' : ''}?`, command.yes, 'vm delete');
  const params = { ...(command.keepDisks ? { keepDisks: true } : {}), ...(command.force ? { force: true } : {}) };
  const tasks = await session.run({ nodeIds: guests.map((g) => g.id), action: 'destroy', params }, (t) => `Delete ${t.targetName}`);
  io.out(command.json ? JSON.stringify({ plan, deleted: tasks.map((t) => ({ id: t.targetId, name: t.targetName, status: t.status })) }, null, 2) : `Deleted ${tasks.map((t) => t.targetName).join(', ')}.`);
}

async function setVm(command: Extract<GuestCommand, { name: 'vm set' }>, vm: InventoryNode, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const s = command.settings;
  const props = await core.invoke('guests:properties', vm.id);
  const memory = memoryOf(s.memory, s.memoryDynamic).memory;
  const changes: GuestChanges = {
    ...(s.newName !== undefined ? { name: s.newName } : {}),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.vcpus !== undefined ? { vcpus: s.vcpus } : {}),
    ...(memory ? { memory } : {}),
    ...(s.iso === null ? { isoId: null } : s.iso !== undefined ? { isoId: pickChoice(props.isos, s.iso, '--iso', vm.name).id } : {}),
    ...(s.autostart !== undefined ? { autoStart: s.autostart } : {}),
    ...(props.revision !== undefined ? { revision: props.revision } : {}),
  };
  if (s.iso !== undefined && props.cd === undefined) throw new PolyvisorError({ code: 'UNSUPPORTED', field: s.iso === null ? 'eject' : 'iso', message: `${vm.name} has no CD/DVD drive` });
  const [task] = await session.follow(() => core.invoke('guests:configure', [vm.id], changes), (t) => `Change ${t.targetName}`);
  const after = await core.invoke('guests:properties', vm.id);
  io.out(command.json ? JSON.stringify({ status: task.status, taskId: task.id, properties: after }, null, 2) : formatProperties(after));
}
