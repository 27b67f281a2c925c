// The saved searches to and from files: Polyvisor's own JSON, XenCenter's .xensearch
// (export and import); what an import could not take over is listed with the notice.
import { toErrorInfo } from '../../../shared/errors';
import type { SearchImportResult, XenSearchNote } from '../../../shared/labels';
import { downloadFile } from '../commands/download';
import { CAN_RUN, type Command, type CommandContext } from '../commands/types';
import { storeActions } from '../store/store';
import { exportSearches, exportXenSearch, importSearches } from './view-requests';

const SEARCHES_FILE = 'polyvisor-searches.json';
const XENSEARCH_FILE = 'polyvisor-searches.xensearch';

export const exportSearchesCommand: Command = {
  id: 'export-searches',
  label: (ctx) => ctx.t('views.command.exportSearches'),
  opensDialog: true,
  canRun: () => CAN_RUN,
  async run(ctx) {
    try {
      downloadFile(await exportSearches(), 'application/json', SEARCHES_FILE);
    } catch (e) {
      storeActions.notify(toErrorInfo(e), ctx.t('views.exportFailed'));
    }
  },
};

export const exportXenSearchCommand: Command = {
  id: 'export-xensearch',
  label: (ctx) => ctx.t('views.command.exportXenSearch'),
  opensDialog: true,
  canRun: () => CAN_RUN,
  async run(ctx) {
    try {
      const { content, left } = await exportXenSearch();
      downloadFile(content, 'application/xml', XENSEARCH_FILE);
      if (left.length) storeActions.report('info', ctx.t('views.xensearch.left', { count: left.length }), left.map((l) => `${l.search}: ${l.what}`));
    } catch (e) {
      storeActions.notify(toErrorInfo(e), ctx.t('views.exportFailed'));
    }
  },
};

function noteText(ctx: CommandContext, note: XenSearchNote): string {
  const values = { search: note.search, what: note.what };
  switch (note.kind) {
    case 'unsupported':
      return ctx.t('views.xensearch.note.unsupported', values);
    case 'approximated':
      return ctx.t('views.xensearch.note.approximated', values);
    case 'ignored':
      return ctx.t('views.xensearch.note.ignored', values);
  }
}

function reportImport(ctx: CommandContext, result: SearchImportResult): void {
  const text = ctx.t('views.imported', { added: result.added, skipped: result.skipped });
  if (!result.notes.length) return storeActions.inform(text);
  const refused = result.refused ? ` ${ctx.t('views.xensearch.refused', { count: result.refused })}` : '';
  storeActions.report(
    'info',
    `${text}${refused}`,
    result.notes.map((n) => noteText(ctx, n)),
  );
}

export const importSearchesCommand: Command = {
  id: 'import-searches',
  label: (ctx) => ctx.t('views.command.importSearches'),
  opensDialog: true,
  canRun: () => CAN_RUN,
  run(ctx) {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json,.xensearch';
    input.onchange = async () => {
      const file = input.files?.[0];
      if (!file) return;
      try {
        reportImport(ctx, await importSearches(await file.text()));
      } catch (e) {
        storeActions.notify(toErrorInfo(e), ctx.t('views.importFailed'));
      }
    };
    input.click();
  },
};

export const SEARCH_FILE_COMMANDS: readonly Command[] = [exportSearchesCommand, exportXenSearchCommand, importSearchesCommand];
