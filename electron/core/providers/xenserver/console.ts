// Consoles (RFB / text over `CONNECT /console?uuid=…` with the session cookie) come in a later issue.

import { PolyvisorError } from '../../../../shared/errors';
import type { ConsoleStream } from '../provider';

export async function openXapiConsole(_target: { nativeRef: string; kind: string }, protocol: 'rfb' | 'text'): Promise<ConsoleStream> {
  throw new PolyvisorError({ code: 'UNSUPPORTED', message: `The ${protocol === 'rfb' ? 'graphical' : 'text'} console for XenServer is not available yet.` });
}
