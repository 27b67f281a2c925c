// Bundles bench/lib/xapi-polyvisor-client.ts the way electron/build.mjs bundles the app
// (esbuild, ESM, node20) with the parse worker beside it, where parse-pool.ts looks for it.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes polyvisor-client.mjs and parse-worker.js into `dir`; returns the client's path. */
export async function bundleXapiClient(dir: string): Promise<string> {
  // bundled CommonJS dependencies still call require() and read __dirname
  const banner = "import { createRequire as __benchRequire } from 'node:module';\nconst require = __benchRequire(import.meta.url);\nconst __filename = import.meta.filename, __dirname = import.meta.dirname;";
  const options = { bundle: true, platform: 'node' as const, target: 'node20', format: 'esm' as const, absWorkingDir: root, logLevel: 'error' as const, banner: { js: banner } };
  const client = path.join(dir, 'polyvisor-client.mjs');
  await Promise.all([
    build({ ...options, entryPoints: ['bench/lib/xapi-polyvisor-client.ts'], outfile: client }),
    build({ ...options, entryPoints: ['electron/core/providers/parse-worker.ts'], outfile: path.join(dir, 'parse-worker.js') }),
  ]);
  return client;
}
