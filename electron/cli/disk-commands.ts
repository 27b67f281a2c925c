// `polyvisor disk add|attach|resize|detach` (issue 16): the same channels as the VM
// Storage tab (disks:add, disks:attachable + disks:attach, disks:resize, disks:detach),
// each followed as a task; the VM's disks as guests:properties lists them.

import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import { formatSize } from '../../shared/sizes';
import type { PolyvisorCore } from '../core/app-core';
import type { DiskCommand } from './disk-args';
import { table } from './format';
import { findNode, GUEST_KINDS } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';

/** The one disk of the list whose id, name or device is `query`; none or several is an error listing them. */
function pick<D extends { id: string; name: string; device?: string }>(list: D[], query: string, owner: string, what: string): D {
  const matches = list.filter((d) => d.id === query || d.name === query || d.device === query);
  if (matches.length === 1) return matches[0]!;
  const known = list.map((d) => (d.device ? `${d.device} (${d.name})` : `${d.name} [${d.id}]`)).join(', ') || 'none';
  throw new PolyvisorError({ code: matches.length ? 'INVALID_INPUT' : 'NOT_FOUND', field: 'disk', message: `${owner} has ${matches.length ? 'several' : 'no'} ${what} "${query}"; ${what}s: ${known}` });
}

export async function executeDisk(command: DiskCommand, nodes: InventoryNode[], core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const vm = findNode(nodes, command.vm, GUEST_KINDS, 'VM');
  switch (command.name) {
    case 'disk add': {
      const storage = findNode(nodes.filter((n) => n.serverId === vm.serverId), command.storage, ['storage'], 'storage');
      const disk = { storageId: storage.id, sizeBytes: command.sizeBytes, ...(command.diskName ? { name: command.diskName } : {}) };
      await session.follow(async () => [await core.invoke('disks:add', vm.id, disk)], () => `Add a ${formatSize(command.sizeBytes)} disk to ${vm.name}`);
      io.err(`${vm.name} has a new ${formatSize(command.sizeBytes)} disk on ${storage.name}.`);
      return;
    }
    case 'disk attach': {
      const free = await core.invoke('disks:attachable', vm.id);
      if (!command.disk) {
        if (command.json) return io.out(JSON.stringify(free, null, 2));
        io.out(table(['DISK', 'SIZE', 'STORAGE', 'ID'], free.map((d) => [d.name, d.sizeBytes === undefined ? 'not reported' : formatSize(d.sizeBytes), d.storageName ?? '', d.id])));
        return;
      }
      const disk = pick(free, command.disk, vm.name, 'free disk');
      await session.follow(async () => [await core.invoke('disks:attach', vm.id, disk.id)], () => `Attach ${disk.name} to ${vm.name}`);
      io.err(`${disk.name} is attached to ${vm.name}.`);
      return;
    }
    case 'disk resize': {
      const disk = pick((await core.invoke('guests:properties', vm.id)).disks, command.disk, vm.name, 'disk');
      const size = command.size.grow ? disk.sizeBytes + command.size.bytes : command.size.bytes;
      if (size <= disk.sizeBytes) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'size', message: `A disk only grows: ${disk.name} is ${formatSize(disk.sizeBytes)} already.` });
      await session.follow(async () => [await core.invoke('disks:resize', vm.id, disk.id, size)], () => `Grow ${disk.name} of ${vm.name} to ${formatSize(size)}`);
      io.err(`${disk.name} of ${vm.name} is ${formatSize(size)} now.`);
      return;
    }
    case 'disk detach': {
      const disk = pick((await core.invoke('guests:properties', vm.id)).disks, command.disk, vm.name, 'disk');
      await session.follow(async () => [await core.invoke('disks:detach', vm.id, disk.id, { deleteDisk: command.deleteDisk })], () => `Detach ${disk.name} from ${vm.name}`);
      io.err(command.deleteDisk ? `${disk.name} is detached from ${vm.name} and deleted.` : `${disk.name} is detached from ${vm.name}; the disk is kept.`);
      return;
    }
  }
}
