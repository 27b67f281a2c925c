// GET /host_rrd and GET /vm_rrd as xapi serves them: the whole round-robin database of
// one object (Rrd.xml_to_output): <rrd><version>0003</version><step>5</step><lastupdate/>,
// one <ds> per data source (name, type, minimal_heartbeat, min, max, last_ds, value,
// unknown_sec), then one <rra> per archive and consolidation (cf, pdp_per_row,
// <params><xff/></params>, <cdp_prep> with a <ds> per source, <database> of <row>s of <v>s,
// oldest row first and no times: a row's time follows from lastupdate and the archive's
// step). json=true gives the same as JSON (Rrd.Json: numbers as strings, "database" an
// array of rows). The archives are xapi's (rrd-updates.ts: XAPI_ARCHIVES), each with
// AVERAGE, MIN and MAX, as rrdd makes a VM's and a host's.
//
// /vm_rrd?uuid= answers on the host the VM is resident on; asked elsewhere (the master,
// for a VM on a member) xapi redirects there (HTTP 302 to the member's address).

import type http from 'node:http';
import type { SimCore } from '../core';
import type { XapiRecord } from '../database';
import { badRequest, consolidated, formatValue, hasSession, XAPI_ARCHIVES, type Consolidation } from './rrd-updates';
import { hostSources, vmSources, type DataSource } from './series';

const BASE_STEP = XAPI_ARCHIVES[0]!.step;
const DUMP_CFS: readonly Consolidation[] = ['AVERAGE', 'MIN', 'MAX'];
/** the sources counted per second (rrdd's DERIVE); the rest are readings (GAUGE) */
const DERIVED = /^(cpu\d+|vbd_|vif_|pif_)/;

interface Dump {
  lastupdate: number;
  sources: DataSource[];
}

function dsType(s: DataSource): string {
  return DERIVED.test(s.name) ? 'DERIVE' : 'GAUGE';
}

function dsMax(s: DataSource): number {
  return /^cpu/.test(s.name) ? 1 : Number.POSITIVE_INFINITY;
}

/** The times of an archive's rows, oldest first, ending at the last complete step. */
export function archiveTimes(lastupdate: number, step: number, rows: number): number[] {
  const end = Math.floor(lastupdate / step) * step;
  return Array.from({ length: rows }, (_v, i) => end - (rows - 1 - i) * step);
}

export function* rrdXmlChunks(dump: Dump): Generator<string> {
  const { lastupdate, sources } = dump;
  let head = `<?xml version="1.0" encoding="UTF-8"?><rrd><version>0003</version><step>${BASE_STEP}</step><lastupdate>${lastupdate}</lastupdate>`;
  for (const s of sources) {
    const last = formatValue(s.value(lastupdate, BASE_STEP));
    head += `<ds><name>${s.name}</name><type>${dsType(s)}</type><minimal_heartbeat>${formatValue(300)}</minimal_heartbeat><min>${formatValue(0)}</min>`;
    head += `<max>${formatValue(dsMax(s))}</max><last_ds>${last}</last_ds><value>${formatValue(0)}</value><unknown_sec>0</unknown_sec></ds>`;
  }
  yield head;
  for (const archive of XAPI_ARCHIVES) {
    const times = archiveTimes(lastupdate, archive.step, archive.rows);
    for (const cf of DUMP_CFS) {
      let rra = `<rra><cf>${cf}</cf><pdp_per_row>${archive.step / BASE_STEP}</pdp_per_row><params><xff>${formatValue(0.5)}</xff></params><cdp_prep>`;
      for (let i = 0; i < sources.length; i++) rra += `<ds><primary_value>0.0</primary_value><secondary_value>0.0</secondary_value><value>${formatValue(0)}</value><unknown_datapoints>0</unknown_datapoints></ds>`;
      yield `${rra}</cdp_prep><database>`;
      for (const t of times) yield `<row>${sources.map((s) => `<v>${formatValue(consolidated(s, cf, t, archive.step))}</v>`).join('')}</row>`;
      yield '</database></rra>';
    }
  }
  yield '</rrd>';
}

