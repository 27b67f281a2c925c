// Which program on this machine opens a viewer's file or link (issue 18): virt-viewer's
// remote-viewer for SPICE .vv files, the Remote Desktop client for .rdp files, and the
// handler the desktop registered for vmrc:// and ssh:// links.

import { execFile } from 'node:child_process';
import { access, constants, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ExternalViewer } from '../../../shared/external-consoles';

export interface ProgramSearch {
  platform: NodeJS.Platform;
  /** the PATH to search */
  pathEnv: string;
  /** Windows' Program Files folders */
  programFiles: string[];
}

export function currentSearch(): ProgramSearch {
  const env = process.env;
  return {
    platform: process.platform,
    pathEnv: env.PATH ?? env.Path ?? '',
    programFiles: [env.ProgramFiles, env['ProgramFiles(x86)']].filter((d): d is string => !!d),
  };
}

/** The program that opens a viewer's file, or null when none is installed. */
export async function findFileViewer(viewer: 'spice' | 'rdp', search: ProgramSearch = currentSearch()): Promise<string | null> {
  const { platform } = search;
  if (viewer === 'spice') {
    const found = await findOnPath(platform === 'win32' ? ['remote-viewer.exe'] : ['remote-viewer'], search);
    if (found || platform !== 'win32') return found ?? (platform === 'darwin' ? firstExisting(['/opt/homebrew/bin/remote-viewer', '/usr/local/bin/remote-viewer']) : null);
    // the virt-viewer MSI installs to "Program Files\VirtViewer v11.0-256\bin" and does not touch PATH
    for (const root of search.programFiles) {
      const dirs = await readdir(root).catch(() => [] as string[]);
      for (const dir of dirs.filter((d) => /^VirtViewer/i.test(d)).sort().reverse()) {
        const exe = await firstExisting([path.join(root, dir, 'bin', 'remote-viewer.exe')]);
        if (exe) return exe;
      }
    }
    return null;
  }
  if (platform === 'win32') return 'mstsc.exe'; // part of every Windows
  if (platform === 'darwin') return firstExisting(['/Applications/Windows App.app', '/Applications/Microsoft Remote Desktop.app']);
  return findOnPath(['xfreerdp3', 'xfreerdp', 'remmina'], search);
}

/** Linux desktops: the handler xdg-mime knows for a link scheme (vmrc, ssh), or null. Other platforms ask Electron. */
export function xdgSchemeHandler(scheme: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('xdg-mime', ['query', 'default', `x-scheme-handler/${scheme}`], { timeout: 5000 }, (err, stdout) => {
      // no xdg-utils, or no handler: nothing would open the link
      resolve(err ? null : stdout.trim() || null);
    });
  });
}

/** The link scheme a viewer's link uses. */
export function schemeOf(viewer: ExternalViewer): string | null {
  return viewer === 'vmrc' ? 'vmrc' : viewer === 'ssh' ? 'ssh' : null;
}

async function findOnPath(names: string[], search: ProgramSearch): Promise<string | null> {
  const dirs = search.pathEnv.split(search.platform === 'win32' ? ';' : ':').filter(Boolean);
  for (const name of names) {
    const found = await firstExisting(dirs.map((d) => path.join(d, name)));
    if (found) return found;
  }
  return null;
}

async function firstExisting(candidates: string[]): Promise<string | null> {
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.F_OK);
      return candidate;
    } catch {
      // not there: try the next one
    }
  }
  return null;
}
