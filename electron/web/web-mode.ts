// Runs web mode in this process: the web host in front of an already started
// core, the URL printed for the user to open (nothing is opened for them), and
// a clean stop on Ctrl+C / SIGTERM.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PolyvisorCore } from '../core/app-core';
import { startWebHost, type WebHost } from './host';

export const DEFAULT_STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist-renderer');

export interface WebModeOptions {
  core: Pick<PolyvisorCore, 'dispatch' | 'on'>;
  staticDir?: string;
  port?: number;
  /** called after the host has closed, e.g. to stop the core and simulators */
  onShutdown?: () => Promise<void> | void;
  print?: (line: string) => void;
}

export async function runWebMode(options: WebModeOptions): Promise<WebHost> {
  const print = options.print ?? ((line: string) => console.log(line));
  const host = await startWebHost({ core: options.core, staticDir: options.staticDir ?? DEFAULT_STATIC_DIR, port: options.port ?? 0 });
  print('');
  print('  Polyvisor is running in web mode. Open this address in your browser:');
  print('');
  print(`    ${host.url}`);
  print('');
  print('  (It only listens on this computer; the token in the address is the key. Ctrl+C stops it.)');
  print('');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    print(`\n  ${signal}: stopping Polyvisor…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await host.close();
      await options.onShutdown?.();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return host;
}
