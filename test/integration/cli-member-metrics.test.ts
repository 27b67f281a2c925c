// `polyvisor metrics <vm on a member host>` as a real process against a simulated pool
// whose members answer for their own performance data at their own addresses, each
// with its own certificate (memberHosts): the CLI's CSV carries the member's series,
// each value the one the simulator's generator served for that VM at that time. Only
// the master's certificate is accepted by the user; the member's is pinned through the
// pool (host.get_server_certificate).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { formatValue } from '../sim/xapi/rrd/rrd-updates';
import { vmSources } from '../sim/xapi/rrd/series';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-member-metrics'), startXapiSimulator({ generate: { hosts: 3, vms: 12, snapshots: 0 }, memberHosts: true })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor metrics of a VM on a member host', { timeout: 120_000 }, () => {
  it("prints the member's series for its VM", async () => {
    await profile.ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'pool', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
    const master = String(sim.db.records('pool').values().next().value!.master);
    const vm = [...sim.db.records('VM').values()].find((v) => v.resident_on !== master && v.power_state === 'Running' && !v.is_control_domain && !v.is_a_template && !v.is_a_snapshot)!;
    expect(sim.db.get('host', String(vm.resident_on))!.address).not.toBe(sim.host);
    const { stdout } = await profile.ok(['metrics', String(vm.name_label), '--series', 'cpu0,vif_0_rx', '--csv']);
    const [head, ...rows] = stdout.trim().split('\n');
    expect(head).toBe('time,cpu0,vif_0_rx');
    expect(rows.length).toBeGreaterThanOrEqual(119);
    const sources = vmSources(sim.db, vm);
    const cpu0 = sources.find((s) => s.name === 'cpu0')!;
    const rx = sources.find((s) => s.name === 'vif_0_rx')!;
    for (const row of rows) {
      const [time, c0, r] = row.split(',');
      const t = Date.parse(time!) / 1000;
      expect(Number(c0)).toBeCloseTo(Number(formatValue(cpu0.value(t, 5))) * 100, 6);
      expect(Number(r)).toBe(Number(formatValue(rx.value(t, 5))));
    }
  });
});
