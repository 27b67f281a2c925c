// The command an OS timer runs for `polyvisor schedule run-due`: Node with the
// package's bin/polyvisor.js, from the sources or a built copy, or else the way
// this CLI process itself was started. The desktop app (Electron, whose binary
// cannot act as Node in a packaged build) passes its own.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunnerCommand } from './runner-spec';

export function defaultRunnerCommand(): RunnerCommand | undefined {
  if (process.versions.electron) return undefined;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // sources: electron/core/schedules/os-timer → ../../../..; the bundle in dist-electron → ..
  for (const root of ['../../../..', '..']) {
    const bin = path.resolve(here, root, 'bin', 'polyvisor.js');
    if (existsSync(bin)) return { program: process.execPath, args: [bin] };
  }
  return undefined;
}

/** How this Node process was started (the CLI, wherever its script is): the same again. */
export function thisProcessCommand(): RunnerCommand | undefined {
  const script = process.argv[1];
  if (process.versions.electron || !script || !existsSync(script)) return undefined;
  return { program: process.execPath, args: [...process.execArgv, path.resolve(script)] };
}
