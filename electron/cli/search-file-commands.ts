// `polyvisor searches list|import|export`: the saved searches through the same channels
// as the app (searches:*), Polyvisor's JSON and XenCenter's .xensearch. An import connects
// the saved servers first: XenCenter names a pool or host by uuid in some filters.

import { readFile, writeFile } from 'node:fs/promises';
import { PolyvisorError } from '../../shared/errors';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import { table } from './format';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';
import type { ViewCommand } from './view-args';

type SearchFileCommand = Extract<ViewCommand, { name: 'searches list' | 'searches import' | 'searches export' }>;

export async function executeSearchFiles(command: SearchFileCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  switch (command.name) {
    case 'searches list': {
      const searches = await core.invoke('searches:list');
      if (command.json) return io.out(JSON.stringify(searches, null, 2));
      io.out(table(['NAME', 'QUERY'], searches.map((s) => [s.name, s.query])) || 'No saved searches yet.');
      return;
    }
    case 'searches import': {
      let content: string;
      try {
        content = await readFile(command.file, 'utf8');
      } catch (e) {
        throw new PolyvisorError({ code: 'NOT_FOUND', message: `Cannot read ${command.file}: ${(e as Error).message}` });
      }
      await inventoryFor(command, session);
      const result = await core.invoke('searches:import', content);
      for (const note of result.notes) io.err(`${note.search}: ${note.kind === 'unsupported' ? 'not imported, no equivalent of' : note.kind === 'approximated' ? 'read more broadly:' : 'left out:'} ${note.what}`);
      io.err(`${result.added} added, ${result.skipped} already saved${result.refused ? `, ${result.refused} not imported` : ''}.`);
      return;
    }
    case 'searches export': {
      let content: string;
      if (command.xensearch) {
        const exported = await core.invoke('searches:exportXenSearch');
        for (const left of exported.left) io.err(`${left.search}: left out, XenCenter's filters cannot say ${left.what}`);
        content = exported.content;
      } else {
        content = await core.invoke('searches:export');
      }
      if (command.out) await writeFile(command.out, content);
      else io.out(content.trimEnd());
      return;
    }
  }
}
