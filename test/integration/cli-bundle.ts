// The CLI bundled once with esbuild (as `npm run build:electron` does), inside
// node_modules/.cache so its external packages resolve, and run as its own process.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { repoRoot as REPO_ROOT, runCli, type CliRun } from '../cli-process';

export interface CliBundle {
  file: string;
  /** `env` is added to this process's environment */
  run(args: string[], env: Record<string, string>, stdin?: string): Promise<CliRun>;
  remove(): void;
}

export async function bundleCli(): Promise<CliBundle> {
  const cache = path.join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'polyvisor-cli-test-'));
  const file = path.join(dir, 'cli.mjs');
  const options: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['electron', '@napi-rs/keyring', 'dockerode', 'ssh2', 'cpu-features'],
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    logLevel: 'silent',
  };
  await Promise.all([
    build({ ...options, entryPoints: [path.join(REPO_ROOT, 'electron/cli/main.ts')], outfile: file }),
    // the parse worker beside the CLI, as electron/build.mjs puts it (parse-pool.ts loads it from there)
    build({ ...options, entryPoints: [path.join(REPO_ROOT, 'electron/core/providers/parse-worker.ts')], outfile: path.join(dir, 'parse-worker.js') }),
  ]);
  return {
    file,
    run: (args, env, stdin) => runCli(args, { entry: file, env, stdin }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
