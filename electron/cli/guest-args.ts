// argv of `polyvisor vm …`, `container create`, `image …` and `volume …` → one typed
// command (pure, like args.ts). Sizes go through shared/sizes.ts; a bad size, range,
// port or variable is refused here with the option at fault named.

import { ImageReference } from '../../shared/contract-schemas-guests';
import type { CloudInitSpec, RestartPolicy } from '../../shared/guests';
import { parseSize, parseSizeRange } from '../../shared/sizes';
import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';
import { CLOUD_INIT_OPTIONS, CLOUD_INIT_USAGE, cloudInitOf } from './cloud-init-args';

export interface SizeRange {
  min: number;
  max: number;
}

export interface DiskArg {
  sizeBytes: number;
  /** a storage's name or id, resolved against guests:createOptions */
  storage?: string;
}

export interface VmSettings {
  newName?: string;
  description?: string;
  vcpus?: number;
  memory?: number;
  memoryDynamic?: SizeRange;
  /** an ISO's name or id; null = eject */
  iso?: string | null;
  autostart?: boolean;
}

export interface PortArg {
  containerPort: number;
  hostPort?: number;
  protocol?: 'tcp' | 'udp';
}

export type GuestCommand =
  | ({
      name: 'vm create';
      template: string;
      vmName: string;
      description?: string;
      vcpus?: number;
      memory?: number;
      memoryDynamic?: SizeRange;
      disks: DiskArg[];
      networks: string[];
      iso?: string;
      cloudInit?: CloudInitSpec;
      host?: string;
      start: boolean;
      json: boolean;
    } & ConnectOptions)
  | ({ name: 'vm clone'; vm: string; newName: string; full: boolean; json: boolean } & ConnectOptions)
  | ({ name: 'vm delete'; vms: string[]; keepDisks: boolean; force: boolean; yes: boolean; json: boolean } & ConnectOptions)
  | ({ name: 'vm set'; vm: string; settings: VmSettings; json: boolean } & ConnectOptions)
  | ({ name: 'vm template' | 'vm show'; vm: string; json: boolean } & ConnectOptions)
  | ({
      name: 'container create';
      image: string;
      containerName: string;
      ports: PortArg[];
      env: string[];
      volumes: Array<{ source: string; target: string; readOnly?: boolean }>;
      restart?: RestartPolicy;
      memory?: number;
      cpus?: number;
      start: boolean;
      json: boolean;
    } & ConnectOptions)
  | ({ name: 'image list' | 'volume list'; json: boolean } & ConnectOptions)
  | ({ name: 'image pull'; reference: string; json: boolean } & ConnectOptions)
  | ({ name: 'image remove' | 'volume remove'; items: string[]; json: boolean } & ConnectOptions)
  | ({ name: 'image prune' | 'volume prune'; yes: boolean; json: boolean } & ConnectOptions);

export const GUEST_USAGE = `VMs and containers (<vm> = id, uuid or name; T, STORAGE, NET, ISO, H = a name or id the server offers):
  vm create --template T --name N [--description D] [--vcpus C] [--memory 4GiB] [--memory-dynamic 2GiB..4GiB]
            [--disk 20GiB[@STORAGE]]… [--network NET]… [--iso ISO] [--host H] [--start] [--server S] [--json]
${CLOUD_INIT_USAGE}
  vm clone <vm> --name N [--full]            --full: a full copy rather than the platform's fast clone
  vm delete <vm>… [--keep-disks] [--force] [--yes]
                  prints what will be destroyed and asks; without a terminal --yes is required
  vm set <vm> [--name N] [--description D] [--vcpus C] [--memory SIZE] [--memory-dynamic MIN..MAX]
              [--iso ISO | --eject] [--autostart on|off]
  vm template <vm>                           convert a VM into a template
  vm show <vm> [--json]                      the VM's properties as its server has them
  container create --image I --name N [-p [HOST:]PORT[/udp]]… [-e K=V]… [-v VOLUME:/path[:ro]]…
                   [--restart no|always|unless-stopped|on-failure] [--memory 512MiB] [--cpus 0.5] [--start] --server S
  image list | image pull <reference> | image remove <image>… | image prune [--yes]
  volume list | volume remove <volume>… | volume prune [--yes]
  Sizes take binary (KiB, MiB, GiB, TiB) or decimal (kB, MB, GB, TB) units; a bare number is MiB
  for memory and GiB for disks. Every command takes --json and --server S.`;

