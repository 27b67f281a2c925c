// `polyvisor metrics` as a real process against the XAPI simulator: the CSV's numbers
// are the ones the simulator's series generator served for each time; the JSON carries
// xapi's step per timeframe; --series picks kinds and series; a halted VM says why it
// has no data; bad options are usage errors.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { vmSources } from '../sim/xapi/rrd/series';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

const vm = (name: string) => [...sim.db.records('VM').values()].find((v) => v.name_label === name && !v.is_a_snapshot && !v.is_a_template)!;

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-metrics'), startXapiSimulator({ generate: { hosts: 1, vms: 2, snapshots: 0 } })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor metrics against the XAPI simulator', { timeout: 120_000 }, () => {
  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'perf', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('prints every point as CSV, each the value the simulator served', async () => {
    const { stdout } = await ok(['metrics', 'vm-00001', '--series', 'cpu,vif_0_rx', '--csv']);
    const [head, ...rows] = stdout.trim().split('\n');
    expect(head).toBe('time,cpu0,cpu1,vif_0_rx,cpu_avg');
    expect(rows.length).toBeGreaterThanOrEqual(119);
    const sources = vmSources(sim.db, vm('vm-00001'));
    const cpu0 = sources.find((s) => s.name === 'cpu0')!;
    const rx = sources.find((s) => s.name === 'vif_0_rx')!;
    for (const row of rows) {
      const [time, c0, , r] = row.split(',');
      const t = Date.parse(time!) / 1000;
      expect(Number(c0)).toBeCloseTo(Number(cpu0.value(t, 5).toFixed(4)) * 100, 6);
      expect(Number(r)).toBe(Number(rx.value(t, 5).toFixed(4)));
    }
  });

  it('gives the JSON answer with the step of the archive and a summary table', async () => {
    const json = JSON.parse((await ok(['metrics', 'vm-00001', '--since', '1w', '--series', 'memory', '--json'])).stdout);
    expect(json).toMatchObject({ node: { name: 'vm-00001', kind: 'vm' }, timeframe: '1w', stepSeconds: 3600 });
    // the hourly archive holds a week: 168 rows
    expect([167, 168]).toContain(json.times.length);
    expect(json.series.map((s: { id: string }) => s.id).sort()).toEqual(['memory', 'memory_internal_free', 'memory_target', 'memory_used']);
    const table = (await ok(['metrics', 'host-01', '--since', '1h'])).stdout;
    // The client asks from 5 s short of an hour ago (to keep the minute archive), so it gets 59
    // rows when asked in a minute's last 5 s, 61 when a minute begins between question and answer.
    expect(table).toMatch(/^host-01 \(host\): (59|60|61) points every 60 s/);
    expect(table).toMatch(/\nmemory_total_kib\s+memory\s+\S+ GiB/);
  });

  it('says why a halted VM has no data, and refuses bad options', async () => {
    const halted = await cli(['metrics', 'vm-00002']);
    expect(halted.code).toBe(1);
    expect(halted.stderr).toMatch(/No performance data for vm-00002: it is not running/);
    expect((await cli(['metrics', 'vm-00001', '--since', '2h'])).stderr).toMatch(/--since must be one of 10m, 1h, 1d, 1w, 1mo/);
    expect((await cli(['metrics', 'vm-00001', '--json', '--csv'])).code).toBe(2);
    expect((await cli(['metrics', 'vm-00001', '--series', 'gpu'])).stderr).toMatch(/No series named gpu/);
  });
});
