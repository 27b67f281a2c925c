// The renderer's single store: data mirrored from the core plus UI state (selection, dialogs).
import type { TFunction } from 'i18next';
import { create } from 'zustand';
import type { AppInfo, ServerView, Settings, StoreProblem, TaskInfo } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryDelta } from '../../../shared/model';
import type { RunnerStatus, SnapshotPolicy } from '../../../shared/schedules';
import { applyDeltas, emptyIndex, type InventoryIndex } from '../tree/inventory-index';
import { InventoryTally } from '../summary/inventory-tally';
import type { LinkState } from '../client';
import type { ViewsDialogState } from '../views/dialog-state';

export type DialogState =
  | { kind: 'addServer'; editId?: string }
  | { kind: 'certificate'; serverId: string; error: ErrorInfo }
  | { kind: 'password'; serverId: string; error?: ErrorInfo }
  | { kind: 'settings' }
  /** several VMs: one name for all, one task each; notes: what the selection leaves out and why */
  | { kind: 'snapshotCreate'; vmIds: string[]; memory: boolean; notes?: string[] }
  | { kind: 'snapshotProperties'; snapshotId: string }
  | { kind: 'snapshotEdit'; snapshotId: string }
  /** a new VM (clone) or a template from a snapshot: asks for its name */
  | { kind: 'snapshotCopy'; snapshotId: string; action: 'snapshot_clone' | 'snapshot_template' }
  /** new policy (members preselected) or edit one */
  | { kind: 'policyWizard'; editId?: string; members?: string[] }
  | { kind: 'policyHistory'; policyId: string }
  /** move VMs or containers to another host (one target, or spread over the pool) */
  | { kind: 'migrate'; vmIds: string[]; notes?: string[] }
  /** a host's evacuation plan, then the evacuation */
  | { kind: 'evacuate'; hostId: string }
  /** Add to Pool: the pools a standalone host could join, with the servers' reasons why not */
  | { kind: 'poolJoin'; hostId: string }
  | { kind: 'about' }
  /** the New VM wizard, on a server and from a template node when the command knew them */
  | { kind: 'newVm'; serverId?: string; templateNodeId?: string }
  /** a guest's Properties dialog */
  | { kind: 'guestProperties'; nodeId: string }
  /** one dynamic memory range for several guests (the Memory tab) */
  | { kind: 'setMemory'; nodeIds: string[] }
  /** delete VMs, containers, templates: the plan, then keep-disks and force */
  | { kind: 'deleteGuests'; nodeIds: string[]; notes?: string[] }
  | { kind: 'cloneGuest'; nodeId: string }
  /** Docker: pull an image on the engine of this server */
  | { kind: 'pullImage'; serverId: string }
  /** the navigation views' dialogs: Edit tags, Move to folder, Rename folder, Save search */
  | { kind: 'views'; view: ViewsDialogState }
  /** New network… on a server (issue 16) */
  | { kind: 'newNetwork'; serverId: string }
  | { kind: 'confirm'; request: ConfirmRequest; onConfirm: (answers: ConfirmAnswers) => void };

/** A choice a confirmation offers (XenCenter's "take a snapshot of the current state first"). */
export interface ConfirmOption {
  id: string;
  label: string;
  checked: boolean;
  hint?: string;
}

/** The options' values when the user confirmed, by id. */
export type ConfirmAnswers = Record<string, boolean>;

/** What a confirmation says: the question, the objects it acts on, and what is left out and why. */
export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  /** names of the objects the command acts on */
  targets?: string[];
  /** lines about what is left out (hidden by the search, not allowed now) */
  notes?: string[];
  options?: ConfirmOption[];
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  /** what happened or what the user was doing, already translated */
  text: string;
  /** details, one per line (a bulk action's objects that were not done, and why) */
  lines?: string[];
  /** words the toast says again in the current language when it changes (text and lines are the first rendering) */
  say?: (t: TFunction) => { text: string; lines?: string[] };
  error?: ErrorInfo;
}

export type DetailsTab = 'general' | 'snapshots' | 'console' | 'consoles' | 'logs' | 'memory' | 'performance' | 'storage' | 'network' | 'networking' | 'overview' | 'users';

export interface UiState {
  info: AppInfo | null;
  settings: Settings | null;
  servers: ServerView[];
  index: InventoryIndex;
  tasks: TaskInfo[];
  storeProblems: StoreProblem[];
  linkState: LinkState;

