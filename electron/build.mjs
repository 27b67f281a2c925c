// `npm run build:electron`: bundles the main process (ESM), the preload script
// (CommonJS, as a sandboxed preload must be), the CLI, the core process and the parse worker into dist-electron/.
// Native and optional-native modules stay external and load from node_modules.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist-electron');
const external = ['electron', '@napi-rs/keyring', 'dockerode', 'ssh2', 'cpu-features'];

// Bundled CommonJS dependencies still call require() and read __dirname.
const esmBanner = [
  "import { createRequire as __pvCreateRequire } from 'node:module';",
  "import { fileURLToPath as __pvFileURLToPath } from 'node:url';",
  "import { dirname as __pvDirname } from 'node:path';",
  'const require = __pvCreateRequire(import.meta.url);',
  'const __filename = __pvFileURLToPath(import.meta.url);',
  'const __dirname = __pvDirname(__filename);',
].join('\n');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'info',
  absWorkingDir: root,
};

await rm(outdir, { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main.ts'],
    outfile: path.join(outdir, 'main.js'),
    format: 'esm',
    external,
    banner: { js: esmBanner },
  }),
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: path.join(outdir, 'preload.cjs'),
    format: 'cjs',
    platform: 'browser',
    external: ['electron'],
  }),
  // the parse worker (electron/core/providers/parse-pool.ts loads it beside main.js and cli.mjs)
  build({
    ...common,
    entryPoints: ['electron/core/providers/parse-worker.ts'],
    outfile: path.join(outdir, 'parse-worker.js'),
    format: 'esm',
    external,
    banner: { js: esmBanner },
  }),
  // the core process (electron/main-core-process.ts starts it beside main.js as a utility process)
  build({
    ...common,
    entryPoints: ['electron/core/host/core-process.ts'],
    outfile: path.join(outdir, 'core-process.js'),
    format: 'esm',
    external,
    banner: { js: esmBanner },
  }),
  build({
    ...common,
    entryPoints: ['electron/cli/main.ts'],
    outfile: path.join(outdir, 'cli.mjs'),
    format: 'esm',
    external,
    banner: { js: esmBanner },
  }),
]);