const RESTART_POLICIES: readonly RestartPolicy[] = ['no', 'always', 'unless-stopped', 'on-failure'];
const JSON_OPTION = { json: { type: 'boolean' } } as const;

export function parseVm(sub: string | undefined, args: string[]): GuestCommand {
  switch (sub) {
    case 'create':
      return parseVmCreate(args);
    case 'clone': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, ...JSON_OPTION, name: { type: 'string' }, full: { type: 'boolean' } }, 1, '<vm>');
      return { name: 'vm clone', vm: positionals[0], newName: required(values.name, '--name', 'vm clone'), full: !!values.full, json: !!values.json, ...connectOptions(values) };
    }
    case 'delete': {
      const flags = { ...CONNECT_OPTIONS, ...JSON_OPTION, 'keep-disks': { type: 'boolean' }, force: { type: 'boolean' }, yes: { type: 'boolean' } } as const;
      const { values, positionals } = parse(args, flags, -1, 'one <vm> to delete');
      return { name: 'vm delete', vms: positionals, keepDisks: !!values['keep-disks'], force: !!values.force, yes: !!values.yes, json: !!values.json, ...connectOptions(values) };
    }
    case 'set':
      return parseVmSet(args);
    case 'template':
    case 'show': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, ...JSON_OPTION }, 1, '<vm>');
      return { name: `vm ${sub}`, vm: positionals[0], json: !!values.json, ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "vm ${sub}"` : 'vm: expected create, clone, delete, set, template or show');
  }
}

function parseVmCreate(args: string[]): GuestCommand {
  const flags = {
    ...CONNECT_OPTIONS,
    ...JSON_OPTION,
    template: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    vcpus: { type: 'string' },
    memory: { type: 'string' },
    'memory-dynamic': { type: 'string' },
    disk: { type: 'string', multiple: true },
    network: { type: 'string', multiple: true },
    iso: { type: 'string' },
    host: { type: 'string' },
    start: { type: 'boolean' },
    ...CLOUD_INIT_OPTIONS,
  } as const;
  const { values } = parse(args, flags, 0);
  const cloudInit = cloudInitOf(values);
  const memory = values.memory === undefined ? undefined : size(values.memory, '--memory', 'mib');
  const memoryDynamic = values['memory-dynamic'] === undefined ? undefined : range(values['memory-dynamic'], '--memory-dynamic');
  checkDynamicWithin(memoryDynamic, memory);
  return {
    name: 'vm create',
    template: required(values.template, '--template', 'vm create'),
    vmName: required(values.name, '--name', 'vm create'),
    description: values.description,
    vcpus: values.vcpus === undefined ? undefined : vcpus(values.vcpus),
    memory,
    memoryDynamic,
    disks: (values.disk ?? []).map(disk),
    networks: (values.network ?? []).map((n) => required(n, '--network', 'vm create')),
    iso: values.iso === undefined ? undefined : required(values.iso, '--iso', 'vm create'),
    host: values.host === undefined ? undefined : required(values.host, '--host', 'vm create'),
    ...(cloudInit ? { cloudInit } : {}),
    start: !!values.start,
    json: !!values.json,
    ...connectOptions(values),
  };
}

function parseVmSet(args: string[]): GuestCommand {
  const flags = {
    ...CONNECT_OPTIONS,
    ...JSON_OPTION,
    name: { type: 'string' },
    description: { type: 'string' },
    vcpus: { type: 'string' },
    memory: { type: 'string' },
    'memory-dynamic': { type: 'string' },
    iso: { type: 'string' },
    eject: { type: 'boolean' },
    autostart: { type: 'string' },
  } as const;
  const { values, positionals } = parse(args, flags, 1, '<vm>');
  if (values.iso !== undefined && values.eject) throw usage('vm set: give --iso ISO or --eject, not both');
  const settings: VmSettings = {};
  if (values.name !== undefined) settings.newName = required(values.name, '--name', 'vm set');
  if (values.description !== undefined) settings.description = values.description;
  if (values.vcpus !== undefined) settings.vcpus = vcpus(values.vcpus);
  if (values.memory !== undefined) settings.memory = size(values.memory, '--memory', 'mib');
  if (values['memory-dynamic'] !== undefined) settings.memoryDynamic = range(values['memory-dynamic'], '--memory-dynamic');
  checkDynamicWithin(settings.memoryDynamic, settings.memory);
  if (values.iso !== undefined) settings.iso = required(values.iso, '--iso', 'vm set');
  if (values.eject) settings.iso = null;
  if (values.autostart !== undefined) settings.autostart = onOff(values.autostart, '--autostart');
  if (Object.keys(settings).length === 0) throw usage('vm set: nothing to change (give --name, --description, --vcpus, --memory, --memory-dynamic, --iso, --eject or --autostart)');
  return { name: 'vm set', vm: positionals[0], settings, json: !!values.json, ...connectOptions(values) };
}

export function parseContainerCreate(args: string[]): GuestCommand {
  const flags = {
    ...CONNECT_OPTIONS,
    ...JSON_OPTION,
    image: { type: 'string' },
    name: { type: 'string' },
    publish: { type: 'string', multiple: true, short: 'p' },
    env: { type: 'string', multiple: true, short: 'e' },
    volume: { type: 'string', multiple: true, short: 'v' },
    restart: { type: 'string' },
    memory: { type: 'string' },
    cpus: { type: 'string' },
    start: { type: 'boolean' },
    ...CLOUD_INIT_OPTIONS,
  } as const;
  const { values } = parse(args, flags, 0);
  const cloudInit = cloudInitOf(values);
  const command = 'container create';
  if (values.restart !== undefined && !RESTART_POLICIES.includes(values.restart as RestartPolicy)) {
    throw usage(`--restart must be one of ${RESTART_POLICIES.join(', ')}, not "${values.restart}"`);
  }
  return {
    name: command,
    image: required(values.image, '--image', command),
    containerName: required(values.name, '--name', command),
    ports: (values.publish ?? []).map(port),
    env: (values.env ?? []).map(envVar),
    volumes: (values.volume ?? []).map(volume),
    restart: values.restart as RestartPolicy | undefined,
    memory: values.memory === undefined ? undefined : size(values.memory, '--memory', 'mib'),
    cpus: values.cpus === undefined ? undefined : cpus(values.cpus),
    start: !!values.start,
    json: !!values.json,
    ...connectOptions(values),
    server: required(values.server, '--server', command),
  };
}

export function parseImage(sub: string | undefined, args: string[]): GuestCommand {
  return parseHousekeeping('image', ['list', 'pull', 'remove', 'prune'], sub, args);
}

export function parseVolume(sub: string | undefined, args: string[]): GuestCommand {
  return parseHousekeeping('volume', ['list', 'remove', 'prune'], sub, args);
}

function parseHousekeeping(what: 'image' | 'volume', subs: string[], sub: string | undefined, args: string[]): GuestCommand {
  if (sub === undefined || !subs.includes(sub)) throw usage(sub ? `Unknown command "${what} ${sub}"` : `${what}: expected ${subs.join(', ')}`);
  const base = { ...CONNECT_OPTIONS, ...JSON_OPTION } as const;
  switch (sub) {
    case 'list': {
      const { values } = parse(args, base, 0);
      return { name: `${what} list`, json: !!values.json, ...connectOptions(values) };
    }
    case 'pull': {
      const { values, positionals } = parse(args, base, 1, '<reference>');
      return { name: 'image pull', reference: imageReference(positionals[0]), json: !!values.json, ...connectOptions(values) };
    }
    case 'remove': {
      const { values, positionals } = parse(args, base, -1, `one <${what}> to remove`);
      return { name: `${what} remove`, items: positionals, json: !!values.json, ...connectOptions(values) };
    }
    default: {
      const { values } = parse(args, { ...base, yes: { type: 'boolean' } }, 0);
      return { name: `${what} prune`, yes: !!values.yes, json: !!values.json, ...connectOptions(values) };
    }
  }
}

function required(value: string | undefined, flag: string, command: string): string {
  if (value === undefined) throw usage(`${command}: ${flag} is required`);
  if (!value.trim()) throw usage(`${command}: ${flag} must not be empty`);
  return value;
}

function size(text: string, flag: string, unit: 'mib' | 'gib'): number {
  const parsed = parseSize(text, unit);
  if (!parsed.ok) throw usage(`${flag}: ${parsed.problem}`);
  if (parsed.bytes === 0) throw usage(`${flag}: must be more than 0`);
  return parsed.bytes;
}

function range(text: string, flag: string): SizeRange {
  const parsed = parseSizeRange(text, 'mib');
  if (!parsed.ok) throw usage(`${flag}: ${parsed.problem}`);
  if (parsed.min === 0) throw usage(`${flag}: the range must start above 0`);
  return { min: parsed.min, max: parsed.max };
}

/** The dynamic range ends at or below the memory size on every platform that has one (XAPI static_max, Proxmox memory). */
function checkDynamicWithin(dynamic: SizeRange | undefined, memory: number | undefined): void {
  if (dynamic && memory !== undefined && dynamic.max > memory) throw usage('--memory-dynamic: the range must end at or below --memory');
}

function vcpus(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 1024) throw usage(`--vcpus must be a whole number from 1 to 1024, not "${text}"`);
  return n;
}

function cpus(text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || n <= 0 || n > 1024) throw usage(`--cpus must be a number of cores above 0 (0.5 = half a core), not "${text}"`);
  return n;
}

function onOff(text: string, flag: string): boolean {
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw usage(`${flag} must be on or off, not "${text}"`);
}

/** `20GiB` or `20GiB@Local storage`. */
function disk(text: string): DiskArg {
  const at = text.indexOf('@');
  const sizeText = at < 0 ? text : text.slice(0, at);
  const storage = at < 0 ? undefined : text.slice(at + 1);
  if (storage !== undefined && !storage.trim()) throw usage(`--disk: the storage after "@" must not be empty in "${text}"`);
  return { sizeBytes: size(sizeText, '--disk', 'gib'), ...(storage ? { storage } : {}) };
}

/** `-p 8080:80`, `-p 80`, `-p 53:53/udp`. */
function port(text: string): PortArg {
  const match = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp))?$/.exec(text.trim());
  const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
  const hostPort = match?.[1] === undefined ? undefined : Number(match[1]);
  const containerPort = Number(match?.[2]);
  if (!match || !valid(containerPort) || (hostPort !== undefined && !valid(hostPort))) {
    throw usage(`-p/--publish: "${text}" is not [HOST:]PORT[/tcp|udp] with ports 1-65535`);
  }
  return { containerPort, ...(hostPort === undefined ? {} : { hostPort }), ...(match[3] ? { protocol: match[3] as 'tcp' | 'udp' } : {}) };
}

function envVar(text: string): string {
  if (!/^[^=\s]+=/.test(text)) throw usage(`-e/--env: "${text}" must read NAME=value`);
  return text;
}

/** `data:/var/lib/data`, `/srv/www:/usr/share/www:ro`. */
function volume(text: string): { source: string; target: string; readOnly?: boolean } {
  const parts = text.split(':');
  const readOnly = parts.length === 3 && parts[2] === 'ro';
  if (parts.length === 3 && !readOnly && parts[2] !== 'rw') throw usage(`-v/--volume: "${text}": the third part must be ro or rw`);
  const [source, target] = parts;
  if (parts.length < 2 || parts.length > 3 || !source || !target?.startsWith('/')) throw usage(`-v/--volume: "${text}" must read VOLUME:/path[:ro]`);
  return { source, target, ...(readOnly ? { readOnly } : {}) };
}

function imageReference(text: string): string {
  const checked = ImageReference.safeParse(text);
  if (!checked.success) throw usage(`image pull: "${text}" ${checked.error.issues[0]?.message ?? 'is not an image reference'}`);
  return text;
}
