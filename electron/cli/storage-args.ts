// argv of `polyvisor storage list|show|rescan …` → one typed command (pure, like args.ts).

import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';
import { DISK_USAGE, parseDiskChange, type DiskCommand } from './disk-args';

export type StorageCommand =
  | ({ name: 'storage list'; json: boolean } & ConnectOptions)
  | ({ name: 'storage show'; storage: string; json: boolean } & ConnectOptions)
  | ({ name: 'storage rescan'; storage: string } & ConnectOptions)
  | ({ name: 'disk move'; vm: string; disk: string; to: string } & ConnectOptions)
  | DiskCommand;

export const STORAGE_USAGE = `Storage (XAPI SRs, Proxmox VE storages, vSphere datastores, Docker volumes; <storage> = id, uuid or name):
  storage list [--server S] [--json]        every storage with type, shared, size, used, free and where the tree puts it
  storage show <storage> [--json]           its disks, each with its size and the VMs that use it
  storage rescan <storage>                  the server looks at it again (XAPI SR.scan, vSphere RefreshDatastore)
  disk move <vm> <disk> --to <storage>      moves one disk (its id, name or device, as storage show / vm show list it), with progress
${DISK_USAGE}`;

export function parseStorage(sub: string | undefined, args: string[]): StorageCommand {
  switch (sub) {
    case 'list': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 0);
      return { name: 'storage list', json: !!values.json, ...connectOptions(values) };
    }
    case 'show': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 1, '<storage>');
      return { name: 'storage show', storage: positionals[0]!, json: !!values.json, ...connectOptions(values) };
    }
    case 'rescan': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 1, '<storage>');
      return { name: 'storage rescan', storage: positionals[0]!, ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "storage ${sub}"` : 'storage: expected list, show or rescan');
  }
}

export function parseDisk(sub: string | undefined, args: string[]): StorageCommand {
  if (sub === 'add' || sub === 'attach' || sub === 'resize' || sub === 'detach') return parseDiskChange(sub, args);
  if (sub !== 'move') throw usage(sub ? `Unknown command "disk ${sub}"` : 'disk: expected add, attach, resize, detach or move');
  const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, to: { type: 'string' } }, 2, '<vm> <disk>');
  if (!values.to?.trim()) throw usage('disk move: --to <storage> is required');
  return { name: 'disk move', vm: positionals[0]!, disk: positionals[1]!, to: values.to, ...connectOptions(values) };
}
