// argv of `polyvisor migrate …`, `host …` and `container move …` → one typed command
// (pure, like args.ts): every usage error names the argument at fault.

import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export type MigrationCommand =
  | ({ name: 'migrate'; vms: string[]; to: string; storage?: string; json: boolean } & ConnectOptions)
  | ({ name: 'host maintenance'; direction: 'enter' | 'exit'; host: string } & ConnectOptions)
  | ({ name: 'host evacuate'; host: string; dryRun: boolean; json: boolean } & ConnectOptions)
  | ({ name: 'host reboot' | 'host shutdown'; host: string; force: boolean } & ConnectOptions)
  | ({ name: 'host power-on'; host: string } & ConnectOptions)
  | ({ name: 'container move'; container: string; to: string; json: boolean } & ConnectOptions);

export const MIGRATION_USAGE = `Moving VMs and hosts (<host> = id, uuid or name; <engine> = a Docker engine's host or its server's name):
  migrate <vm>… --to <host> [--storage <id|name>] [--json]
                  to a host of the same pool/cluster, or of another connected server of the same
                  type (XenServer cross-pool storage migration: --storage picks the SR, default otherwise)
  host maintenance enter|exit <host>
  host evacuate <host> [--dry-run] [--json]   --dry-run: print where each VM would go, move nothing
  host reboot <host> [--force]  |  host shutdown <host> [--force]   --force: although VMs still run on it
  host power-on <host>
  container move <container> --to <engine> [--json]   stopped while it moves, with its named volumes`;

const nonEmpty = (value: string | undefined, flag: string, command: string): string => {
  if (value === undefined) throw usage(`${command}: ${flag} is required`);
  if (!value.trim()) throw usage(`${command}: ${flag} must not be empty`);
  return value;
};

export function parseMigrate(args: string[]): MigrationCommand {
  const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, to: { type: 'string' }, storage: { type: 'string' }, json: { type: 'boolean' } }, -1, 'one <vm> to move');
  const to = nonEmpty(values.to, '--to <host>', 'migrate');
  if (values.storage !== undefined) nonEmpty(values.storage, '--storage', 'migrate');
  if (positionals.some((vm) => !vm.trim())) throw usage('migrate: a <vm> must not be empty');
  return { name: 'migrate', vms: positionals, to, storage: values.storage, json: !!values.json, ...connectOptions(values) };
}

export function parseHost(sub: string | undefined, args: string[]): MigrationCommand {
  switch (sub) {
    case 'maintenance': {
      const [direction, ...rest] = args;
      if (direction !== 'enter' && direction !== 'exit') throw usage('host maintenance: expected enter or exit, then <host>');
      const { values, positionals } = parse(rest, CONNECT_OPTIONS, 1, '<host>');
      return { name: 'host maintenance', direction, host: positionals[0], ...connectOptions(values) };
    }
    case 'evacuate': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, 1, '<host>');
      return { name: 'host evacuate', host: positionals[0], dryRun: !!values['dry-run'], json: !!values.json, ...connectOptions(values) };
    }
    case 'reboot':
    case 'shutdown': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, force: { type: 'boolean' } }, 1, '<host>');
      return { name: `host ${sub}`, host: positionals[0], force: !!values.force, ...connectOptions(values) };
    }
    case 'power-on': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 1, '<host>');
      return { name: 'host power-on', host: positionals[0], ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "host ${sub}"` : 'host: expected maintenance, evacuate, reboot, shutdown or power-on');
  }
}

export function parseContainer(sub: string | undefined, args: string[]): MigrationCommand {
  if (sub !== 'move') throw usage(sub ? `Unknown command "container ${sub}"` : 'container: expected create or move');
  const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, to: { type: 'string' }, json: { type: 'boolean' } }, 1, '<container>');
  const to = nonEmpty(values.to, '--to <engine>', 'container move');
  return { name: 'container move', container: positionals[0], to, json: !!values.json, ...connectOptions(values) };
}
