// What the UI asks of the core: each command calls the contract and routes errors
// to the right place (certificate dialog, password prompt, a notice).
import type { ActionParams, ServerDraft, Settings, TaskInfo } from '../../../shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { ActionName } from '../../../shared/model';
import { getClient } from '../client';
import { createDeltaBatcher } from './delta-batcher';
import { inventoryPageSize, loadInventory } from './inventory-load';
import { PagedIndex } from './paged-index';
import { storeActions, useStore } from './store';
import type { TFunction } from 'i18next';
import i18n from '../i18n';
import { listenToPolicies, loadPolicies } from '../schedules/policy-requests';
import { listenToViews, loadViews } from '../views/view-requests';
import { layOutNextAtOnce } from '../views/view-order';
import { applyDeltas, serverKey, type InventoryIndex } from '../tree/inventory-index';

const client = () => getClient().client;

let started = false;
let loadingPages = false;

export async function start(): Promise<void> {
  if (started) return;
  started = true;
  const handle = getClient();
  const c = handle.client;
  // while the pages load, the loader keeps the changes and applies them on top (reload())
  const pushDelta = createDeltaBatcher((deltas) => {
    if (!loadingPages) storeActions.applyDeltas(deltas);
  });
  c.on('inventory:delta', pushDelta);
  c.on('server:changed', (view) => storeActions.serverChanged(view));
  c.on('server:removed', ({ id }) => storeActions.serverRemoved(id));
  c.on('task:changed', (task) => storeActions.taskChanged(task));
  c.on('store:problem', (problem) => storeActions.storeProblem(problem));
  c.on('settings:changed', (settings) => storeActions.settingsChanged(settings));
  listenToPolicies(c);
  listenToViews(c);
  handle.onLink?.((state, reopened) => {
    storeActions.setLink(state);
    if (state === 'open' && reopened) void reload();
  });
  if (!handle.onLink) storeActions.setLink('open');
  await reload();
}

/** An index of the inventory being loaded, laid out at once (a live change's layout may wait for the pace in view-order.ts; the loaded tree does not). */
function showLoaded(index: InventoryIndex): void {
  layOutNextAtOnce();
  storeActions.indexShown(index);
}

async function reload(): Promise<void> {
  try {
    const c = client();
    loadingPages = true;
    const paged = new PagedIndex(showLoaded, useStore.getState().index.version + 1);
    const pages = loadInventory(c, inventoryPageSize(), (page) => paged.add(page));
    // a failure is thrown by the await below, unless the other calls fail first
    pages.catch(() => undefined);
    const [info, servers, tasks] = await Promise.all([c.invoke('app:info'), c.invoke('servers:list'), c.invoke('tasks:list')]);
    // the servers first: the tree shows the first page's rows under them
    storeActions.loaded(info, servers, tasks);
    const inventory = await pages;
    showLoaded(applyDeltas(paged.finish(), inventory.since));
    loadingPages = false;
    await loadPolicies();
    await loadViews();
  } catch (e) {
    loadingPages = false;
    storeActions.notify(toErrorInfo(e), i18n.t('notice.loadFailed'));
  }
}

async function refreshServers(): Promise<void> {
  try {
    for (const view of await client().invoke('servers:list')) storeActions.serverChanged(view);
  } catch {
    /* the socket is down; the link banner says so */
  }
}

function routeConnectError(serverId: string, error: ErrorInfo): void {
  if (error.code === 'CERT_UNTRUSTED' || error.code === 'CERT_CHANGED') {
    storeActions.openDialog({ kind: 'certificate', serverId, error });
  } else if (error.code === 'PASSWORD_REQUIRED') {
    storeActions.openDialog({ kind: 'password', serverId });
  } else if (error.code === 'AUTH_FAILED' && useStore.getState().dialog === null) {
    storeActions.openDialog({ kind: 'password', serverId, error });
  } else {
    const name = useStore.getState().servers.find((s) => s.id === serverId)?.name ?? serverId;
    storeActions.notify(error, i18n.t('notice.connectFailed', { name }));
  }
}

export async function connectServer(serverId: string, password?: string): Promise<boolean> {
  try {
    const c = client();
    const view = password !== undefined ? await c.invoke('servers:connect', serverId, password) : await c.invoke('servers:connect', serverId);
    storeActions.serverChanged(view);
    // the core reports a failed attempt in the view as well as by rejecting
    if (view.state === 'error' && view.error) {
      routeConnectError(serverId, view.error);
      return false;
    }
    return true;
  } catch (e) {
    await refreshServers();
    routeConnectError(serverId, toErrorInfo(e));
    return false;
  }
}

