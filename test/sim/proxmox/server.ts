// The HTTP(S) front of the simulator, behaving like pveproxy: /api2/json
// envelopes, reason phrases carrying the error, ticket/CSRF/API-token checks,
// bodies as form data or JSON.

import http from 'node:http';
import type { AuthService, Identity } from './auth';
import { SimHttpError } from './guest-ops';
import { ParamError, verifyParams } from './params';
import { ROUTES, type Route, type RouteContext } from './routes';
import type { ClusterState } from './state';
import type { TaskManager } from './tasks';
import { enforce } from './access-check';

const API_PREFIX = '/api2/json';

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

const COMPILED: CompiledRoute[] = ROUTES.map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${pattern}/?$`), names };
});

export interface ServerDeps {
  state: () => ClusterState;
  tasks: TaskManager;
  auth: AuthService;
  /** counts of refused requests by reason, for tests */
  refusals: Map<string, number>;
  /** counts of requests by "METHOD /path" (below /api2/json, without the query), for tests */
  requests: Map<string, number>;
  /** called with "METHOD /path" once an answer has been computed from the state and sent */
  answered: Set<(methodAndPath: string) => void>;
}

export function createHandler(deps: ServerDeps): http.RequestListener {
  return (req, res) => {
    handle(deps, req, res).catch((e) => send(res, 500, { data: null }, String(e)));
  };
}

async function handle(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const method = (req.method ?? 'GET').toUpperCase();
  if (!url.pathname.startsWith(API_PREFIX)) return sendError(res, 404, 'File not found');
  const path = url.pathname.slice(API_PREFIX.length) || '/';
  const body = await readBody(req);
  const key = `${method} ${path}`;
  deps.requests.set(key, (deps.requests.get(key) ?? 0) + 1);

  let match: { c: CompiledRoute; m: RegExpExecArray } | undefined;
  for (const c of COMPILED) {
    const m = c.route.method === method ? c.regex.exec(path) : null;
    if (m) {
      match = { c, m };
      break;
    }
  }
  if (!match) return sendError(res, 501, `Method '${method} ${API_PREFIX}${path}' not implemented`);

  const { route } = match.c;
  let identity: Identity | null = null;
  if (!route.public) {
    const authError = authenticate(deps.auth, req, method);
    if (typeof authError === 'string') {
      deps.refusals.set(authError, (deps.refusals.get(authError) ?? 0) + 1);
      return sendError(res, 401, authError);
    }
    identity = authError;
  }

  let raw: Record<string, unknown>;
  try {
    raw = { ...Object.fromEntries(url.searchParams), ...parseBody(req, body) };
  } catch {
    return sendError(res, 400, 'Parameter verification failed.', { body: 'unable to parse request body' });
  }
  match.c.names.forEach((name, i) => (raw[name] = decodeURIComponent(match!.m[i + 1])));

  const ctx: RouteContext = {
    params: {},
    state: deps.state(),
    tasks: deps.tasks,
    auth: deps.auth,
    identity,
    extra: {},
  };
  try {
    ctx.params = verifyParams(route.params, raw);
    if (identity) enforce(ctx.state.access, identity.user, method, route.path, ctx.params);
    const data = route.handler(ctx);
    send(res, 200, { data: data === undefined ? null : data, ...ctx.extra });
    for (const listener of deps.answered) listener(key);
  } catch (e) {
    if (e instanceof ParamError) return sendError(res, 400, e.message, e.errors);
    if (e instanceof SimHttpError) return sendError(res, e.status, e.message, e.errors);
    return sendError(res, 500, e instanceof Error ? e.message : String(e));
  }
}

/** Returns the caller, or the 401 reason. */
function authenticate(auth: AuthService, req: http.IncomingMessage, method: string): Identity | string {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('PVEAPIToken=')) {
    return auth.verifyApiToken(authorization) ?? 'invalid token value!';
  }
  const ticket = cookieValue(req.headers.cookie, 'PVEAuthCookie');
  if (!ticket) return 'No ticket';
  const user = auth.verifyTicket(ticket);
  if (!user) return 'permission denied - invalid PVE ticket';
  if (method !== 'GET') {
    const csrf = req.headers.csrfpreventiontoken;
    if (!auth.verifyCsrf(Array.isArray(csrf) ? csrf[0] : csrf, user)) return 'Permission denied - invalid csrf token';
  }
  return { user };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

function parseBody(req: http.IncomingMessage, body: string): Record<string, unknown> {
  if (!body) return {};
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('body is not an object');
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter(([, v]) => v !== null));
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendError(res: http.ServerResponse, status: number, message: string, errors?: Record<string, string>): void {
  const body: Record<string, unknown> = { data: null, message: `${message}\n` };
  if (errors) body.errors = errors;
  send(res, status, body, message);
}

function send(res: http.ServerResponse, status: number, body: unknown, reason?: string): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  // pveproxy puts the error message into the status line
  if (reason) res.statusMessage = reason.replace(/[\r\n]+/g, ' ').trim();
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'max-age=0');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Server', 'pve-api-daemon/3.0');
  res.end(text);
}
