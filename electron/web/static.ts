// Serves the built renderer: files under one directory only, with their content
// types and the strict CSP; unknown paths without an extension fall back to
// index.html (client-side routes).

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './csp';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers sent with every response of the web host. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // the page URL carries the API token: never send it on as a Referer
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export function createStaticHandler(staticDir: string): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const root = path.resolve(staticDir);
  return (req, res) => {
    void serve(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    });
  };
}

async function serve(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  const file = await resolveStaticFile(root, req.url ?? '/');
  if (file === 'forbidden') {
    res.writeHead(400, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end('Bad path\n');
    return;
  }
  if (!file) {
    const indexMissing = !(await isFile(path.join(root, 'index.html')));
    const status = indexMissing ? 503 : 404;
    const text = indexMissing ? `The renderer is not built (no ${path.join(root, 'index.html')}): run npm run build:renderer\n` : 'Not found\n';
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(text);
    return;
  }
  const isHtml = file.endsWith('.html');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': contentTypeFor(file),
    'content-length': String((await stat(file)).size),
    // hashed asset names may be cached; the page itself must always be fresh
    'cache-control': isHtml ? 'no-store' : 'public, max-age=3600',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** The file to send, null when there is none, 'forbidden' for paths that escape the root. */
export async function resolveStaticFile(root: string, rawUrl: string): Promise<string | null | 'forbidden'> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname);
  } catch {
    return 'forbidden';
  }
  if (pathname.includes('\0')) return 'forbidden';
  const candidate = path.resolve(root, '.' + path.posix.normalize(pathname));
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return 'forbidden';
  if (await isFile(candidate)) return candidate;
  const index = path.join(candidate, 'index.html');
  if (await isFile(index)) return index;
  if (path.extname(pathname) === '') {
    const appIndex = path.join(root, 'index.html');
    if (await isFile(appIndex)) return appIndex;
  }
  return null;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
