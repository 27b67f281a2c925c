// GET /rrd_updates as xapi's rrdd serves it: the "xport" XML document with a legend
// of `<CF>:<vm|host>:<uuid>:<data source>` entries and rows newest first. The archive
// (RRA) is chosen as rrdd chooses it: the finest one at least `interval` seconds apart
// that still reaches back to `start`, else the one reaching back furthest.
// xapi's archives: 5 s for 10 minutes, 60 s for 2 hours, an hour for a week, a day for a year.
//
// By default the simulator answers for every host at one address, so `host=true` brings
// every live host's data and, without `vm_uuid`, every running VM's. With member hosts
// (member-hosts.ts) each host answers at its own address for itself and its resident
// VMs only, as a real host's rrdd does.

import type http from 'node:http';
import type { SimCore } from '../core';
import { hostSources, vmSources, type DataSource } from './series';

export interface Archive {
  step: number;
  rows: number;
}

export const XAPI_ARCHIVES: readonly Archive[] = [
  { step: 5, rows: 120 },
  { step: 60, rows: 120 },
  { step: 3600, rows: 168 },
  { step: 86_400, rows: 366 },
];

export const CONSOLIDATIONS = ['AVERAGE', 'MIN', 'MAX', 'LAST'] as const;
export type Consolidation = (typeof CONSOLIDATIONS)[number];

/** The archive rrdd reads for this start and interval (seconds). */
export function chooseArchive(now: number, start: number, interval: number): Archive {
  const coarse = XAPI_ARCHIVES.filter((a) => a.step >= interval);
  const candidates = coarse.length > 0 ? coarse : [XAPI_ARCHIVES[XAPI_ARCHIVES.length - 1]!];
  return candidates.find((a) => now - a.step * a.rows <= start) ?? candidates[candidates.length - 1]!;
}

/** MIN and MAX of a consolidated interval spread around its average; the finest archive holds single readings. */
export function consolidated(src: DataSource, cf: Consolidation, t: number, step: number): number {
  const v = src.value(t, step);
  if (step === XAPI_ARCHIVES[0]!.step || cf === 'AVERAGE' || cf === 'LAST' || src.name.startsWith('memory')) return v;
  return cf === 'MIN' ? v * 0.8 : v * 1.2;
}

/** xapi's float text (Rrd_utils.f_to_s): four decimals, "0.0" for zero, NaN where there is none, ±Infinity. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return v === 0 ? '0.0' : v.toFixed(4);
}

export interface XportRequest {
  start: number;
  interval: number;
  cf: Consolidation;
  host: boolean;
  vmUuid?: string;
  /** the host whose rrdd answers (its own data and its resident VMs'); absent: every host */
  hostRef?: string;
  /** json=true: xapi's JSON rendering of the same xport */
  json?: boolean;
}

/** The times and sources of an answer: rows from newest to oldest. */
export function xportPlan(core: SimCore, req: XportRequest, now: number): { archive: Archive; times: number[]; sources: DataSource[] } {
  const archive = chooseArchive(now, req.start, req.interval);
  const end = Math.floor(now / archive.step) * archive.step;
  const times: number[] = [];
  for (let t = end; t > req.start && times.length < archive.rows; t -= archive.step) times.push(t);
  const sources: DataSource[] = [];
  if (req.host) for (const [ref, host] of core.db.records('host')) if (req.hostRef === undefined || ref === req.hostRef) sources.push(...hostSources(core.db, host));
  for (const vm of core.db.records('VM').values()) {
    if (vm.is_a_template || vm.is_a_snapshot) continue;
    if (req.hostRef !== undefined && vm.resident_on !== req.hostRef) continue;
    if (req.vmUuid !== undefined && vm.uuid !== req.vmUuid) continue;
    sources.push(...vmSources(core.db, vm));
  }
  return { archive, times, sources };
}

