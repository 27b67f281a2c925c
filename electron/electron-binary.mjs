// Finds an installed Electron binary without loading the electron package's entry point: that package's
// index.js starts a download when the binary is missing, which cannot work on
// a machine without internet access (and must never happen behind our back).
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** @returns {{ found: true, path: string } | { found: false, reason: string }} */
export function findElectronBinary(env = process.env) {
  if (env.POLYVISOR_ELECTRON) return checkExecutable(env.POLYVISOR_ELECTRON, 'POLYVISOR_ELECTRON');
  let packageDir;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron npm package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { found: false, reason: `the electron package has no binary (${pathFile} is missing: its download did not run)` };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(packageDir, 'dist');
  return checkExecutable(path.join(distDir, relative), 'the electron package');
}

function checkExecutable(file, origin) {
  try {
    accessSync(file, constants.X_OK);
    return { found: true, path: file };
  } catch {
    return { found: false, reason: `${file} (from ${origin}) is not an executable file` };
  }
}
