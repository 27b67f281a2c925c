// What stands behind the demo lab's consoles, as in the console tests: a real VNC server
// (TigerVNC's Xvnc, one per simulator, each its own colour) for graphical consoles, and
// a real shell on a pty for text consoles. The shell gets a clean environment (the
// demo's variables are not the console's business) and, when the demo runs as root,
// runs as nobody. A piece that cannot run here is said once, with the package to
// install, and the simulators run without it.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toErrorInfo } from '../../shared/errors';
import { unavailableReason } from '../peers/programs';
import { startVncServer, type VncServer } from '../peers/vnc';

export interface LabConsoles {
  /** a screen for one simulator (with VNC authentication when `password` is given); null when Xvnc cannot run here */
  screen(owner: string, options?: { password?: string }): Promise<VncServer | null>;
  /** the program text consoles run; null when no shell on a pty can be made here */
  readonly shell: string | null;
  stop(): Promise<void>;
}

/** Screen colours, one per simulator in start order: easy to tell apart in the console tab. */
const COLOURS = ['#2060c0', '#20a040', '#a04080', '#c07020', '#208080', '#6050c0', '#808020', '#c04040'];
const WIDTH = 1024;
const HEIGHT = 768;

/** `note` hears, one line each, what cannot start here and why (with the package to install). */
export function prepareLabConsoles(note: (line: string) => void): LabConsoles {
  const screens: VncServer[] = [];
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-demo-consoles-'));
  const vncMissing = unavailableReason(['/usr/bin/Xvnc', 'xsetroot', 'vncpasswd']);
  if (vncMissing) note(`Graphical consoles: ${vncMissing}`);
  const shell = consoleShell(workDir, note);
  let next = 0;

  return {
    shell,
    async screen(owner, options = {}) {
      if (vncMissing) return null;
      try {
        const vnc = await startVncServer({ width: WIDTH, height: HEIGHT, color: COLOURS[next++ % COLOURS.length], password: options.password });
        screens.push(vnc);
        return vnc;
      } catch (e) {
        note(`Graphical console of ${owner}: ${toErrorInfo(e).message.split('\n')[0]}`);
        return null;
      }
    },
    async stop() {
      await Promise.allSettled(screens.map((s) => s.stop()));
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A wrapper the pty runs: a clean environment, and nobody's rights when the demo runs as root. */
function consoleShell(workDir: string, note: (line: string) => void): string | null {
  const asRoot = process.getuid?.() === 0;
  const missing = unavailableReason(asRoot ? ['/usr/bin/python3', 'env', 'setpriv'] : ['/usr/bin/python3', 'env']);
  if (missing) {
    note(`Text consoles: ${missing}`);
    return null;
  }
  const dropRights = asRoot ? 'setpriv --reuid=65534 --regid=65534 --clear-groups ' : '';
  const wrapper = path.join(workDir, 'console-shell');
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      "# The demo lab's text consoles: a shell on this machine stands in for the VM's console.",
      'cd /tmp || cd /',
      `exec ${dropRights}env -i TERM=xterm-256color HOME=/tmp PATH=/usr/local/bin:/usr/bin:/bin PS1='demo$ ' /bin/sh`,
      '',
    ].join('\n'),
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}
