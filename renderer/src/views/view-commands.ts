// The views' commands (issue 16): Edit tags…, Move to folder…, Rename / Delete folder,
// Save search…, Delete saved search, Export / Import saved searches. Tags and folders
// act on the same node ids in every view; the group rows name the folder or search.
import { toErrorInfo } from '../../../shared/errors';
import { parseQuery } from '../../../shared/search';
import { storeActions } from '../store/store';
import { CAN_RUN, cannot, unless, type Command, type CommandContext } from '../commands/types';
import { GROUP_PREFIX } from './order-builder';
import { SEARCH_FILE_COMMANDS } from './search-file-commands';
import { removeSearch, renameFolder } from './view-requests';

/** The one selected group row of a view ("folder", "saved" …) and its id, or null. */
function selectedGroup(ctx: CommandContext, view: string): string | null {
  const selection = ctx.state.selection;
  if (selection.length !== 1 || !selection[0]!.startsWith(`${GROUP_PREFIX}${view}|`)) return null;
  return selection[0]!.slice(GROUP_PREFIX.length + view.length + 1);
}

function labelsReason(ctx: CommandContext): string | null {
  if (ctx.nodes.length === 0 || ctx.servers.length > 0) return ctx.t('views.reason.selectObjects');
  return null;
}

/** Objects whose tags their platform fixes (Docker labels): the descriptor's reason, when all of them are. */
function fixedTagsReason(ctx: CommandContext): string | null {
  const reasons = ctx.nodes.map((n) => {
    const facet = ctx.descriptorOf(n.serverId)?.facets.labels;
    if (!facet?.fixedTags?.includes(n.kind)) return null;
    const text = facet.fixedTagsReason;
    return text ? (ctx.language.startsWith('zh') ? text['zh-CN'] : text.en) : ctx.t('views.reason.fixedTags');
  });
  return reasons.every((r) => r !== null) ? reasons[0]! : null;
}

export const editTagsCommand: Command = {
  id: 'edit-tags',
  label: (ctx) => ctx.t('views.command.editTags'),
  opensDialog: true,
  canRun: (ctx) => unless(labelsReason(ctx) ?? fixedTagsReason(ctx)),
  run: (ctx) => storeActions.openDialog({ kind: 'views', view: { kind: 'tags', nodeIds: ctx.nodes.map((n) => n.id) } }),
};

export const moveToFolderCommand: Command = {
  id: 'move-to-folder',
  label: (ctx) => ctx.t('views.command.moveToFolder'),
  opensDialog: true,
  canRun: (ctx) => unless(labelsReason(ctx)),
  run: (ctx) => storeActions.openDialog({ kind: 'views', view: { kind: 'folder', nodeIds: ctx.nodes.map((n) => n.id) } }),
};

export const renameFolderCommand: Command = {
  id: 'rename-folder',
  label: (ctx) => ctx.t('views.command.renameFolder'),
  opensDialog: true,
  canRun: (ctx) => (selectedGroup(ctx, 'folder') ? CAN_RUN : cannot(ctx.t('views.reason.selectFolder'))),
  run: (ctx) => storeActions.openDialog({ kind: 'views', view: { kind: 'renameFolder', path: selectedGroup(ctx, 'folder')! } }),
};

export const newFolderCommand: Command = {
  id: 'new-folder',
  label: (ctx) => ctx.t('views.command.newFolder'),
  opensDialog: true,
  canRun: () => CAN_RUN,
  run: (ctx) => storeActions.openDialog({ kind: 'views', view: { kind: 'newFolder', parent: selectedGroup(ctx, 'folder') } }),
};

export const deleteFolderCommand: Command = {
  id: 'delete-folder',
  label: (ctx) => ctx.t('views.command.deleteFolder'),
  canRun: (ctx) => (selectedGroup(ctx, 'folder') ? CAN_RUN : cannot(ctx.t('views.reason.selectFolder'))),
  confirm: (ctx) => ({ title: ctx.t('views.command.deleteFolder'), message: ctx.t('views.deleteFolder.message', { path: selectedGroup(ctx, 'folder') }), confirmLabel: ctx.t('views.deleteFolder.confirm'), danger: true }),
  async run(ctx) {
    const path = selectedGroup(ctx, 'folder')!;
    try {
      const outcome = await renameFolder(path, null);
      if (outcome.failed.length) storeActions.report('error', ctx.t('views.deleteFolder.failed', { path }), outcome.failed.map((f) => `${f.name}: ${f.error.message}`));
    } catch (e) {
      storeActions.notify(toErrorInfo(e), ctx.t('views.deleteFolder.failed', { path }));
    }
  },
};

export const saveSearchCommand: Command = {
  id: 'save-search',
  label: (ctx) => ctx.t('views.command.saveSearch'),
  opensDialog: true,
  canRun(ctx) {
    const query = ctx.state.filter.trim();
    if (!query) return cannot(ctx.t('views.reason.noQuery'));
    return parseQuery(query).ok ? CAN_RUN : cannot(ctx.t('views.reason.badQuery'));
  },
  run: (ctx) => storeActions.openDialog({ kind: 'views', view: { kind: 'saveSearch', query: ctx.state.filter.trim() } }),
};

export const deleteSearchCommand: Command = {
  id: 'delete-search',
  label: (ctx) => ctx.t('views.command.deleteSearch'),
  canRun: (ctx) => (selectedGroup(ctx, 'saved') ? CAN_RUN : cannot(ctx.t('views.reason.selectSearch'))),
  async run(ctx) {
    try {
      await removeSearch(selectedGroup(ctx, 'saved')!);
    } catch (e) {
      storeActions.notify(toErrorInfo(e), ctx.t('views.deleteSearch.failed'));
    }
  },
};

export const VIEW_COMMANDS: readonly Command[] = [editTagsCommand, moveToFolderCommand, newFolderCommand, renameFolderCommand, deleteFolderCommand, saveSearchCommand, deleteSearchCommand, ...SEARCH_FILE_COMMANDS];

/** A group row's context menu: a folder's or a saved search's own commands. */
export function groupMenu(ctx: CommandContext): string[] {
  if (selectedGroup(ctx, 'folder')) return ['new-folder', 'rename-folder', 'delete-folder'];
  if (selectedGroup(ctx, 'saved')) return ['delete-search', '|', 'export-searches', 'export-xensearch', 'import-searches'];
  return [];
}
