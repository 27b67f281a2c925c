// Member hosts' performance data (issue 15): with memberHosts each host of the simulated
// pool answers GET /rrd_updates at its own address, with a certificate of its own, for
// itself and its resident VMs only — the master knows nothing of a member's VMs. The
// provider asks the member (with the master's session), pinning the member's certificate
// through host.get_server_certificate; the numbers are checked against the simulator's
// series generator and the member's own raw answer, and a member that presents another
// certificate than the pool announces is refused with a clear error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../../shared/errors';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { rawXport } from '../../sim/xapi/rrd/raw-xport';
import { formatValue } from '../../sim/xapi/rrd/rrd-updates';
import { hostSources, vmSources } from '../../sim/xapi/rrd/series';
import { Harness } from './harness';

describe('XenServer performance data of member hosts', () => {
  let sim: XapiSimulator;
  let harness: Harness;
  let master: string;
  let members: string[];

  const runningOn = (host: string) =>
    [...sim.db.records('VM')].filter(([, v]) => v.resident_on === host && v.power_state === 'Running' && !v.is_control_domain && !v.is_a_template && !v.is_a_snapshot).map(([ref]) => ref);

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 3, vms: 12, snapshots: 0 }, memberHosts: true });
    harness = new Harness(sim);
    await harness.provider.connect();
    master = String(sim.db.records('pool').values().next().value!.master);
    members = [...sim.db.records('host').keys()].filter((ref) => ref !== master);
    expect(members.length).toBe(2);
    for (const member of members) expect(runningOn(member).length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it("shows a member's VM with its own series, read from the member (the master has none of it)", async () => {
    const member = members[0]!;
    const vmRef = runningOn(member)[0]!;
    const vm = sim.db.get('VM', vmRef)!;
    const address = String(sim.db.get('host', member)!.address);
    expect(address).not.toBe(sim.host);
    const start = String(Math.floor(Date.now() / 1000) - 600);
    // the master's rrdd does not know the member's VM; the member's does
    const atMaster = await rawXport(sim, { start, cf: 'AVERAGE', interval: '5', vm_uuid: String(vm.uuid) });
    expect(atMaster.legend).toEqual([]);
    const atMember = await rawXport(sim, { start, cf: 'AVERAGE', interval: '5', vm_uuid: String(vm.uuid) }, address);
    expect(atMember.legend.length).toBeGreaterThan(0);

    const answer = await harness.provider.metrics!.query({ nativeRef: vmRef, kind: 'vm' }, '10m');
    expect(answer.empty).toBeUndefined();
    expect(answer.stepSeconds).toBe(5);
    expect(answer.times.length).toBeGreaterThanOrEqual(119);
    const sources = vmSources(sim.db, vm);
    expect(new Set(answer.series.map((s) => s.id))).toEqual(new Set([...sources.map((s) => s.name), 'memory_used', 'cpu_avg']));
    for (const name of ['cpu0', 'vbd_xvda_read', 'vif_0_rx']) {
      const source = sources.find((s) => s.name === name)!;
      const series = answer.series.find((s) => s.id === name)!;
      const scale = name.startsWith('cpu') ? 100 : 1;
      answer.times.forEach((t, i) => expect(series.values[i]).toBeCloseTo(Number(formatValue(source.value(t, 5))) * scale, 6));
    }
    // and the member's own raw answer agrees at every time both have
    const cpu0 = atMember.legend.findIndex((e) => e.endsWith(':cpu0'));
    let compared = 0;
    for (const row of atMember.rows) {
      const i = answer.times.indexOf(row.t);
      if (i < 0) continue;
      expect(answer.series.find((s) => s.id === 'cpu0')!.values[i]).toBeCloseTo(Number(row.v[cpu0]) * 100, 6);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("gives live usage of the master's and a member's objects, each from its own host", async () => {
    const member = members[0]!;
    const targets = [
      { nativeRef: runningOn(master)[0]!, kind: 'vm' },
      { nativeRef: runningOn(member)[0]!, kind: 'vm' },
      { nativeRef: member, kind: 'host' },
    ];
    const readings = await harness.provider.usage!.sample(targets);
    expect(readings.map((r) => r.nativeRef)).toEqual(targets.map((t) => t.nativeRef));
    for (const reading of readings) {
      expect(reading.cpu).toBeGreaterThan(0);
      expect(reading.memoryTotal).toBeGreaterThan(0);
    }
    // a member host's memory as its rrdd serves it (memory_total_kib, KiB → bytes)
    const host = sim.db.get('host', member)!;
    const total = hostSources(sim.db, host).find((s) => s.name === 'memory_total_kib')!;
    expect(readings[2]!.memoryTotal).toBe(Number(formatValue(total.value(0, 5))) * 1024);
    // a VM's CPU: the mean of its vCPUs at one of the last two 5-second rows
    const vm = sim.db.get('VM', targets[1]!.nativeRef)!;
    const cpus = vmSources(sim.db, vm).filter((s) => /^cpu\d+$/.test(s.name));
    const end = Math.floor(Date.now() / 5000) * 5;
    const candidates = [end, end - 5, end - 10].map((t) => cpus.reduce((sum, s) => sum + Number(formatValue(s.value(t, 5))), 0) / cpus.length);
    expect(candidates.some((c) => Math.abs(c - readings[1]!.cpu!) < 1e-6)).toBe(true);
  });

  it('refuses a member that presents another certificate than host.get_server_certificate announces', async () => {
    const member = members[1]!;
    await sim.memberHosts!.presentForeignCertificate(member);
    const vmRef = runningOn(member)[0]!;
    const err = await harness.provider.metrics!.query({ nativeRef: vmRef, kind: 'vm' }, '10m').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPolyvisorError(err)).toBe(true);
    const info = err as { code: string; message: string };
    expect(info.code).toBe('CERT_CHANGED');
    expect(info.message).toContain(String(sim.db.get('host', member)!.name_label));
    expect(info.message).toContain('host.get_server_certificate');
    // the master's objects are still read
    const ok = await harness.provider.metrics!.query({ nativeRef: runningOn(master)[0]!, kind: 'vm' }, '10m');
    expect(ok.series.length).toBeGreaterThan(0);
  });
});
