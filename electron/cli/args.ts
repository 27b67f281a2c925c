// Turns argv into one typed command. Pure: no I/O, so every usage error is a
// clear INVALID_INPUT before anything connects anywhere.

import type { ProviderDescriptor } from '../../shared/descriptor';
import { POWER_ACTIONS, type HypervisorType, type PowerAction } from '../../shared/model';
import { optionFlags, parseProviderOptions, providerOptionsHelp } from './provider-options';
import { CONNECT_OPTIONS, connectOptions, parse, passwordSource, usage, type ConnectOptions, type PasswordSource } from './arg-helpers';
import { parseSchedule, SCHEDULE_USAGE, type ScheduleCommand } from './schedule-args';
import { MIGRATION_USAGE, parseContainer, parseHost, parseMigrate, type MigrationCommand } from './migration-args';
import { parsePool, POOL_USAGE, type PoolCommand } from './pool-args';
import { parseDisk, parseStorage, STORAGE_USAGE, type StorageCommand } from './storage-args';
import { NETWORK_USAGE, parseNetwork, parseNic, type NetworkCommand } from './network-args';
import { INVENTORY_VIEWS, isInventoryView } from './view-inventory';
import { parseFolder, parseSearch, parseSearches, parseTag, VIEW_USAGE, type ViewCommand } from './view-args';
import { METRICS_USAGE, parseMetrics, type MetricsCommand } from './metrics-args';
import { GRID_USAGE, parseGrid, type GridCommand } from './grid-args';
import { ACCESS_USAGE, parseAccess, parseDomain, parseUsers, parseWhoami, type AccessCommand } from './access-args';
import { CONSOLE_USAGE, parseConsole, type ConsoleCommand } from './console-args';
import { NOTIFICATION_USAGE, parseAlerts, parseTasks, type NotificationCommand } from './notification-args';
import { parseThresholds, THRESHOLD_USAGE, type ThresholdCommand } from './threshold-args';
import { GUEST_USAGE, parseContainerCreate, parseImage, parseVm, parseVolume, type GuestCommand } from './guest-args';

export type { ConnectOptions, PasswordSource };

export type Command =
  | { name: 'help'; topic?: string }
  | { name: 'version' }
  | {
      name: 'server add';
      type: HypervisorType;
      host: string;
      port?: number;
      username?: string;
      displayName?: string;
      password: PasswordSource;
      acceptFingerprint?: string;
      remember: boolean;
      connect: boolean;
      options: Record<string, string | boolean>;
    }
  | { name: 'server list'; json: boolean }
  | { name: 'server remove'; server: string }
  | { name: 'server trust'; server: string; fingerprint: string; password: PasswordSource }
  | ({ name: 'inventory'; json: boolean; templates: boolean; cached: boolean; view: string } & ConnectOptions)
  | ({ name: 'snapshot list'; vm: string; json: boolean } & ConnectOptions)
  | ({ name: 'snapshot create'; vm: string; snapshotName: string; memory: boolean; quiesce: boolean; description?: string } & ConnectOptions)
  | ({ name: 'snapshot revert' | 'snapshot delete'; snapshot: string; vm?: string } & ConnectOptions)
  | ({ name: 'snapshot rename'; snapshot: string; vm?: string; newName?: string; description?: string } & ConnectOptions)
  | ({ name: 'snapshot clone'; snapshot: string; vm?: string; newName: string } & ConnectOptions)
  | ({ name: 'power'; action: PowerAction; vms: string[] } & ConnectOptions)
  | ScheduleCommand
  | MigrationCommand
  | PoolCommand
  | StorageCommand
  | NetworkCommand
  | MetricsCommand
  | GridCommand
  | ConsoleCommand
  | AccessCommand
  | NotificationCommand
  | ThresholdCommand
  | GuestCommand
  | ViewCommand;

