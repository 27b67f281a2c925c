// Import a server list (Polyvisor's own export, or XenCenter's): the page's file
// picker, which is the native open dialog in Electron.
import { importServers } from '../store/requests';
import { storeActions } from '../store/store';
import i18n from '../i18n';
import { CAN_RUN, type Command } from './types';

let picker: HTMLInputElement | null = null;

/** The hidden file input (ImportFileInput) registers itself here. */
export function registerImportPicker(input: HTMLInputElement | null): void {
  picker = input;
}

export async function importServerFile(file: File): Promise<void> {
  const result = await importServers(await file.text());
  if (result) storeActions.inform(i18n.t('notice.imported', { added: result.added, skipped: result.skipped }));
}

export const importServersCommand: Command = {
  id: 'import-servers',
  label: (ctx) => ctx.t('command.importServers'),
  opensDialog: true,
  glyph: 'import',
  canRun: () => CAN_RUN,
  run: () => picker?.click(),
};
