// The one Content-Security-Policy for the renderer, in Electron and in web mode.
// connect-src allows loopback WebSockets on any port: the console bridge
// listens on its own random port (see ConsoleTicket in shared/contract.ts).

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws://127.0.0.1:*",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
