// Readers for what a Proxmox VE server sends: the /api2/json envelope and each
// answer the provider uses. A server we trust may still be broken or hostile, so
// every reader checks the shape it relies on and returns a plain value or throws
// a PolyvisorError (SERVER_ERROR, AUTH_FAILED, INVALID_INPUT) — never a TypeError
// from code that assumed a shape. Optional fields of the wrong type are dropped;
// a container of the wrong type (an object where a list belongs) is an error.

import { PolyvisorError } from '../../../../shared/errors';
import type { PveResource, PveSnapshotEntry } from './model-map';

type Json = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes → JSON value; an answer that is not UTF-8 JSON is SERVER_ERROR naming the request. */
export function decodeJson(bytes: Uint8Array, where: string): unknown {
  if (bytes.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw unexpected(where, 'an answer that is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw unexpected(where, `an answer that is not JSON (it begins "${printable(text.slice(0, 40))}")`);
  }
}

export interface RawAnswer {
  status: number;
  /** the HTTP reason phrase: pveproxy puts the error message there */
  reason: string;
  body: unknown;
}

/** Takes `data` out of the envelope, or throws the server's error (its message from the body or the reason phrase). */
export function unwrapEnvelope(res: RawAnswer, where: string): unknown {
  const body = isObject(res.body) ? res.body : undefined;
  if (res.status === 200) {
    if (!body || !('data' in body)) throw unexpected(where, 'an answer without the /api2/json envelope');
    return body.data;
  }
  const serverMessage = ((typeof body?.message === 'string' && body.message.trim()) || res.reason.trim() || `HTTP ${res.status}`).trim();
  const errors = isObject(body?.errors) ? body.errors : undefined;
  const details = errors ? Object.entries(errors).map(([k, v]) => `${k}: ${(typeof v === 'string' ? v : describe(v)).trim()}`) : [];
  const message = details.length ? `${serverMessage} ${details.join('; ')}` : serverMessage;
  if (res.status === 401) {
    throw new PolyvisorError({ code: 'AUTH_FAILED', message: `Proxmox VE refused the credentials: ${message}`, serverCode: '401', serverParams: [serverMessage] });
  }
  if (res.status >= 300 && res.status < 400) {
    throw new PolyvisorError({
      code: 'SERVER_ERROR',
      message: `${where} answered with a redirect (HTTP ${res.status}); Proxmox VE never redirects its API, so Polyvisor does not follow it.`,
      serverCode: String(res.status),
    });
  }
  throw new PolyvisorError({
    code: res.status === 400 ? 'INVALID_INPUT' : 'SERVER_ERROR',
    message,
    serverCode: String(res.status),
    serverParams: [serverMessage, ...details],
  });
}

// ---- the answers the provider reads

export function readVersion(data: unknown, where: string): { version: string } {
  const o = requireObject(data, where);
  return { version: str(o.version) ?? '' };
}

export interface ClusterStatusEntry {
  type: string;
  name: string;
  ip?: string;
  quorate?: number;
}

export function readClusterStatus(data: unknown, where: string): ClusterStatusEntry[] {
  return requireObjects(data, where).flatMap((e) => {
    if (typeof e.type !== 'string' || typeof e.name !== 'string') return [];
    return [{ type: e.type, name: e.name, ip: str(e.ip), quorate: num(e.quorate) }];
  });
}

const RESOURCE_TEXT = ['node', 'name', 'status', 'tags', 'lock', 'pool', 'hastate', 'storage', 'plugintype', 'content'] as const;
const RESOURCE_NUMBERS = ['maxcpu', 'cpu', 'maxmem', 'maxdisk', 'disk', 'mem', 'shared'] as const;

/** GET /cluster/resources: entries without `id` and `type` are skipped; only the fields the inventory uses are kept. */
export function readResources(data: unknown, where: string): PveResource[] {
  const out: PveResource[] = [];
  for (const e of requireObjects(data, where)) {
    if (typeof e.id !== 'string' || typeof e.type !== 'string') continue;
    const r: PveResource = { id: e.id, type: e.type };
    for (const k of RESOURCE_TEXT) {
      const v = str(e[k]);
      if (v !== undefined) r[k] = v;
    }
    for (const k of RESOURCE_NUMBERS) {
      const v = num(e[k]);
      if (v !== undefined) r[k] = v;
    }
    const uptime = seconds(e.uptime);
    if (uptime !== undefined) r.uptime = uptime;
    const vmid = e.vmid;
    if ((typeof vmid === 'number' && Number.isSafeInteger(vmid) && vmid >= 0) || (typeof vmid === 'string' && /^\d{1,15}$/.test(vmid))) r.vmid = Number(vmid);
    const template = e.template;
    if (typeof template === 'number' || typeof template === 'boolean' || typeof template === 'string') r.template = template === '1' || template === 1 || template === true ? 1 : 0;
    out.push(r);
  }
  return out;
}

/** GET …/{vmid}/snapshot: entries without a name are skipped. */
export function readSnapshotList(data: unknown, where: string): PveSnapshotEntry[] {
  const out: PveSnapshotEntry[] = [];
  for (const e of requireObjects(data, where)) {
    if (typeof e.name !== 'string' || e.name === '') continue;
    const s: PveSnapshotEntry = { name: e.name };
    const description = str(e.description);
    if (description !== undefined) s.description = description;
    const snaptime = seconds(e.snaptime);
    if (snaptime !== undefined) s.snaptime = snaptime;
    if (typeof e.vmstate === 'number' || typeof e.vmstate === 'boolean') s.vmstate = e.vmstate;
    const parent = str(e.parent);
    if (parent) s.parent = parent;
    out.push(s);
  }
  return out;
}

export interface ClusterTask {
  upid: string;
  /** qmsnapshot, vzrollback, qmstart, … */
  type: string;
  /** the guest's vmid for guest tasks */
  id: string;
  done: boolean;
}

/** GET /cluster/tasks: the cluster's recent tasks; entries without a upid and type are skipped. */
export function readClusterTasks(data: unknown, where: string): ClusterTask[] {
  return requireObjects(data, where).flatMap((e) => {
    if (typeof e.upid !== 'string' || typeof e.type !== 'string') return [];
    const status = str(e.status);
    return [{ upid: e.upid, type: e.type, id: str(e.id) ?? String(num(e.id) ?? ''), done: num(e.endtime) !== undefined || (status !== undefined && status !== 'running') }];
  });
}

export interface TaskStatus {
  status: 'running' | 'stopped';
  exitstatus?: string;
}

export function readTaskStatus(data: unknown, where: string): TaskStatus {
  const o = requireObject(data, where);
  if (o.status !== 'running' && o.status !== 'stopped') throw unexpected(where, `a task status that is ${quoted(o.status)}`);
  return { status: o.status, exitstatus: str(o.exitstatus) };
}

/** GET …/tasks/{upid}/log: only the count of lines matters to us. */
export function readTaskLog(data: unknown, where: string): number {
  return requireList(data, where).length;
}

/** A worker task id: UPID:node:pid:pstart:starttime:type:id:user: */
export function readUpid(data: unknown, where: string): string {
  if (typeof data !== 'string' || !/^UPID:[^:\s]+:/.test(data) || data.length > 512) {
    throw unexpected(where, `a task id that is not a UPID (${quoted(data)})`);
  }
  return data;
}

/** The node a UPID runs on (UPID:node:…). */
export function upidNode(upid: string): string {
  return readUpid(upid, 'Proxmox VE').split(':')[1];
}

/** GET /cluster/nextid: the lowest free VMID; PVE sends it as a string ("101"), the schema says integer. */
export function readNextId(data: unknown, where: string): number {
  const id = typeof data === 'number' ? data : typeof data === 'string' && /^\d{3,9}$/.test(data) ? Number(data) : NaN;
  if (!Number.isSafeInteger(id) || id < 100 || id > 999_999_999) throw unexpected(where, `a next VMID that is ${quoted(data)}`);
  return id;
}

/** GET …/snapshot/{snapname}/config: of a snapshot's frozen configuration only its description matters here. */
export function readSnapshotDescription(data: unknown, where: string): string {
  return str(requireObject(data, where).description) ?? '';
}

/** An answer whose content does not matter (PUT …/snapshot/{snapname}/config answers null). */
export function readNothing(): void {}

/** POST …/lxc/{vmid}/template answers null (done at once); a task id, should a version run it as a worker, is followed. */
export function readUpidOrNull(data: unknown, where: string): string | null {
  return data === null || data === undefined ? null : readUpid(data, where);
}

export interface PveTicket {
  ticket: string;
  csrf: string;
}

export function readTicket(data: unknown): PveTicket {
  const o = isObject(data) ? data : {};
  if (typeof o.ticket !== 'string' || typeof o.CSRFPreventionToken !== 'string' || !o.ticket || !o.CSRFPreventionToken) {
    throw new PolyvisorError({ code: 'AUTH_FAILED', message: 'Proxmox VE answered the login without a ticket (two-factor authentication is not supported yet).' });
  }
  return { ticket: o.ticket, csrf: o.CSRFPreventionToken };
}

export interface ProxyTicket {
  port: number;
  ticket: string;
  user: string;
  /** PVE 8+: the VNC password when one was generated (else the ticket is the password) */
  password?: string;
}

/** POST …/vncproxy and …/termproxy */
export function readProxyTicket(data: unknown, where: string): ProxyTicket {
  const o = requireObject(data, where);
  const port = num(o.port);
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535 || typeof o.ticket !== 'string' || !o.ticket) {
    throw unexpected(where, 'a console proxy without a port and ticket');
  }
  return { port, ticket: o.ticket, user: str(o.user) ?? '', password: str(o.password) || undefined };
}

