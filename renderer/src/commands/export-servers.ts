// Export the server list (never passwords) as a file download.
import { exportServers } from '../store/requests';
import { downloadFile } from './download';
import { CAN_RUN, cannot, type Command } from './types';

export const EXPORT_FILE_NAME = 'polyvisor-servers.json';

export const exportServersCommand: Command = {
  id: 'export-servers',
  label: (ctx) => ctx.t('command.exportServers'),
  opensDialog: true,
  glyph: 'export',
  canRun: (ctx) => (ctx.state.servers.length ? CAN_RUN : cannot(ctx.t('reason.noServers'))),
  async run() {
    const content = await exportServers();
    if (content !== null) downloadFile(content, 'application/json', EXPORT_FILE_NAME);
  },
};
