// A command is one user operation, in the spirit of XenCenter's Command classes: it
// knows its label, icon and shortcut, whether it can run on what is selected (and if
// not, why), whether to confirm, and how to run. The toolbar, the context menu, the
// details-pane buttons, the keyboard and the native menu all show the same objects.
import type { TFunction } from 'i18next';
import type { ProviderDescriptor } from '../../../shared/descriptor';
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import type { SnapshotPolicy } from '../../../shared/schedules';
import type { GlyphName } from '../components/Icons';
import type { ConfirmAnswers, ConfirmRequest, UiState } from '../store/store';

export type CanRun = { ok: true } | { ok: false; reason: string };

export const CAN_RUN: CanRun = { ok: true };
export const cannot = (reason: string): CanRun => ({ ok: false, reason });
/** Runs unless there is a reason not to. */
export const unless = (reason: string | null): CanRun => (reason ? cannot(reason) : CAN_RUN);

/** What a command acts on: the tree's selection, or the object a details pane shows. */
export interface CommandContext {
  t: TFunction;
  language: string;
  state: UiState;
  /** selected server rows the user can see */
  servers: ServerView[];
  /** selected inventory nodes the user can see */
  nodes: InventoryNode[];
  /** selected rows the search hides: never targets */
  hidden: number;
  /** one VM or container: the only selected node, or the one the details pane shows */
  subject: InventoryNode | null;
  /** the snapshot selected in the subject's Snapshots tab */
  snapshot: InventoryNode | null;
  /** the policy selected in the Scheduled snapshots view */
  policy: SnapshotPolicy | null;
  serverById(id: string): ServerView | undefined;
  descriptorOf(serverId: string): ProviderDescriptor | undefined;
}

/** Narrows a command to the object a details pane shows, instead of the tree's selection. */
export interface CommandScope {
  keys: readonly string[];
}

export interface Command {
  id: string;
  label(ctx: CommandContext): string;
  /** the native menu adds "…": the command asks for more before it acts */
  opensDialog?: boolean;
  glyph?: GlyphName;
  /** Electron accelerator syntax ('CmdOrCtrl+N', 'Delete') */
  shortcut?: string;
  /** web mode only: a second accelerator where the browser keeps `shortcut` for itself */
  webShortcut?: string;
  /** the shortcut is also a native-menu accelerator: it works even while a console has the keyboard */
  global?: boolean;
  canRun(ctx: CommandContext): CanRun;
  checked?(ctx: CommandContext): boolean;
  /** `checked` picks one of several (a theme), not a switch: a radio item in the native menu */
  radio?: boolean;
  /** null: run without asking */
  confirm?(ctx: CommandContext): ConfirmRequest | null;
  /** answers: the values of the confirmation's options, when it offered any */
  run(ctx: CommandContext, answers?: ConfirmAnswers): Promise<void> | void;
}