export function* rrdJsonChunks(dump: Dump): Generator<string> {
  const { lastupdate, sources } = dump;
  const q = (v: string | number) => JSON.stringify(String(v));
  const ds = sources.map(
    (s) =>
      `{"name":${q(s.name)},"type":${q(dsType(s))},"minimal_heartbeat":${q(formatValue(300))},"min":${q(formatValue(0))},"max":${q(formatValue(dsMax(s)))},` +
      `"last_ds":${q(formatValue(s.value(lastupdate, BASE_STEP)))},"value":${q(formatValue(0))},"unknown_sec":${q(formatValue(0))}}`,
  );
  yield `{"version":"0003","step":${q(BASE_STEP)},"lastupdate":${q(formatValue(lastupdate))},"ds":[${ds.join(',')}],"rra":[`;
  let firstRra = true;
  for (const archive of XAPI_ARCHIVES) {
    const times = archiveTimes(lastupdate, archive.step, archive.rows);
    for (const cf of DUMP_CFS) {
      const cdp = sources.map(() => `{"primary_value":"0.0","secondary_value":"0.0","value":${q(formatValue(0))},"unknown_datapoints":"0"}`);
      yield `${firstRra ? '' : ','}{"cf":${q(cf)},"pdp_per_row":${q(archive.step / BASE_STEP)},"params":{"xff":${q(formatValue(0.5))}},"cdp_prep":{"ds":[${cdp.join(',')}]},"database":[`;
      yield times.map((t) => `[${sources.map((s) => q(formatValue(consolidated(s, cf, t, archive.step)))).join(',')}]`).join(',');
      yield ']}';
      firstRra = false;
    }
  }
  yield ']}';
}

function send(res: http.ServerResponse, dump: Dump, json: boolean): void {
  res.writeHead(200, { 'content-type': json ? 'application/json' : 'text/xml', 'cache-control': 'no-cache, no-store' });
  for (const chunk of (json ? rrdJsonChunks : rrdXmlChunks)(dump)) res.write(chunk);
  res.end();
}

function notFound(res: http.ServerResponse, what: string): void {
  res.writeHead(404, { 'content-type': 'text/html' }).end(`<html><body><h1>HTTP 404 not found</h1>${what}</body></html>`);
}

const nowOf = (core: SimCore) => Math.floor(core.clock.now().getTime() / 1000);

/** GET /host_rrd: the answering host's database (`hostRef`: the host at this address). */
export function hostRrdHandler(core: SimCore, hostRef: () => string | undefined): (query: URLSearchParams, res: http.ServerResponse) => void {
  return (query, res) => {
    if (!hasSession(core, query, res)) return;
    const ref = hostRef();
    const host = ref ? core.db.get('host', ref) : undefined;
    const sources = host ? hostSources(core.db, host) : [];
    if (!host || sources.length === 0) return notFound(res, 'no RRD for this host');
    send(res, { lastupdate: nowOf(core), sources }, query.get('json') === 'true');
  };
}

/**
 * GET /vm_rrd?uuid=: the VM's database where it runs. `hostRef`: the host at this address
 * (absent: this address answers for the whole pool); `addressOf`: where another host is.
 */
export function vmRrdHandler(core: SimCore, hostRef: (() => string | undefined) | undefined, addressOf: (hostRef: string) => string | undefined, port: () => number): (query: URLSearchParams, res: http.ServerResponse) => void {
  return (query, res) => {
    if (!hasSession(core, query, res)) return;
    const uuid = query.get('uuid');
    if (!uuid) return badRequest(res, 'uuid is required');
    const vm = [...core.db.records('VM').values()].find((v: XapiRecord) => v.uuid === uuid && !v.is_a_template && !v.is_a_snapshot);
    const sources = vm ? vmSources(core.db, vm) : [];
    if (!vm || sources.length === 0) return notFound(res, `no RRD for VM ${uuid}`);
    const here = hostRef?.();
    const residentOn = String(vm.resident_on);
    if (here !== undefined && residentOn !== here) {
      const address = addressOf(residentOn);
      if (!address) return notFound(res, `VM ${uuid} is not resident here`);
      const location = `https://${address.includes(':') ? `[${address}]` : address}:${port()}/vm_rrd?${query.toString()}`;
      res.writeHead(302, { location, 'content-type': 'text/html' }).end('<html><body><h1>HTTP 302 found</h1></body></html>');
      return;
    }
    send(res, { lastupdate: nowOf(core), sources }, query.get('json') === 'true');
  };
}
