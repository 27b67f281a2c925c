// Per spec file: a real core (temporary profile, in-memory secret store) behind the
// real web host serving the built renderer, plus helpers to drive the UI.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { BridgeConsoleBroker } from '../../electron/core/console/broker';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import type { ProviderFactory } from '../../electron/core/providers/provider';
import type { ScheduleOptions } from '../../electron/core/schedules/schedules';
import { startWebHost, type WebHost } from '../../electron/web/host';
import { RemoteCore } from '../../electron/core/host/remote-core';
import { splitCoreWanted, startSplitCore } from './core-process-stack';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const staticDir = process.env.POLYVISOR_RENDERER_OUT ?? path.join(repoRoot, 'dist-renderer');
/** ../shared/fixtures beside the repository */
export const sharedFixtures = path.resolve(repoRoot, '..', 'shared', 'fixtures');
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export interface Stack {
  core: PolyvisorCore;
  host: WebHost;
  home: string;
  url: string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** prepare the profile folder before the core opens it (e.g. write a corrupt servers.json) */
  prepareHome?: (home: string) => void;
  keychainAvailable?: boolean;
  /** the providers the core has (default: the built-in ones) — e.g. plus one defined only in a test */
  providers?: readonly ProviderFactory[];
  /** snapshot policies: a clock the test moves, no app timer (the test runs what is due), the OS timer in a folder of the test */
  schedules?: ScheduleOptions;
  /** the core in a process of its own (default: POLYVISOR_CORE_PROCESS=1); with `env`, using that environment's OS keychain */
  coreProcess?: true | { env: NodeJS.ProcessEnv };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`${staticDir}/index.html is missing: run npm run build:renderer first`);
  }
  const home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-e2e-'));
  options.prepareHome?.(home);
  const secrets = new MemorySecretStore(
    options.keychainAvailable === false ? { available: false, message: 'No Secret Service on this session bus' } : { available: true },
  );
  const consoles = new BridgeConsoleBroker();
  const split = options.coreProcess ?? splitCoreWanted(!!options.providers || !!options.schedules);
  const core = split
    ? await startSplitCore(home, '0.1.0-e2e', typeof split === 'object' ? split : { keychain: await secrets.available() })
    : await createAppCore('web', { home, secrets, version: '0.1.0-e2e', console: consoles, providers: options.providers, schedules: options.schedules });
  await core.start();
  const host = await startWebHost({ core, staticDir });
  if (core instanceof RemoteCore) await core.allowConsoleOrigin(new URL(host.url).origin);
  else consoles.allowOrigin(new URL(host.url).origin);
  return {
    core,
    host,
    home,
    url: host.url,
    async close() {
      await host.close();
      await core.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

/** Opens the app and waits until its first load finished. */
export async function openApp(page: Page, stack: Stack): Promise<void> {
  await page.goto(stack.url);
  await page.getByTestId('app').and(page.locator('[data-loaded="true"]')).waitFor();
}
