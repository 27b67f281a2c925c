// `polyvisor console`: a VM in a viewer outside the window. The link goes to stdout;
// a file (a .vv holds a one-time password) is written 0600 into a private folder and
// its path goes to stdout, for the viewer to read (remote-viewer deletes a .vv itself).

import { PolyvisorError } from '../../shared/errors';
import type { PolyvisorCore } from '../core/app-core';
import { writePrivateFile } from '../core/console/private-file';
import { inventoryFor } from './connect';
import type { ConsoleCommand } from './console-args';
import { findNode } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';

export async function executeConsole(command: ConsoleCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  const node = findNode(nodes, command.node, ['vm'], 'VM');
  const answer = await core.invoke('console:external', node.id, command.viewer);
  if (answer.link) return io.out(answer.link);
  if (!answer.file) throw new PolyvisorError({ code: 'INTERNAL', message: `The core gave nothing to open ${node.name} with.` });
  const file = await writePrivateFile(answer.file.name, answer.file.content);
  io.out(file.path);
}
