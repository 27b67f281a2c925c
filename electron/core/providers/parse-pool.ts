// The one pool of parse workers the providers share (started on first use).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ParsePool, type WorkerStart } from '../util/parse-worker';

let pool: ParsePool | undefined;

export function parsePool(): ParsePool {
  pool ??= new ParsePool(workerStart(), { log: (level, message) => console[level === 'error' ? 'error' : 'warn'](`[parse worker] ${message}`) });
  return pool;
}

/**
 * Bundled (dist-electron), parse-worker.js beside the bundle. From source (tsx, vitest) the
 * TypeScript entry, loaded after tsx's loader is registered in the worker (an --import in
 * a worker's execArgv comes too late for its entry module in Node 20).
 */
function workerStart(): WorkerStart {
  if (!import.meta.url.endsWith('.ts')) return { entry: new URL('./parse-worker.js', import.meta.url) };
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./parse-worker.ts', import.meta.url).href;
  return { script: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })` };
}
