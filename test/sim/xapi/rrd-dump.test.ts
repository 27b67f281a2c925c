// The simulator's other performance data formats, read with independent parsers over
// plain HTTPS: GET /host_rrd and /vm_rrd (xapi's whole-RRD dump: version, step,
// lastupdate, one ds per data source, AVERAGE/MIN/MAX archives of xapi's four
// timescales, rows oldest first), /vm_rrd's redirect from the master to the member a VM
// runs on, rrd_updates' json=true (the xport with every number a string), and
// host.get_server_certificate answering the certificate each host really serves.

import https from 'node:https';
import tls from 'node:tls';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { certificateAt, rawXport } from './rrd/raw-xport';
import { archiveTimes } from './rrd/rrd-dump';
import { XAPI_ARCHIVES, consolidated, formatValue } from './rrd/rrd-updates';
import { hostSources, vmSources } from './rrd/series';

let sim: XapiSimulator;
let session: string;
let master: string;
let member: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(address: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: address, port: sim.port, path, ca: certificateAt(sim, address), checkServerIdentity: () => undefined }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

async function call(method: string, params: unknown[]): Promise<unknown> {
  const body = await new Promise<string>((resolve, reject) => {
    const req = https.request({ host: sim.host, port: sim.port, path: '/jsonrpc', method: 'POST', ca: sim.certPem, checkServerIdentity: () => undefined, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  });
  const answer = JSON.parse(body) as { result?: unknown; error?: unknown };
  if (answer.error) throw new Error(JSON.stringify(answer.error));
  return answer.result;
}

function servedCertificate(address: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: address, port: sim.port, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`);
    });
    socket.on('error', reject);
  });
}

const pemBody = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['ds', 'rra', 'row', 'v'].includes(name) });

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 0 }, memberHosts: true });
  session = String(await call('session.login_with_password', ['root', 'password', '2.0', 'rrd-dump test']));
  master = String(sim.db.records('pool').values().next().value!.master);
  member = [...sim.db.records('host').keys()].find((ref) => ref !== master)!;
});

afterAll(async () => {
  await sim?.stop();
});

describe('host.get_server_certificate', () => {
  it('answers the certificate each host serves at its address, the members each their own', async () => {
    const pems: string[] = [];
    for (const [ref, host] of sim.db.records('host')) {
      const announced = String(await call('host.get_server_certificate', [session, ref]));
      expect(pemBody(announced)).toBe(pemBody(await servedCertificate(String(host.address))));
      pems.push(pemBody(announced));
    }
    expect(new Set(pems).size).toBe(pems.length);
  });
});

describe('GET /host_rrd and /vm_rrd', () => {
  it("dumps a member host's whole RRD in xapi's format, every value the generator's", async () => {
    const host = sim.db.get('host', member)!;
    const answer = await get(String(host.address), `/host_rrd?session_id=${session}`);
    expect(answer.status).toBe(200);
    expect(answer.body.startsWith('<?xml version="1.0" encoding="UTF-8"?><rrd><version>0003</version><step>5</step><lastupdate>')).toBe(true);
    const rrd = parser.parse(answer.body).rrd;
    const sources = hostSources(sim.db, host);
    expect(rrd.ds.map((d: { name: string }) => d.name)).toEqual(sources.map((s) => s.name));
    expect(Object.keys(rrd.ds[0])).toEqual(['name', 'type', 'minimal_heartbeat', 'min', 'max', 'last_ds', 'value', 'unknown_sec']);
    expect(rrd.rra.map((r: { cf: string; pdp_per_row: string }) => `${r.cf}/${r.pdp_per_row}`)).toEqual(
      XAPI_ARCHIVES.flatMap((a) => ['AVERAGE', 'MIN', 'MAX'].map((cf) => `${cf}/${a.step / 5}`)),
    );
    const lastupdate = Number(rrd.lastupdate);
    rrd.rra.forEach((rra: { cf: string; params: { xff: string }; cdp_prep: { ds: unknown[] }; database: { row: Array<{ v: string[] }> } }, i: number) => {
      const archive = XAPI_ARCHIVES[Math.floor(i / 3)]!;
      expect(rra.params.xff).toBe('0.5000');
      expect(rra.cdp_prep.ds.length).toBe(sources.length);
      expect(rra.database.row.length).toBe(archive.rows);
      const times = archiveTimes(lastupdate, archive.step, archive.rows);
      // oldest first: the first and the last row are the generator's at those times
      for (const r of [0, archive.rows - 1]) {
        sources.forEach((s, c) => expect(rra.database.row[r]!.v[c]).toBe(formatValue(consolidated(s, rra.cf as 'AVERAGE', times[r]!, archive.step))));
      }
    });
  });

  it("redirects /vm_rrd at the master to the member the VM runs on, which dumps the VM's RRD (JSON too)", async () => {
    const [, vm] = [...sim.db.records('VM')].find(([, v]) => v.resident_on === member && v.power_state === 'Running')!;
    const memberAddress = String(sim.db.get('host', member)!.address);
    const query = `session_id=${session}&uuid=${vm.uuid}`;
    const redirect = await get(sim.host, `/vm_rrd?${query}`);
    expect(redirect.status).toBe(302);
    const location = new URL(String(redirect.headers.location));
    expect(`${location.protocol}//${location.host}${location.pathname}`).toBe(`https://${memberAddress}:${sim.port}/vm_rrd`);
    expect(Object.fromEntries(location.searchParams)).toEqual({ session_id: session, uuid: vm.uuid });
    const xml = parser.parse((await get(memberAddress, `/vm_rrd?${query}`)).body).rrd;
    const sources = vmSources(sim.db, vm);
    expect(xml.ds.map((d: { name: string }) => d.name)).toEqual(sources.map((s) => s.name));
    const json = JSON.parse((await get(memberAddress, `/vm_rrd?${query}&json=true`)).body);
    expect(json.version).toBe('0003');
    expect(json.step).toBe('5');
    expect(json.ds.map((d: { name: string }) => d.name)).toEqual(sources.map((s) => s.name));
    expect(json.rra.length).toBe(XAPI_ARCHIVES.length * 3);
    const hourly = json.rra[6];
    expect(hourly).toMatchObject({ cf: 'AVERAGE', pdp_per_row: '720', params: { xff: '0.5000' } });
    const times = archiveTimes(Number(xml.lastupdate), 3600, 168);
    expect(hourly.database.at(-1)).toEqual(sources.map((s) => formatValue(consolidated(s, 'AVERAGE', times.at(-1)!, 3600))));
    // a halted VM has no RRD on any host
    const [, halted] = [...sim.db.records('VM')].find(([, v]) => v.power_state === 'Halted' && !v.is_a_template && !v.is_a_snapshot)!;
    expect((await get(sim.host, `/vm_rrd?session_id=${session}&uuid=${halted.uuid}`)).status).toBe(404);
    expect((await get(sim.host, `/vm_rrd?session_id=OpaqueRef:nope&uuid=${vm.uuid}`)).status).toBe(403);
  });
});