/** The xport document, in pieces (a large pool's answer is written as it is made). */
export function* xportChunks(req: XportRequest, plan: ReturnType<typeof xportPlan>): Generator<string> {
  const { archive, times, sources } = plan;
  let head = '<?xml version="1.0" encoding="UTF-8"?><xport><meta>';
  head += `<start>${times.length ? times[times.length - 1] : req.start}</start><step>${archive.step}</step><end>${times[0] ?? req.start}</end>`;
  head += `<rows>${times.length}</rows><columns>${sources.length}</columns><legend>`;
  for (const s of sources) head += `<entry>${req.cf}:${s.type}:${s.uuid}:${s.name}</entry>`;
  yield `${head}</legend></meta><data>`;
  for (const t of times) {
    let row = `<row><t>${t}</t>`;
    for (const s of sources) row += `<v>${formatValue(consolidated(s, req.cf, t, archive.step))}</v>`;
    yield `${row}</row>`;
  }
  yield '</data></xport>';
}

/**
 * The same document as JSON (json=true), as xapi renders it (Rrd_updates.json_of_t): every
 * number a string — `{"meta":{"start","step","end","rows","columns","legend":[…]},
 * "data":[{"t":"…","values":["…",…]},…]}`, rows newest first.
 */
export function* xportJsonChunks(req: XportRequest, plan: ReturnType<typeof xportPlan>): Generator<string> {
  const { archive, times, sources } = plan;
  const q = (v: string | number) => JSON.stringify(String(v));
  const meta = [
    `"start":${q(times.length ? times[times.length - 1]! : req.start)}`,
    `"step":${q(archive.step)}`,
    `"end":${q(times[0] ?? req.start)}`,
    `"rows":${q(times.length)}`,
    `"columns":${q(sources.length)}`,
    `"legend":[${sources.map((s) => q(`${req.cf}:${s.type}:${s.uuid}:${s.name}`)).join(',')}]`,
  ];
  yield `{"meta":{${meta.join(',')}},"data":[`;
  let first = true;
  for (const t of times) {
    yield `${first ? '' : ','}{"t":${q(t)},"values":[${sources.map((s) => q(formatValue(consolidated(s, req.cf, t, archive.step)))).join(',')}]}`;
    first = false;
  }
  yield ']}';
}

/** Reads the query as rrdd does; undefined with the reason when it cannot. */
export function readXportRequest(query: URLSearchParams): XportRequest | string {
  const start = Number(query.get('start'));
  if (!query.has('start') || !Number.isFinite(start)) return 'start is required (seconds since the epoch)';
  const interval = query.has('interval') ? Number(query.get('interval')) : 0;
  if (!Number.isFinite(interval) || interval < 0) return 'interval must be a number of seconds';
  const cf = (query.get('cf') ?? 'AVERAGE').toUpperCase();
  if (!(CONSOLIDATIONS as readonly string[]).includes(cf)) return `unknown consolidation function ${cf}`;
  const vmUuid = query.get('vm_uuid') ?? undefined;
  return { start, interval, cf: cf as Consolidation, host: query.get('host') === 'true', ...(vmUuid ? { vmUuid } : {}), ...(query.get('json') === 'true' ? { json: true } : {}) };
}

/** `hostRef`: the host answering at this address (member hosts); absent: the simulator answers for the whole pool. */
export function rrdUpdatesHandler(core: SimCore, hostRef?: () => string | undefined): (query: URLSearchParams, res: http.ServerResponse) => void {
  return (query, res) => {
    if (!hasSession(core, query, res)) return;
    const req = readXportRequest(query);
    if (typeof req === 'string') {
      badRequest(res, req);
      return;
    }
    const scope = hostRef?.();
    if (scope !== undefined) req.hostRef = scope;
    const now = Math.floor(core.clock.now().getTime() / 1000);
    res.writeHead(200, { 'content-type': req.json ? 'application/json' : 'text/xml', 'cache-control': 'no-cache, no-store' });
    for (const chunk of (req.json ? xportJsonChunks : xportChunks)(req, xportPlan(core, req, now))) res.write(chunk);
    res.end();
  };
}

/** rrdd's handlers answer 403 without a valid session_id. */
export function hasSession(core: SimCore, query: URLSearchParams, res: http.ServerResponse): boolean {
  const session = query.get('session_id') ?? '';
  if (session && core.db.get('session', session)) return true;
  res.writeHead(403, { 'content-type': 'text/html' }).end('<html><body><h1>HTTP 403 forbidden</h1>Access was denied.</body></html>');
  return false;
}

export function badRequest(res: http.ServerResponse, reason: string): void {
  res.writeHead(400, { 'content-type': 'text/html' }).end(`<html><body><h1>HTTP 400 bad request</h1>${reason}</body></html>`);
}