export function usageText(descriptors: readonly ProviderDescriptor[]): string {
  return `Usage: polyvisor <command> [options]

Servers (saved in the profile chosen by POLYVISOR_HOME, passwords in the OS keychain):
  server add --type ${descriptors.map((d) => d.type).join('|')} --host H [--port P] --user U [--name N]
             [--password-stdin | --password-env VAR] [--accept-fingerprint SHA256]
             [--remember | --no-remember] [--no-connect] [--<option> value]… [--option key=value]…
${providerOptionsHelp(descriptors)}
  server list [--json]
  server remove <server>
  server trust <server> --accept-fingerprint SHA256

Inventory and actions (connect the saved servers first; <vm>/<snapshot> = id, uuid or name):
  inventory [--json] [--templates] [--server S] [--cached]   (--cached: the last known trees, without connecting)
  inventory --view objects|tags|folders|search:<name> [--json]   grouped as the app's view of that name
  snapshot list <vm> [--json]
  snapshot create <vm> --name N [--memory] [--quiesce] [--description D]
  snapshot revert <snapshot> [--vm V]
  snapshot delete <snapshot> [--vm V]
  snapshot rename <snapshot> --name N [--description D] [--vm V]
  snapshot clone <snapshot> --name N [--vm V]     a new VM or container from the snapshot
  power <${POWER_ACTIONS.join('|')}> <vm>…

${SCHEDULE_USAGE}

${MIGRATION_USAGE}

${POOL_USAGE}

${STORAGE_USAGE}

${NETWORK_USAGE}

${VIEW_USAGE}

${METRICS_USAGE}

${GRID_USAGE}

${CONSOLE_USAGE}

${ACCESS_USAGE}

${NOTIFICATION_USAGE}

${THRESHOLD_USAGE}

${GUEST_USAGE}

Options for commands that connect:
  --server S                 only this saved server (id or name)
  --password-stdin           read a one-time password from standard input
  --password-env VAR         take a one-time password from environment variable VAR

Passwords are never accepted on the command line.`;
}

export function parseCommand(argv: string[], descriptors: readonly ProviderDescriptor[]): Command {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') return { name: 'help', topic: second };
  if (first === '--version' || first === 'version') return { name: 'version' };
  if (argv.some((a) => a === '--password' || a.startsWith('--password='))) {
    throw usage('Passwords are never taken on the command line: use --password-stdin or --password-env VAR');
  }
  switch (first) {
    case 'server':
      return parseServer(second, rest, descriptors);
    case 'inventory':
      return parseInventory(argv.slice(1));
    case 'snapshot':
      return parseSnapshot(second, rest);
    case 'power':
      return parsePower(argv.slice(1));
    case 'schedule':
      return parseSchedule(second, rest);
    case 'migrate':
      return parseMigrate(argv.slice(1));
    case 'host':
      return parseHost(second, rest);
    case 'pool':
      return parsePool(second, rest);
    case 'storage':
      return parseStorage(second, rest);
    case 'disk':
      return parseDisk(second, rest);
    case 'network':
      return parseNetwork(second, rest);
    case 'nic':
      return parseNic(second, rest);
    case 'metrics':
      return parseMetrics(argv.slice(1));
    case 'grid':
      return parseGrid(argv.slice(1));
    case 'console':
      return parseConsole(argv.slice(1));
    case 'alerts':
      return parseAlerts(second, rest);
    case 'users':
      return parseUsers(second, rest);
    case 'domain':
      return parseDomain(second, rest);
    case 'whoami':
      return parseWhoami(argv.slice(1));
    case 'access':
      return parseAccess(second, rest);
    case 'tasks':
      return parseTasks(argv.slice(1));
    case 'thresholds':
      return parseThresholds(second, rest);
    case 'container':
      return second === 'create' ? parseContainerCreate(rest) : parseContainer(second, rest);
    case 'vm':
      return parseVm(second, rest);
    case 'image':
      return parseImage(second, rest);
    case 'tag':
      return parseTag(second, rest);
    case 'folder':
      return parseFolder(second, rest);
    case 'search':
      return parseSearch(argv.slice(1));
    case 'searches':
      return parseSearches(second, rest);
    case 'volume':
      return parseVolume(second, rest);
    default:
      throw usage(`Unknown command "${first}"`);
  }
}

