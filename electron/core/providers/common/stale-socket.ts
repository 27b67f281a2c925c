// A kept-alive socket the server closed while it sat idle (its keep-alive timeout passed,
// or our event loop was too busy to see the close in time) fails the next request sent on
// it before any answer comes. That request never reached the server's handler, so it is
// sent once more on a new socket, as Node's documentation advises (request.reusedSocket).
// A request on a fresh socket that fails the same way is a real failure and is not retried.

const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** The request failed before its answer began because the reused socket it went out on was already closed. */
export function sentOnStaleSocket(request: { reusedSocket?: boolean } | null | undefined, err: unknown): boolean {
  if (!request?.reusedSocket) return false;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && STALE_SOCKET_CODES.has(code);
}
