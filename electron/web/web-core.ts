// The core behind web mode: in this process (the default), or in a child process of its
// own (POLYVISOR_CORE_PROCESS=1 or `--core-process`, issue 17) so that the web host's
// event loop — static files, the page's WebSocket — never waits on the providers.
import type { PolyvisorCore } from '../core/app-core';
import { createAppCore } from '../core/app-core';
import { BridgeConsoleBroker } from '../core/console/broker';
import { forkCoreProcess } from '../core/host/fork-transport';
import { RemoteCore } from '../core/host/remote-core';

export interface WebCore {
  core: PolyvisorCore;
  /** the console bridge accepts the web host's page origin (known once it listens) */
  allowConsoleOrigin(origin: string): Promise<void>;
  split: boolean;
}

export function coreProcessWanted(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): boolean {
  return env.POLYVISOR_CORE_PROCESS === '1' || argv.includes('--core-process');
}

export async function startWebCore(home: string, split = coreProcessWanted()): Promise<WebCore> {
  if (split) {
    const core = await RemoteCore.start({
      launch: forkCoreProcess(),
      init: { mode: 'web', home, consoleOrigins: [] },
      log: (level, message) => console[level === 'info' ? 'log' : level](`  ${message}`),
    });
    return { core, allowConsoleOrigin: (origin) => core.allowConsoleOrigin(origin), split };
  }
  const consoles = new BridgeConsoleBroker();
  const core = await createAppCore('web', { home, console: consoles });
  return { core, allowConsoleOrigin: async (origin) => consoles.allowOrigin(origin), split };
}