  selection: string[];
  focusKey: string | null;
  anchorKey: string | null;
  collapsed: Set<string>;
  filter: string;
  detailsTab: DetailsTab;
  selectedSnapshotId: string | null;
  dialog: DialogState | null;
  /** certificate prompts the user cancelled: serverId|fingerprint */
  dismissedCerts: Set<string>;
  notices: Notice[];
  /** items: a menu of its own (a snapshot row's) instead of the tree's; scope: what its commands act on */
  contextMenu: { x: number; y: number; items?: string[]; scope?: { keys: readonly string[] } } | null;
  tasksOpen: boolean;
  /** ids of commands being submitted: their buttons stay disabled until the core answered */
  inFlight: ReadonlySet<string>;

  /** snapshot policies: the servers' own and Polyvisor's (schedules/policy-state.ts keeps them) */
  policies: SnapshotPolicy[];
  /** the Scheduled snapshots view, open with the tree objects it was opened for */
  schedulesView: { focus: string[] } | null;
  selectedPolicyId: string | null;
  /** the OS timer for Polyvisor's own policies, as last read; null until read */
  runnerStatus: RunnerStatus | null;
}

/** Ids of task-history entries the renderer recorded itself (an action the core refused to start). */
export const LOCAL_TASK_PREFIX = 'local:';

export const useStore = create<UiState>(() => ({
  info: null,
  settings: null,
  servers: [],
  index: emptyIndex(),
  tasks: [],
  storeProblems: [],
  linkState: 'connecting',
  selection: [],
  focusKey: null,
  anchorKey: null,
  collapsed: new Set(),
  filter: '',
  detailsTab: 'general',
  selectedSnapshotId: null,
  dialog: null,
  dismissedCerts: new Set(),
  notices: [],
  contextMenu: null,
  tasksOpen: true,
  inFlight: new Set(),
  policies: [],
  schedulesView: null,
  selectedPolicyId: null,
  runnerStatus: null,
}));

const set = useStore.setState;
const get = useStore.getState;

/** the servers' summaries and guest counts, kept from the deltas (read them with the store's index) */
export const inventoryTally = new InventoryTally();

/** The index after a batch, with the tally told of the batch. */
function indexAfter(index: InventoryIndex, deltas: InventoryDelta[]): InventoryIndex {
  inventoryTally.apply(index, deltas);
  const next = applyDeltas(index, deltas);
  inventoryTally.after(next);
  return next;
}

