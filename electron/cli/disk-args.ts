// argv of `polyvisor disk add|attach|resize|detach …` (issue 16) → one typed command (pure, like args.ts).

import { parseSize } from '../../shared/sizes';
import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export type DiskCommand =
  | ({ name: 'disk add'; vm: string; storage: string; sizeBytes: number; diskName?: string } & ConnectOptions)
  | ({ name: 'disk attach'; vm: string; disk?: string; json: boolean } & ConnectOptions)
  | ({ name: 'disk resize'; vm: string; disk: string; size: { bytes: number; grow: boolean } } & ConnectOptions)
  | ({ name: 'disk detach'; vm: string; disk: string; deleteDisk: boolean } & ConnectOptions);

export const DISK_USAGE = `A VM's disks (<disk> = its id, name or device, as vm show / storage show list them; sizes in GiB unless said):
  disk add <vm> --size 8GiB --storage <storage> [--name N]   a new empty disk (plugged at once where the VM runs and the platform can)
  disk attach <vm> [<disk>] [--json]        attaches a free disk; without <disk>, lists the ones the VM may take
  disk resize <vm> <disk> --size 40GiB|+10GiB   grows the disk to (or by) that size; disks never shrink
  disk detach <vm> <disk> [--delete]        takes the disk off the VM, keeping it (or deleting it with --delete)`;

function sizeOf(text: string | undefined, command: string): { bytes: number; grow: boolean } {
  if (!text?.trim()) throw usage(`${command}: --size is required`);
  const grow = text.trim().startsWith('+');
  const parsed = parseSize(grow ? text.trim().slice(1) : text, 'gib');
  if (!parsed.ok) throw usage(`--size: ${parsed.problem}`);
  if (parsed.bytes === 0) throw usage('--size: must be more than 0');
  return { bytes: parsed.bytes, grow };
}

export function parseDiskChange(sub: 'add' | 'attach' | 'resize' | 'detach', args: string[]): DiskCommand {
  switch (sub) {
    case 'add': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, size: { type: 'string' }, storage: { type: 'string' }, name: { type: 'string' } }, 1, '<vm>');
      if (!values.storage?.trim()) throw usage('disk add: --storage <storage> is required');
      const size = sizeOf(values.size, 'disk add');
      if (size.grow) throw usage('disk add: --size is the new disk’s size (no +)');
      return { name: 'disk add', vm: positionals[0]!, storage: values.storage, sizeBytes: size.bytes, ...(values.name?.trim() ? { diskName: values.name.trim() } : {}), ...connectOptions(values) };
    }
    case 'attach': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, -1, '<vm> [<disk>]');
      if (positionals.length > 2) throw usage(`Unexpected argument "${positionals[2]}"`);
      return { name: 'disk attach', vm: positionals[0]!, ...(positionals[1] ? { disk: positionals[1] } : {}), json: !!values.json, ...connectOptions(values) };
    }
    case 'resize': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, size: { type: 'string' } }, 2, '<vm> <disk>');
      return { name: 'disk resize', vm: positionals[0]!, disk: positionals[1]!, size: sizeOf(values.size, 'disk resize'), ...connectOptions(values) };
    }
    case 'detach': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, delete: { type: 'boolean' } }, 2, '<vm> <disk>');
      return { name: 'disk detach', vm: positionals[0]!, disk: positionals[1]!, deleteDisk: !!values.delete, ...connectOptions(values) };
    }
  }
}
