// A test's independent reading of GET /rrd_updates: plain HTTPS with the simulator's
// certificate (a member's own at a member's address) and a session of the pool, parsed with
// fast-xml-parser (not Polyvisor's reader).

import https from 'node:https';
import { XMLParser } from 'fast-xml-parser';
import type { XapiSimulator } from '../index';

export interface RawXport {
  step: number;
  legend: string[];
  /** newest first, as xapi writes them; values as the text served */
  rows: Array<{ t: number; v: string[] }>;
}

/** `address`: the host asked (a member's own address); default the simulator's. */
/** The certificate served at an address: a member's own, else the simulator's. */
export function certificateAt(sim: XapiSimulator, address: string): string {
  for (const [ref, at] of sim.memberHosts?.addresses ?? []) {
    const own = sim.memberHosts!.certificates.get(ref);
    if (at === address && own) return own;
  }
  return sim.certPem;
}

export async function rawXport(sim: XapiSimulator, params: Record<string, string>, address = sim.host): Promise<RawXport> {
  const session = sim.db.records('session').keys().next().value as string;
  const qs = new URLSearchParams({ session_id: session, ...params });
  const body = await new Promise<string>((resolve, reject) => {
    https
      .get({ host: address, port: sim.port, path: `/rrd_updates?${qs}`, ca: certificateAt(sim, address), checkServerIdentity: () => undefined }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))));
      })
      .on('error', reject);
  });
  const doc = new XMLParser({ parseTagValue: false, isArray: (name) => ['entry', 'row', 'v'].includes(name) }).parse(body);
  const meta = doc.xport.meta;
  return {
    step: Number(meta.step),
    legend: (meta.legend?.entry ?? []) as string[],
    rows: ((doc.xport.data?.row ?? []) as Array<{ t: string; v: string[] }>).map((r) => ({ t: Number(r.t), v: r.v })),
  };
}
