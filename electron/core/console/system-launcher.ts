// Opens viewers with this machine's programs (issue 18): files (.vv, .rdp) with the
// program found for them, links (vmrc://, ssh://) through the host's way of opening
// links (Electron: shell.openExternal), each only when something would take it.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { PolyvisorError } from '../../../shared/errors';
import type { ExternalViewer } from '../../../shared/external-consoles';
import type { ExternalLauncher } from '../services/external-consoles';
import { findFileViewer, schemeOf } from './viewer-programs';

export interface LinkOpener {
  /** whether the OS has a program registered for the scheme (Electron: getApplicationNameForProtocol; Linux: xdg-mime) */
  handles(scheme: string): Promise<boolean>;
  open(link: string): Promise<void>;
}

export function systemLauncher(links: LinkOpener): ExternalLauncher {
  return {
    async available(viewer) {
      if (viewer === 'spice' || viewer === 'rdp') return (await findFileViewer(viewer)) !== null;
      return links.handles(schemeOf(viewer)!);
    },
    async open(viewer, target) {
      if ('link' in target) return links.open(target.link);
      if (viewer !== 'spice' && viewer !== 'rdp') throw new PolyvisorError({ code: 'INTERNAL', message: `${viewer} opens a link, not a file.` });
      const program = await findFileViewer(viewer);
      if (!program) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `No ${viewer === 'spice' ? 'remote-viewer' : 'Remote Desktop client'} is installed.` });
      await startDetached(...commandFor(viewer, program, target.path));
    },
  };
}

/** How each viewer program takes a file. */
export function commandFor(viewer: ExternalViewer, program: string, file: string): [string, string[]] {
  if (process.platform === 'darwin' && program.endsWith('.app')) return ['open', ['-a', program, file]];
  if (viewer === 'rdp' && path.basename(program) === 'remmina') return [program, ['-c', file]];
  return [program, [file]];
}

/** Starts the viewer on its own; resolves once it started, rejects when it could not. */
function startDetached(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { detached: true, stdio: 'ignore' });
    child.once('error', (e) => reject(new PolyvisorError({ code: 'UNSUPPORTED', message: `${path.basename(program)} could not be started: ${e.message}` }, { cause: e })));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