function parseServer(sub: string | undefined, args: string[], descriptors: readonly ProviderDescriptor[]): Command {
  switch (sub) {
    case 'add': {
      const typeArg = valueOf(args, '--type');
      const descriptor = descriptors.find((d) => d.type === typeArg);
      if (!descriptor) throw usage(`--type must be one of ${descriptors.map((d) => d.type).join(', ')}`);
      const { values } = parse(args, {
        ...optionFlags(descriptor),
        type: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        user: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        'password-env': { type: 'string' },
        'accept-fingerprint': { type: 'string' },
        remember: { type: 'boolean' },
        'no-remember': { type: 'boolean' },
        'no-connect': { type: 'boolean' },
        option: { type: 'string', multiple: true },
      }, 0);
      const type: HypervisorType = descriptor.type;
      if (!values.host) throw usage('--host is required');
      if (values.remember && values['no-remember']) throw usage('Give --remember or --no-remember, not both');
      return {
        name: 'server add',
        type,
        host: values.host,
        port: values.port === undefined ? undefined : parsePort(values.port),
        username: values.user,
        displayName: values.name,
        password: passwordSource(values),
        acceptFingerprint: values['accept-fingerprint'] === undefined ? undefined : parseFingerprint(values['accept-fingerprint']),
        remember: !values['no-remember'],
        connect: !values['no-connect'],
        options: parseProviderOptions(descriptor, values as Record<string, unknown>, (values.option as string[] | undefined) ?? [], usage),
      };
    }
    case 'list': {
      const { values } = parse(args, { json: { type: 'boolean' } }, 0);
      return { name: 'server list', json: !!values.json };
    }
    case 'remove': {
      const { positionals } = parse(args, {}, 1);
      return { name: 'server remove', server: positionals[0] };
    }
    case 'trust': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, 'accept-fingerprint': { type: 'string' } }, 1);
      if (!values['accept-fingerprint']) throw usage('--accept-fingerprint SHA256 is required');
      return { name: 'server trust', server: positionals[0], fingerprint: parseFingerprint(values['accept-fingerprint']), password: passwordSource(values) };
    }
    default:
      throw usage(sub ? `Unknown command "server ${sub}"` : 'server: expected add, list, remove or trust');
  }
}

function parseInventory(args: string[]): Command {
  const { values } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' }, templates: { type: 'boolean' }, cached: { type: 'boolean' }, view: { type: 'string' } }, 0);
  const view = values.view ?? 'infrastructure';
  if (!isInventoryView(view)) throw usage(`--view takes ${INVENTORY_VIEWS.join(', ')}, not "${view}"`);
  if (view !== 'infrastructure' && values.cached) throw usage('--view works on connected servers: leave out --cached');
  return { name: 'inventory', json: !!values.json, templates: !!values.templates, cached: !!values.cached, view, ...connectOptions(values) };
}

function parseSnapshot(sub: string | undefined, args: string[]): Command {
  switch (sub) {
    case 'list': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 1);
      return { name: 'snapshot list', vm: positionals[0], json: !!values.json, ...connectOptions(values) };
    }
    case 'create': {
      const { values, positionals } = parse(
        args,
        {
          ...CONNECT_OPTIONS,
          name: { type: 'string' },
          memory: { type: 'boolean' },
          quiesce: { type: 'boolean' },
          description: { type: 'string' },
        },
        1,
      );
      if (!values.name?.trim()) throw usage('snapshot create: --name is required');
      return {
        name: 'snapshot create',
        vm: positionals[0],
        snapshotName: values.name,
        memory: !!values.memory,
        quiesce: !!values.quiesce,
        description: values.description,
        ...connectOptions(values),
      };
    }
    case 'revert':
    case 'delete': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, vm: { type: 'string' } }, 1);
      return { name: `snapshot ${sub}`, snapshot: positionals[0], vm: values.vm, ...connectOptions(values) };
    }
    case 'rename': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, vm: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' } }, 1);
      if (values.name === undefined && values.description === undefined) throw usage('snapshot rename: give --name N, --description D or both');
      if (values.name !== undefined && !values.name.trim()) throw usage('snapshot rename: --name must not be empty');
      return { name: 'snapshot rename', snapshot: positionals[0], vm: values.vm, newName: values.name, description: values.description, ...connectOptions(values) };
    }
    case 'clone': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, vm: { type: 'string' }, name: { type: 'string' } }, 1);
      if (!values.name?.trim()) throw usage('snapshot clone: --name is required (the new VM\'s name)');
      return { name: 'snapshot clone', snapshot: positionals[0], vm: values.vm, newName: values.name, ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "snapshot ${sub}"` : 'snapshot: expected list, create, revert, delete, rename or clone');
  }
}

function parsePower(args: string[]): Command {
  const { values, positionals } = parse(args, CONNECT_OPTIONS, -2);
  const [action, ...vms] = positionals;
  if (!POWER_ACTIONS.includes(action as PowerAction)) throw usage(`power: the action must be one of ${POWER_ACTIONS.join(', ')}`);
  return { name: 'power', action: action as PowerAction, vms, ...connectOptions(values) };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usage(`--port must be 1-65535, not "${text}"`);
  return port;
}

/** SHA-256 fingerprint as hex, with or without colons (an optional "sha256:" prefix is accepted). */
function parseFingerprint(text: string): string {
  const hex = text.replace(/^sha256:/i, '').replace(/[:\s]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw usage(`--accept-fingerprint must be a SHA-256 fingerprint (64 hex digits), not "${text}"`);
  return hex.toUpperCase().match(/.{2}/g)!.join(':');
}

/** The value of `--name value` or `--name=value`, before the full parse (which needs it). */
function valueOf(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1];
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}
