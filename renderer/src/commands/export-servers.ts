// Export the server list (never passwords) as a file download.
import { exportServers } from '../store/requests';
import { CAN_RUN, cannot, type Command } from './types';

export const EXPORT_FILE_NAME = 'polyvisor-servers.json';

function download(content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = EXPORT_FILE_NAME;
  a.click();
  // the browser has taken the blob once the click returned; free it a little later
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const exportServersCommand: Command = {
  id: 'export-servers',
  label: (ctx) => ctx.t('command.exportServers'),
  opensDialog: true,
  glyph: 'export',
  canRun: (ctx) => (ctx.state.servers.length ? CAN_RUN : cannot(ctx.t('reason.noServers'))),
  async run() {
    const content = await exportServers();
    if (content !== null) download(content);
  },
};