export const storeActions = {
  /** app info, servers and tasks; the inventory comes in pages (indexShown) */
  loaded(info: AppInfo, servers: ServerView[], tasks: TaskInfo[]): void {
    set({
      info,
      settings: info.settings,
      servers,
      // failures recorded here before any task existed stay in the history across a reload
      tasks: sortTasks([...tasks, ...get().tasks.filter((task) => task.id.startsWith(LOCAL_TASK_PREFIX))]),
      storeProblems: info.storeProblems,
    });
  },
  /** The index as the inventory's pages build it (store/paged-index.ts). */
  indexShown(index: InventoryIndex): void {
    set({ index });
  },
  applyDeltas(deltas: InventoryDelta[]): void {
    set({ index: indexAfter(get().index, deltas) });
  },
  serverChanged(view: ServerView): void {
    const servers = get().servers;
    const i = servers.findIndex((s) => s.id === view.id);
    set({ servers: i < 0 ? [...servers, view] : servers.map((s) => (s.id === view.id ? view : s)) });
  },
  serverRemoved(id: string): void {
    const { servers, index, selection } = get();
    set({
      servers: servers.filter((s) => s.id !== id),
      index: indexAfter(index, [{ serverId: id, reset: true, upsert: [], remove: [] }]),
      selection: selection.filter((k) => !k.startsWith(`srv|${id}`) && index.nodes.get(k)?.serverId !== id),
    });
  },
  taskChanged(task: TaskInfo): void {
    const tasks = get().tasks;
    const i = tasks.findIndex((t) => t.id === task.id);
    set({ tasks: i < 0 ? sortTasks([...tasks, task]) : tasks.map((t) => (t.id === task.id ? task : t)) });
  },
  setTasks(tasks: TaskInfo[]): void {
    set({ tasks: sortTasks(tasks) });
  },
  storeProblem(problem: StoreProblem): void {
    set({ storeProblems: [...get().storeProblems, problem] });
  },
  settingsChanged(settings: Settings): void {
    const info = get().info;
    set({ settings, info: info ? { ...info, settings } : info });
  },
  notify(error: ErrorInfo, context: string, say?: Notice['say']): void {
    const notices = get().notices;
    const id = (notices.at(-1)?.id ?? 0) + 1;
    set({ notices: [...notices.slice(-4), { id, kind: 'error', text: context, error, ...(say ? { say } : {}) }] });
  },
  inform(text: string): void {
    storeActions.report('info', text);
  },
  report(kind: Notice['kind'], text: string, lines?: string[], say?: Notice['say']): void {
    const notices = get().notices;
    const id = (notices.at(-1)?.id ?? 0) + 1;
    set({ notices: [...notices.slice(-4), { id, kind, text, ...(lines?.length ? { lines } : {}), ...(say ? { say } : {}) }] });
  },
  /** A failure before any task existed (the core refused to start it), kept in the task history. */
  recordFailure(failed: Array<Pick<TaskInfo, 'serverId' | 'targetId' | 'targetName' | 'action'>>, error: ErrorInfo): void {
    const at = Date.now();
    const tasks = failed.map((f, i): TaskInfo => ({ ...f, id: `${LOCAL_TASK_PREFIX}${at}-${i}`, status: 'failure', progress: 0, startedAt: at, finishedAt: at, cancellable: false, error }));
    set({ tasks: sortTasks([...get().tasks, ...tasks]) });
  },
  dismissNotice(id: number): void {
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },
  openDialog(dialog: DialogState): void {
    set({ dialog, contextMenu: null });
  },
  closeDialog(): void {
    set({ dialog: null });
  },
  dismissCert(serverId: string, fingerprint: string): void {
    const dismissed = new Set(get().dismissedCerts);
    dismissed.add(`${serverId}|${fingerprint}`);
    set({ dismissedCerts: dismissed, dialog: null });
  },
  setCollapsed(collapsed: Set<string>): void {
    set({ collapsed });
  },
  toggleCollapsed(key: string, collapsed?: boolean): void {
    const next = new Set(get().collapsed);
    const shouldCollapse = collapsed ?? !next.has(key);
    if (shouldCollapse) next.add(key);
    else next.delete(key);
    set({ collapsed: next });
  },
  select(key: string, mode: 'single' | 'toggle'): void {
    const { selection } = get();
    if (mode === 'toggle') {
      const has = selection.includes(key);
      set({
        selection: has ? selection.filter((k) => k !== key) : [...selection, key],
        focusKey: key,
        anchorKey: key,
        selectedSnapshotId: null,
      });
    } else {
      set({ selection: [key], focusKey: key, anchorKey: key, selectedSnapshotId: null });
    }
  },
  /** Selects one row and clears a search that would hide it (a server just added). */
  reveal(key: string): void {
    set({ selection: [key], focusKey: key, anchorKey: key, selectedSnapshotId: null, filter: '' });
  },
  /** Shift-selection: the visible rows from the anchor to `focusKey`; the anchor stays. */
  selectRange(keys: string[], focusKey: string): void {
    set({ selection: keys, focusKey, selectedSnapshotId: null });
  },
  openContextMenu(x: number, y: number, own?: { items: string[]; scope: { keys: readonly string[] } }): void {
    set({ contextMenu: { x, y, ...own } });
  },
  closeContextMenu(): void {
    set({ contextMenu: null });
  },
  setDetailsTab(detailsTab: DetailsTab): void {
    set({ detailsTab });
  },
  selectSnapshot(selectedSnapshotId: string | null): void {
    set({ selectedSnapshotId });
  },
  setTasksOpen(tasksOpen: boolean): void {
    set({ tasksOpen });
  },
  setFilter(filter: string): void {
    set({ filter });
  },
  setLink(linkState: LinkState): void {
    set({ linkState });
  },
  /** false when the command is already being submitted */
  beginCommand(id: string): boolean {
    const inFlight = get().inFlight;
    if (inFlight.has(id)) return false;
    set({ inFlight: new Set(inFlight).add(id) });
    return true;
  },
  endCommand(id: string): void {
    const inFlight = new Set(get().inFlight);
    inFlight.delete(id);
    set({ inFlight });
  },
};

function sortTasks(tasks: TaskInfo[]): TaskInfo[] {
  return [...tasks].sort((a, b) => b.startedAt - a.startedAt);
}
