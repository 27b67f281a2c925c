// `polyvisor migrate`, `host …` and `container move`: the same channels as the app
// (migration:plan, hosts:evacuationPlan, actions:run). A move a host cannot take is
// refused before it starts, with the server's reason; every task runs to its end.

import type { TaskInfo } from '../../shared/contract';
import { PolyvisorError, type ErrorInfo } from '../../shared/errors';
import type { MigrationTarget } from '../../shared/migration';
import type { HostAction, InventoryNode } from '../../shared/model';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import type { MigrationCommand } from './migration-args';
import { findNode, findServer } from './resolve';
import type { CliOutput } from './schedule-commands';
import { formatError, type CliSession } from './session';

type HostCommand = Exclude<MigrationCommand, { name: 'migrate' | 'container move' | 'host evacuate' }>;

export async function executeMigration(command: MigrationCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  switch (command.name) {
    case 'migrate': {
      const vms = command.vms.map((q) => findNode(nodes, q, ['vm', 'container'], 'VM'));
      const host = findNode(nodes, command.to, ['host'], 'host');
      return move(vms, host, command.storage, command.json, core, session, io);
    }
    case 'container move': {
      const container = findNode(nodes, command.container, ['container'], 'container');
      return move([container], await engineNode(nodes, command.to, session), undefined, command.json, core, session, io);
    }
    case 'host evacuate':
      return evacuate(command, findNode(nodes, command.host, ['host'], 'host'), nodes, core, session, io);
    default:
      return hostAction(command, findNode(nodes, command.host, ['host'], 'host'), session, io);
  }
}

/** A Docker engine: its host node, found by the node's name or by its server's name. */
async function engineNode(nodes: InventoryNode[], query: string, session: CliSession): Promise<InventoryNode> {
  try {
    return findNode(nodes, query, ['host'], 'engine');
  } catch (e) {
    if (!(e instanceof PolyvisorError) || e.code !== 'NOT_FOUND') throw e;
    const server = findServer(await session.servers(), query);
    const engine = nodes.find((n) => n.serverId === server.id && n.kind === 'host');
    if (!engine) throw new PolyvisorError({ code: 'NOT_FOUND', message: `${server.name} has no engine in its inventory (is it connected?)`, field: 'to' });
    return engine;
  }
}

async function move(
  vms: InventoryNode[],
  host: InventoryNode,
  storage: string | undefined,
  json: boolean,
  core: PolyvisorCore,
  session: CliSession,
  io: CliOutput,
): Promise<void> {
  const plan = await core.invoke('migration:plan', vms.map((v) => v.id));
  const targets = vms.map((vm) => targetFor(vm, host, plan.vms.find((p) => p.vmId === vm.id)?.targets ?? []));
  const storageId = storage === undefined ? undefined : storageFor(storage, targets[0]);
  for (const target of targets) if (target.offline) io.err(`Offline move: ${host.name} takes it stopped; it is started again there.`);
  const tasks = await session.run(
    { nodeIds: vms.map((v) => v.id), action: 'migrate', params: { targetId: host.id, ...(storageId ? { storageId } : {}) } },
    (t) => `Migrate ${t.targetName} to ${host.name}`,
  );
  io.out(json ? JSON.stringify(tasks.map((t) => ({ vm: t.targetName, host: host.name, hostId: host.id, status: t.status, taskId: t.id })), null, 2) : tasks.map((t) => `${t.targetName} → ${host.name}`).join('\n'));
}

/** The plan's answer for this VM and host; a refusal is the server's reason, before anything starts. */
function targetFor(vm: InventoryNode, host: InventoryNode, targets: MigrationTarget[]): MigrationTarget {
  const target = targets.find((t) => t.hostId === host.id);
  if (!target) {
    const why = vm.parentId === host.id ? 'it is already there' : `${host.name} is not a host it can be moved to (offered: ${targets.length ? targets.map((t) => t.hostId).join(', ') : 'none'})`;
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${vm.name} cannot move to ${host.name}: ${why}`, field: 'to' });
  }
  if (!target.ok) {
    const reason: ErrorInfo = target.reason ?? { code: 'SERVER_ERROR', message: 'the server refuses' };
    throw new PolyvisorError({ ...reason, message: `${vm.name} cannot move to ${host.name}: ${reason.message}` });
  }
  return target;
}

function storageFor(query: string, target: MigrationTarget): string {
  const storages = target.storages ?? [];
  const found = storages.find((s) => s.id === query) ?? storages.filter((s) => s.name === query).at(0);
  if (found) return found.id;
  const offered = storages.length ? storages.map((s) => `${s.name} (${s.id})`).join(', ') : 'none: --storage is for a host of another server';
  throw new PolyvisorError({ code: 'INVALID_INPUT', message: `--storage "${query}" is not a storage of the target. Offered: ${offered}`, field: 'storage' });
}

async function evacuate(
  command: Extract<MigrationCommand, { name: 'host evacuate' }>,
  host: InventoryNode,
  nodes: InventoryNode[],
  core: PolyvisorCore,
  session: CliSession,
  io: CliOutput,
): Promise<void> {
  const plan = await core.invoke('hosts:evacuationPlan', host.id);
  const name = (id: string | undefined) => nodes.find((n) => n.id === id)?.name ?? id ?? '?';
  const lines = plan.steps.map((s) => (s.reason || !s.targetHostId ? `${name(s.vmId)}: cannot move: ${formatError(s.reason ?? { code: 'NOT_FOUND', message: 'no host can take it' })}` : `${name(s.vmId)} → ${name(s.targetHostId)}`));
  const printed = command.json ? JSON.stringify(plan, null, 2) : lines.join('\n') || `No VM runs on ${host.name}.`;
  if (command.dryRun) {
    io.out(printed);
    if (!plan.canEvacuate) throw blocked(host);
    return;
  }
  io.err(lines.join('\n') || `No VM runs on ${host.name}.`);
  if (!plan.canEvacuate) throw blocked(host);
  const [parent] = await session.run({ nodeIds: [host.id], action: 'evacuate' }, (t) => `Evacuate ${t.targetName}`);
  const children = (await core.invoke('tasks:list')).filter((t) => t.parentId === parent.id);
  io.out(command.json ? JSON.stringify({ task: parent, children }, null, 2) : children.map(childLine).join('\n'));
}

const childLine = (t: TaskInfo) => `${t.targetName}: ${t.status}${t.error ? ` (${formatError(t.error)})` : ''}`;

function blocked(host: InventoryNode): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message: `${host.name} cannot be evacuated: some VMs cannot move (listed above).`, field: 'host' });
}

const HOST_ACTIONS: Record<HostCommand['name'], (c: HostCommand) => HostAction> = {
  'host maintenance': (c) => (c.name === 'host maintenance' && c.direction === 'exit' ? 'maintenance_exit' : 'maintenance_enter'),
  'host reboot': () => 'host_reboot',
  'host shutdown': () => 'host_shutdown',
  'host power-on': () => 'host_power_on',
};

async function hostAction(command: HostCommand, host: InventoryNode, session: CliSession, io: CliOutput): Promise<void> {
  const action = HOST_ACTIONS[command.name](command);
  const force = 'force' in command && command.force;
  await session.run({ nodeIds: [host.id], action, ...(force ? { params: { force: true } } : {}) }, (t) => `${action} ${t.targetName}`);
  io.err(`${host.name}: ${action.replace('_', ' ')} done.`);
}
