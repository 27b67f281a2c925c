// Keeps Electron's native menu in step with the registry: rebuilt when the store or
// the language changes, sent (debounced) only when it differs from the last one sent.
// The chosen item comes back as a `menu:command` event and runs here.
import type { PolyvisorClient } from '../../../shared/contract';
import { toErrorInfo } from '../../../shared/errors';
import i18n from '../i18n';
import { storeActions, useStore } from '../store/store';
import { buildMenuModel } from './menu-bar';
import { currentContext, runCommand } from './runner';

const DEBOUNCE_MS = 120;

/** Runs commands chosen in the native menu (only Electron's main process sends them). */
export function listenToMenuCommands(client: PolyvisorClient): () => void {
  return client.on('menu:command', ({ command }) => {
    runCommand(command);
  });
}

/** Sends the menu model while the app runs in Electron; other hosts have no native menu. */
export function syncNativeMenu(client: PolyvisorClient): () => void {
  let lastSent = '';
  let failed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const send = () => {
    timer = null;
    if (useStore.getState().info?.mode !== 'electron') return;
    const model = buildMenuModel(currentContext());
    const text = JSON.stringify(model);
    if (text === lastSent) return;
    lastSent = text;
    client.invoke('menu:update', model).catch((e: unknown) => {
      lastSent = '';
      // one notice, not one per store change
      if (!failed) storeActions.notify(toErrorInfo(e), i18n.t('notice.menuFailed'));
      failed = true;
    });
  };
  const schedule = () => {
    if (timer === null) timer = setTimeout(send, DEBOUNCE_MS);
  };
  const unsubscribe = useStore.subscribe(schedule);
  i18n.on('languageChanged', schedule);
  schedule();
  return () => {
    unsubscribe();
    i18n.off('languageChanged', schedule);
    if (timer !== null) clearTimeout(timer);
  };
}
