// The Node adapter of the core-process transport: child_process.fork with an IPC
// channel (structured-clone serialization, as Electron's utilityProcess has). Used by
// web mode and the tests; Electron uses electron/main-core-process.ts.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CoreLauncher, CoreTransport, FromCore } from './core-messages';

export interface ForkCoreOptions {
  /** the entry module; default the core process beside this file (core-process.ts from source, core-process.js bundled) */
  entry?: string;
  /** the child's environment (default this process's) */
  env?: NodeJS.ProcessEnv;
}

export function forkCoreProcess(options: ForkCoreOptions = {}): CoreLauncher {
  const entry = options.entry ?? defaultEntry();
  // from source the child needs tsx's loader, as the host has it
  const execArgv = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return (): CoreTransport => {
    const child = fork(entry, [], { execArgv, env: options.env ?? process.env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return {
      send: (m) => {
        if (child.connected) child.send(m);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as FromCore)),
      onExit: (listener) => {
        let told = false;
        const tell = (how: string) => {
          if (told) return;
          told = true;
          listener(how);
        };
        child.once('exit', (code, signal) => tell(signal ? `ended by ${signal}` : `exit code ${code}`));
        // it could not be started at all (no 'exit' follows); a failed send to a live one is only reported
        child.on('error', (e) => (child.pid === undefined ? tell(`could not run: ${e.message}`) : console.warn(`[core process] ${e.message}`)));
      },
      kill: () => void child.kill('SIGKILL'),
      get pid() {
        return child.pid;
      },
    };
  };
}

function defaultEntry(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? './core-process.ts' : './core-process.js', here));
}