describe('GET /rrd_updates?json=true', () => {
  it('is the same xport as the XML, every number a string', async () => {
    const address = String(sim.db.get('host', member)!.address);
    const start = String(Math.floor(sim.clock.now().getTime() / 1000) - 30);
    const params = { start, cf: 'AVERAGE', interval: '5', host: 'true' };
    const xml = await rawXport(sim, params, address);
    const answer = await get(address, `/rrd_updates?${new URLSearchParams({ session_id: session, ...params, json: 'true' })}`);
    expect(answer.headers['content-type']).toBe('application/json');
    const json = JSON.parse(answer.body);
    expect(Object.keys(json)).toEqual(['meta', 'data']);
    expect(Object.keys(json.meta)).toEqual(['start', 'step', 'end', 'rows', 'columns', 'legend']);
    expect(json.meta.step).toBe('5');
    expect(json.meta.columns).toBe(String(xml.legend.length));
    expect(json.meta.legend).toEqual(xml.legend);
    // the same rows, newest first (the clock may have turned a step between the two requests)
    const byTime = new Map(xml.rows.map((r) => [r.t, r.v]));
    let compared = 0;
    for (const row of json.data as Array<{ t: string; values: string[] }>) {
      expect(typeof row.t).toBe('string');
      const v = byTime.get(Number(row.t));
      if (!v) continue;
      expect(row.values).toEqual(v);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