// ---- helpers

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireObject(data: unknown, where: string): Json {
  if (!isObject(data)) throw unexpected(where, `${describe(data)} where an object belongs`);
  return data;
}

export function requireList(data: unknown, where: string): unknown[] {
  if (!Array.isArray(data)) throw unexpected(where, `${describe(data)} where a list belongs`);
  return data;
}

/** A list of objects: anything else in it means the answer is not what the API documents. */
export function requireObjects(data: unknown, where: string): Json[] {
  const list = requireList(data, where);
  const bad = list.findIndex((e) => !isObject(e));
  if (bad !== -1) throw unexpected(where, `a list whose entry ${bad + 1} is ${describe(list[bad])}, not an object`);
  return list as Json[];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A number, or a decimal string (some PVE versions send numbers as strings). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** Seconds (a time since the epoch, or an uptime) that a Date can hold: 0 … 100,000,000 days. */
function seconds(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && n >= 0 && n <= 8.64e12 ? n : undefined;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A server value for a message: a string quoted and cut short, anything else by its kind (never String() or JSON of it: a hostile value may refuse both). */
function quoted(v: unknown): string {
  return typeof v === 'string' ? `"${printable(v)}"` : describe(v);
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}

function unexpected(where: string, what: string): PolyvisorError {
  return new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} sent ${what}; Polyvisor cannot read it.`, serverCode: 'BAD_ANSWER' });
}
