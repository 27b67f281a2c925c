// The app's version from package.json, from the sources or from a built copy.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function readAppVersion(fallback = '0.0.0'): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // sources: electron/core/util → ../../..; the bundle in dist-electron → ..
  for (const candidate of ['../../../package.json', '../package.json']) {
    try {
      return (JSON.parse(readFileSync(path.resolve(here, candidate), 'utf8')) as { version: string }).version;
    } catch {
      // not this layout: try the next
    }
  }
  return fallback;
}
