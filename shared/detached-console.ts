// A console detached into its own window (issue 18): the app's own page opened with
// `#detached-console=<request>`. The request carries a one-time console ticket (single
// use, short-lived: the console bridge's), never a session or a password; the fragment
// never reaches a server. Electron's main process lets only such app URLs open a window.

export const DETACHED_CONSOLE_HASH = '#detached-console=';

export interface DetachedConsoleRequest {
  nodeId: string;
  name: string;
  /** the console bridge's one-time ws:// URL */
  ticket: string;
  language: string;
  theme: 'light' | 'dark';
}

export function detachedConsoleHash(request: DetachedConsoleRequest): string {
  return DETACHED_CONSOLE_HASH + encodeURIComponent(JSON.stringify(request));
}

/** The request in a page's fragment, or null when the page is not a detached console. */
export function parseDetachedConsoleHash(hash: string): DetachedConsoleRequest | null {
  if (!hash.startsWith(DETACHED_CONSOLE_HASH)) return null;
  try {
    const raw = JSON.parse(decodeURIComponent(hash.slice(DETACHED_CONSOLE_HASH.length))) as Partial<DetachedConsoleRequest>;
    const { nodeId, name, ticket, language, theme } = raw;
    if (typeof nodeId !== 'string' || typeof name !== 'string' || typeof ticket !== 'string' || typeof language !== 'string') return null;
    if (!/^ws:\/\/127\.0\.0\.1:\d+\/console\//.test(ticket)) return null;
    return { nodeId, name, ticket, language, theme: theme === 'dark' ? 'dark' : 'light' };
  } catch {
    return null; // a hand-made fragment: the page opens as the app instead
  }
}
