// Member hosts' own performance data (issue 15): with memberHosts each host of the pool
// answers GET /rrd_updates at its own address (host.address: the master at the
// simulator's, members at 127.0.0.2, … on the same port) for itself and its resident
// VMs only, as a real host's rrdd does; the numbers are the generator's. Read with an
// independent XML parser over plain HTTPS.

import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { formatValue } from './rrd/rrd-updates';
import { rawXport } from './rrd/raw-xport';
import { hostSources, vmSources } from './rrd/series';

let sim: XapiSimulator;

const xport = (address: string, params: Record<string, string>) => rawXport(sim, params, address);

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 3, vms: 9, snapshots: 0 }, memberHosts: true });
  // a session to read with (pool-wide, as xapi's are), logged in over JSON-RPC at the master
  await new Promise<void>((resolve, reject) => {
    const req = https.request({ host: sim.host, port: sim.port, path: '/jsonrpc', method: 'POST', ca: sim.certPem, checkServerIdentity: () => undefined, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.login_with_password', params: ['root', 'password', '2.0', 'member-rrd test'] }));
  });
});

afterAll(async () => {
  await sim?.stop();
});

describe('member hosts answer for their own performance data', () => {
  it("each host at its own address: itself and its resident VMs, with the generator's numbers", async () => {
    const hosts = [...sim.db.records('host')];
    const addresses = hosts.map(([, h]) => String(h.address));
    expect(addresses[0]).toBe('127.0.0.1');
    expect(new Set(addresses).size).toBe(hosts.length);
    const start = String(Math.floor(sim.clock.now().getTime() / 1000) - 60);
    let vmsSeen = 0;
    for (const [ref, host] of hosts) {
      const answer = await xport(String(host.address), { start, host: 'true', cf: 'AVERAGE', interval: '5' });
      const uuids = new Set(answer.legend.map((e) => e.split(':')[2]));
      const resident = [...sim.db.records('VM').values()].filter((v) => v.resident_on === ref && (v.power_state === 'Running' || v.power_state === 'Paused'));
      // this host and its resident VMs, the control domain among them (their sources, as the generator names them), nobody else's
      const expected = [...hostSources(sim.db, host), ...resident.flatMap((v) => vmSources(sim.db, v))];
      expect(answer.legend.sort()).toEqual(expected.map((s) => `AVERAGE:${s.type}:${s.uuid}:${s.name}`).sort());
      expect(uuids.has(String(host.uuid))).toBe(true);
      vmsSeen += resident.length;
      // every value is the generator's at that time
      const raw = await xport(String(host.address), { start, host: 'true', cf: 'AVERAGE', interval: '5' });
      for (const row of raw.rows) {
        raw.legend.forEach((entry, i) => {
          const [, type, uuid, name] = entry.split(':');
          const source = expected.find((s) => s.type === type && s.uuid === uuid && s.name === name)!;
          expect(row.v[i]).toBe(formatValue(source.value(row.t, 5)));
        });
      }
    }
    expect(vmsSeen).toBeGreaterThan(0);
  });
});