export async function disconnectServer(serverId: string): Promise<void> {
  try {
    storeActions.serverChanged(await client().invoke('servers:disconnect', serverId));
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.disconnectFailed'));
  }
}

export async function reconnectAll(): Promise<void> {
  try {
    for (const view of await client().invoke('servers:reconnectAll')) storeActions.serverChanged(view);
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.reconnectFailed'));
  }
}

/** Adds (or updates) a server; throws ErrorInfo for the dialog to show. */
export async function saveServer(draft: ServerDraft, editId: string | undefined, connectNow: boolean): Promise<void> {
  const c = client();
  let view;
  try {
    view = editId ? await c.invoke('servers:update', editId, draft) : await c.invoke('servers:add', draft);
  } catch (e) {
    throw toErrorInfo(e);
  }
  storeActions.serverChanged(view);
  storeActions.closeDialog();
  // a new server is where the user looks next: selected, and scrolled to by the tree
  if (!editId) storeActions.reveal(serverKey(view.id));
  if (connectNow) await connectServer(view.id);
}

export async function removeServer(serverId: string): Promise<void> {
  try {
    await client().invoke('servers:remove', serverId);
    storeActions.serverRemoved(serverId);
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.removeFailed'));
  }
}

export async function acceptCertificate(serverId: string, fingerprint256: string): Promise<void> {
  // answered: never prompt again for this certificate from the stale server state
  storeActions.dismissCert(serverId, fingerprint256);
  try {
    const view = await client().invoke('certs:accept', serverId, fingerprint256);
    storeActions.serverChanged(view);
    // the core connects after trusting; a password may still be needed
    if (view.error && view.state !== 'connected') routeConnectError(serverId, view.error);
  } catch (e) {
    const error = toErrorInfo(e);
    await refreshServers();
    routeConnectError(serverId, error);
  }
}

export async function exportServers(): Promise<string | null> {
  try {
    return await client().invoke('servers:export');
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.exportFailed'));
    return null;
  }
}

export async function importServers(content: string): Promise<{ added: number; skipped: number } | null> {
  try {
    const result = await client().invoke('servers:import', content);
    await refreshServers();
    return result;
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.importFailed'));
    return null;
  }
}

/** Starts the action on the nodes, one task each; throws ErrorInfo for a dialog to show. */
export async function startAction(nodeIds: string[], action: ActionName, params?: ActionParams): Promise<TaskInfo[]> {
  try {
    const tasks = await client().invoke('actions:run', { nodeIds, action, ...(params ? { params } : {}) });
    for (const task of tasks) storeActions.taskChanged(task);
    return tasks;
  } catch (e) {
    throw toErrorInfo(e);
  }
}

/**
 * Starts the action on the nodes and returns their tasks. A failure to start is a notice
 * and an entry in the task history for each node, though no task exists; `label` is the
 * action's name as the UI showed it (Docker: Stop).
 */
export async function runAction(nodeIds: string[], action: ActionName, params?: ActionParams, label?: string | ((t: TFunction) => string)): Promise<TaskInfo[]> {
  if (nodeIds.length === 0) return [];
  try {
    return await startAction(nodeIds, action, params);
  } catch (e) {
    const error = toErrorInfo(e);
    const say = (t: TFunction) => ({ text: t('notice.actionFailed', { action: typeof label === 'function' ? label(t) : (label ?? t(`action.${action}`)) }) });
    storeActions.notify(error, say(i18n.t).text, say);
    const nodes = useStore.getState().index.nodes;
    storeActions.recordFailure(
      nodeIds.map((id) => ({ serverId: nodes.get(id)?.serverId ?? '', targetId: id, targetName: nodes.get(id)?.name ?? id, action })),
      error,
    );
    return [];
  }
}

export async function cancelTask(taskId: string): Promise<void> {
  try {
    await client().invoke('tasks:cancel', taskId);
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.cancelFailed'));
  }
}

export async function clearFinishedTasks(): Promise<void> {
  try {
    await client().invoke('tasks:clearFinished');
    storeActions.setTasks(await client().invoke('tasks:list'));
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.clearFailed'));
  }
}

export async function changeSettings(changes: Partial<Settings>): Promise<void> {
  const before = useStore.getState().settings;
  // apply at once so the controls follow the user's hand; the core's answer settles it
  if (before) storeActions.settingsChanged({ ...before, ...changes });
  try {
    storeActions.settingsChanged(await client().invoke('settings:set', changes));
  } catch (e) {
    if (before) storeActions.settingsChanged(before);
    storeActions.notify(toErrorInfo(e), i18n.t('notice.settingsFailed'));
  }
}
