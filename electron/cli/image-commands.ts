// `polyvisor image …` and `volume …`: a Docker engine's images and named volumes as
// the inventory has them (nodes under the engine), pull and prune as tasks of the
// engine (images:pull, images:prune, volumes:prune), remove as `destroy` on the node.

import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import type { PolyvisorCore } from '../core/app-core';
import { formatSize } from '../../shared/sizes';
import { confirmOrRefuse } from './ask';
import { inventoryFor } from './connect';
import type { GuestCommand } from './guest-args';
import { guestServer } from './guest-choices';
import { formatHousekeepingList } from './guest-format';
import { findNode } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';

type HousekeepingCommand = Extract<GuestCommand, { name: `image ${string}` | `volume ${string}` }>;

export async function executeHousekeeping(command: HousekeepingCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  const kind = command.name.startsWith('image') ? 'image' : 'volume';
  switch (command.name) {
    case 'image list':
    case 'volume list': {
      const servers = new Map((await session.servers()).map((s) => [s.id, s.name]));
      const listed = nodes.filter((n) => n.kind === kind);
      io.out(command.json ? JSON.stringify(listed, null, 2) : formatHousekeepingList(listed, (id) => servers.get(id) ?? id) || `No ${kind}s.`);
      return;
    }
    case 'image pull': {
      const { server } = await guestServer(core, command.server, (f) => f.images, 'pull images');
      const [task] = await session.follow(async () => [await core.invoke('images:pull', server.id, command.reference)], () => `Pull ${command.reference} on ${server.name}`);
      io.out(command.json ? JSON.stringify({ reference: command.reference, server: server.name, status: task.status, taskId: task.id, id: task.resultId ?? null }, null, 2) : `Pulled ${command.reference} on ${server.name}.`);
      return;
    }
    case 'image remove':
    case 'volume remove': {
      const targets = command.items.map((q) => findNode(nodes, q, [kind], kind));
      for (const node of targets) refuseInUse(node);
      const tasks = await session.run({ nodeIds: targets.map((n) => n.id), action: 'destroy' }, (t) => `Remove ${kind} ${t.targetName}`);
      io.out(command.json ? JSON.stringify(tasks.map((t) => ({ id: t.targetId, name: t.targetName, status: t.status })), null, 2) : `Removed ${tasks.map((t) => t.targetName).join(', ')}.`);
      return;
    }
    case 'image prune':
    case 'volume prune':
      return prune(command, kind, core, session, io);
  }
}

/** An image or volume a container uses: the engine would refuse; say which containers first. */
function refuseInUse(node: InventoryNode): void {
  const usedBy = node.props.usedBy;
  if (node.allowed.includes('destroy') || !Array.isArray(usedBy) || usedBy.length === 0) return;
  throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${node.name} is used by ${usedBy.join(', ')}: remove those containers first` });
}

async function prune(command: Extract<HousekeepingCommand, { name: 'image prune' | 'volume prune' }>, kind: 'image' | 'volume', core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const { server } = await guestServer(core, command.server, (f) => f.images, `remove unused ${kind}s`);
  await confirmOrRefuse(`Remove every unused ${kind} of ${server.name}?`, command.yes, `${kind} prune`);
  const channel = kind === 'image' ? 'images:prune' : 'volumes:prune';
  const [task] = await session.follow(async () => [await core.invoke(channel, server.id)], () => `Remove unused ${kind}s of ${server.name}`);
  const freed = task.reclaimedBytes === undefined ? '' : ` (${formatSize(task.reclaimedBytes)} freed)`;
  io.out(
    command.json
      ? JSON.stringify({ server: server.name, status: task.status, taskId: task.id, reclaimedBytes: task.reclaimedBytes ?? null }, null, 2)
      : `Removed the unused ${kind}s of ${server.name}${freed}.`,
  );
}
