// Performance data through the Proxmox provider against the simulator's rrddata: the
// numbers handed on are the ones the simulator served — the raw answer read with a
// plain HTTP client, and the simulator's own row generator — at PVE's resolutions
// (1 min, 30 min, 3 h, 12 h), for a VM, a container and a node; a stopped VM has rows
// without values.

import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricTimeframe } from '../../../shared/metrics';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ProxmoxSimulator } from '../../sim/proxmox';
import { guestRow, nodeRow, RRD_RESOLUTION } from '../../sim/proxmox/rrd-routes';
import { connectedSimulator } from './helpers';

describe('Proxmox provider: performance data (rrddata)', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ sim, provider, stop } = await connectedSimulator({}));
  });
  afterAll(() => stop?.());

  const query = (nativeRef: string, kind: string, timeframe: MetricTimeframe) => provider.metrics!.query({ nativeRef, kind }, timeframe);

  /** The raw answer, as a plain HTTPS client reads it (login, then the GET with the ticket). */
  async function raw(path: string, timeframe: string): Promise<Array<Record<string, number>>> {
    const login = JSON.parse(await send('POST', '/access/ticket', new URLSearchParams({ username: 'root@pam', password: 'password' }).toString())) as { data: { ticket: string } };
    const query = new URLSearchParams({ timeframe, cf: 'AVERAGE' });
    return (JSON.parse(await send('GET', `${path}?${query}`, undefined, `PVEAuthCookie=${encodeURIComponent(login.data.ticket)}`)) as { data: Array<Record<string, number>> }).data;
  }

  function send(method: string, path: string, body?: string, cookie?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${sim.url}/api2/json${path}`,
        { method, ca: sim.certPem, checkServerIdentity: () => undefined, headers: { ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(cookie ? { cookie } : {}) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it("gives a VM's CPU, memory, disk and network as the simulator served them", async () => {
    const answer = await query('qemu/100', 'vm', '1h');
    const rows = await raw('/nodes/node2/qemu/100/rrddata', 'hour');
    expect(answer.stepSeconds).toBe(60);
    expect(answer.series.map((s) => s.id)).toEqual(['cpu', 'mem', 'maxmem', 'diskread', 'diskwrite', 'netin', 'netout']);
    let compared = 0;
    answer.times.forEach((t, i) => {
      const row = rows.find((r) => r.time === t);
      if (!row) return;
      expect(answer.series.find((s) => s.id === 'cpu')!.values[i]).toBeCloseTo(row.cpu! * 100, 9);
      for (const id of ['mem', 'maxmem', 'diskread', 'diskwrite', 'netin', 'netout']) expect(answer.series.find((s) => s.id === id)!.values[i]).toBe(row[id]);
      compared++;
    });
    expect(compared).toBeGreaterThanOrEqual(59);
    // and it is the simulator's own series
    const g = sim.state.guest(100)!;
    const t = answer.times.at(-2)!;
    expect(answer.series.find((s) => s.id === 'netin')!.values.at(-2)).toBe(guestRow(g, t, 60, 'AVERAGE').netin);
  });

  it('reads each timeframe at the resolution PVE keeps it, trimmed to the window', async () => {
    const expected: Array<[MetricTimeframe, number, number]> = [
      ['10m', RRD_RESOLUTION.hour!, 600],
      ['1d', RRD_RESOLUTION.day!, 86_400],
      ['1w', RRD_RESOLUTION.week!, 7 * 86_400],
      ['1mo', RRD_RESOLUTION.month!, 30 * 86_400],
    ];
    for (const [timeframe, step, window] of expected) {
      const answer = await query('lxc/106', 'container', timeframe);
      expect(answer.stepSeconds, timeframe).toBe(step);
      expect(answer.times.every((t) => t % step === 0), timeframe).toBe(true);
      expect(answer.times.length, timeframe).toBeGreaterThanOrEqual(Math.floor(window / step));
      expect(answer.times.length, timeframe).toBeLessThanOrEqual(Math.ceil(window / step) + 1);
    }
  });

  it("gives a node's CPU, memory and network", async () => {
    const answer = await query('node1', 'host', '1d');
    const n = sim.state.node('node1')!;
    const t = answer.times.at(-1)!;
    expect(answer.series.find((s) => s.id === 'memtotal')!.values.at(-1)).toBe(n.maxmem);
    expect(answer.series.find((s) => s.id === 'memused')!.values.at(-1)).toBe(nodeRow(n, t, 1800, 'AVERAGE').memused);
    expect(answer.series.find((s) => s.id === 'cpu')!.values.at(-1)).toBeCloseTo(nodeRow(n, t, 1800, 'AVERAGE').cpu! * 100, 9);
  });

  it('has no values for a stopped VM', async () => {
    const answer = await query('qemu/102', 'vm', '1h');
    expect(answer).toMatchObject({ series: [], empty: 'not-running' });
    expect((await raw('/nodes/node1/qemu/102/rrddata', 'hour')).every((r) => Object.keys(r).join() === 'time')).toBe(true);
  });
});
