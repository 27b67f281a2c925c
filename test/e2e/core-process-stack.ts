// With POLYVISOR_CORE_PROCESS=1 the e2e stack runs its core in a process of its own
// (issue 17), as web mode and the desktop app can: the same specs then show that the
// split keeps the behaviour. The test entry gives the core process an in-memory
// secret store (with the keychain status the spec asked for).
import path from 'node:path';
import { forkCoreProcess } from '../../electron/core/host/fork-transport';
import { RemoteCore } from '../../electron/core/host/remote-core';

const entry = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../peers/core-process-entry.ts');

/** Whether this run splits the core off (specs that hand the core code — providers, a clock — cannot). */
export function splitCoreWanted(handsCode: boolean): boolean {
  return process.env.POLYVISOR_CORE_PROCESS === '1' && !handsCode;
}

/** `keychain`: an in-memory secret store with that status; without it, the OS keychain of `env` (a private test keyring). */
export function startSplitCore(home: string, version: string, secrets: { keychain: { available: boolean; message?: string } } | { env: NodeJS.ProcessEnv }): Promise<RemoteCore> {
  return RemoteCore.start({
    launch: forkCoreProcess({ entry, env: 'env' in secrets ? secrets.env : undefined }),
    init: { mode: 'web', home, version, consoleOrigins: [], testKeychain: 'keychain' in secrets ? secrets.keychain : undefined },
    log: (level, message) => console[level === 'info' ? 'log' : level](`[core process] ${message}`),
  });
}
