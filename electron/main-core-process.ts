// The Electron adapter of the core-process transport (issue 17): the core — providers,
// their I/O and parsing — runs in a utility process, so nothing it does holds the main
// process, which draws the menus and relays IPC to the window. Only the bundled entry
// beside main.js is started; it gets no Node flags of its own (no --inspect, no
// --require), the environment of the app, and speaks only plain-data messages.
import path from 'node:path';
import { utilityProcess } from 'electron';
import type { CoreLauncher, CoreTransport, FromCore } from './core/host/core-messages';

export const CORE_PROCESS_ENTRY = 'core-process.js';

export function utilityCoreProcess(bundleDir: string): CoreLauncher {
  const entry = path.join(bundleDir, CORE_PROCESS_ENTRY);
  return (): CoreTransport => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Polyvisor core', stdio: 'inherit' });
    let gone = false;
    return {
      // messages sent before the process is up are queued by Electron
      send: (m) => {
        if (!gone) child.postMessage(m);
      },
      onMessage: (listener) => child.on('message', (m: unknown) => listener(m as FromCore)),
      onExit: (listener) =>
        child.once('exit', (code) => {
          gone = true;
          listener(`exit code ${code}`);
        }),
      kill: () => void child.kill(),
      get pid() {
        return child.pid;
      },
    };
  };
}
