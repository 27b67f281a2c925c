#!/usr/bin/env node
// The package's `polyvisor` command. In a source checkout it runs the CLI's
// TypeScript through tsx's ESM loader; in a build without the sources it runs
// the bundled copy made by electron/build.mjs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'electron', 'cli', 'main.ts');
const built = path.join(root, 'dist-electron', 'cli.mjs');

if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  process.stderr.write('polyvisor: neither the CLI sources nor dist-electron/cli.mjs were found (run npm run build:electron)\n');
  process.exit(1);
}
