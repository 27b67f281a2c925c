// `polyvisor pool join` and `pool eject`: the same channels as the app (pools:joinPlan,
// actions:run). A join the servers refuse is refused before it starts, with their reason.

import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode, NodeKind } from '../../shared/model';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import type { PoolCommand } from './pool-args';
import { findNode, findServer } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';

export async function executePool(command: PoolCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  if (command.name === 'pool eject') {
    const host = findNode(nodes, command.host, ['host'], 'host');
    await session.run({ nodeIds: [host.id], action: 'pool_eject' }, (t) => `Remove ${t.targetName} from its pool`);
    io.err(`${host.name} left the pool; it restarts on its own.`);
    return;
  }
  const host = await nodeOf(nodes, command.host, 'host', session, 'host');
  const pool = await nodeOf(nodes, command.to, 'pool', session, 'to');
  const plan = await core.invoke('pools:joinPlan', host.id);
  const choice = plan.pools.find((p) => p.poolId === pool.id);
  if (!choice) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'to', message: `${pool.name} is not a pool ${host.name} could join (another kind of server, or its own).` });
  if (!choice.ok) {
    const reason = choice.reason ?? { code: 'SERVER_ERROR' as const, message: 'the server refuses' };
    throw new PolyvisorError({ ...reason, message: `${host.name} cannot join ${pool.name}: ${reason.message}` });
  }
  const [task] = await session.run({ nodeIds: [host.id], action: 'pool_join', params: { targetId: pool.id } }, (t) => `Add ${t.targetName} to ${pool.name}`);
  io.out(command.json ? JSON.stringify({ host: host.name, pool: pool.name, status: task?.status }, null, 2) : `${host.name} joined ${pool.name}.`);
}

/** A node by its id, uuid or name, or the one node of that kind of a saved server named so. */
async function nodeOf(nodes: InventoryNode[], query: string, kind: NodeKind, session: CliSession, field: string): Promise<InventoryNode> {
  try {
    return findNode(nodes, query, [kind], kind);
  } catch (e) {
    if (!(e instanceof PolyvisorError) || e.code !== 'NOT_FOUND') throw e;
    const server = findServer(await session.servers(), query);
    const own = nodes.filter((n) => n.serverId === server.id && n.kind === kind);
    if (own.length !== 1) {
      throw new PolyvisorError({ code: 'NOT_FOUND', field, message: `${server.name} has ${own.length ? 'several' : 'no'} ${kind}s in its inventory${own.length ? ': name one' : ' (is it connected?)'}` });
    }
    return own[0]!;
  }
}

