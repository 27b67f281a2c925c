// vSphere consoles need an MKS/WebMKS ticket (AcquireTicket), which this
// provider does not bridge; what it can offer is a VMware Remote Console link
// built from a one-time clone ticket.

import { PolyvisorError, isPolyvisorError } from '../../../../shared/errors';
import type { ConsoleStream } from '../provider';
import type { VimClient } from './vim-client';
import { text } from './xml';

export function unsupportedConsole(): Promise<ConsoleStream> {
  return Promise.reject(
    new PolyvisorError({
      code: 'UNSUPPORTED',
      message: 'Polyvisor cannot show vSphere consoles in its window yet. Open the VM in VMware Remote Console (VMRC) or the vSphere Client instead.',
    }),
  );
}

/** `vmrc://clone:<ticket>@<host>[:port]/?moid=<vm>`: opens the VM in VMware Remote Console without asking for a password. */
export async function vmrcLink(client: VimClient, vm: string): Promise<string> {
  let ticket: string | undefined;
  try {
    ticket = text(await client.call('AcquireCloneTicket', client.serviceContent.sessionManager, []))?.trim();
  } catch (err) {
    if (isPolyvisorError(err, 'SERVER_ERROR')) {
      throw new PolyvisorError(
        { code: 'UNSUPPORTED', message: 'This server does not hand out console tickets, so no VMware Remote Console link is available.', serverCode: err.info.serverCode },
        { cause: err },
      );
    }
    throw err;
  }
  if (!ticket) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'The server returned no console ticket, so no VMware Remote Console link is available.' });
  const { host, port } = client.endpoint;
  const authority = `${host.includes(':') ? `[${host}]` : host}${port === 443 ? '' : `:${port}`}`;
  return `vmrc://clone:${encodeURIComponent(ticket)}@${authority}/?moid=${encodeURIComponent(vm)}`;
}
