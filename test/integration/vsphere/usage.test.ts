// vSphere live usage from summary.quickStats against vcsim 0.24: every row on screen
// read in one property read, compared with vcsim's own quickStats, hardware and config
// read through an independent SOAP client. What vcsim 0.24 fills: a host's quickStats
// (overallCpuUsage 67 MHz, overallMemoryUsage 1404 MB, uptime) and hardware (cpuMhz,
// numCpuCores, memorySize); a VM's quickStats only guestHeartbeatStatus (its MHz and
// memory figures are left out, Go's zero values), so a VM reads its configured memory
// and no CPU or used memory — left out, not guessed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, skipVcsim, startConnected, TEST_TIMEOUT, type ConnectedPeer } from './harness';
import { text, type RawSoap } from './raw-soap';

type Node = Record<string, unknown>;
const num = (v: unknown) => (v === undefined || v === null || text(v) === '' ? undefined : Number(text(v)));
const MIB = 1024 ** 2;

describe.skipIf(skipVcsim)('vSphere live usage (summary.quickStats)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let raw: RawSoap;

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, raw } = peer);
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  it("reads the hosts' and VMs' usage as vcsim keeps it", async () => {
    const hosts = await raw.objects('HostSystem', ['summary.quickStats', 'summary.hardware']);
    const vms = (await raw.objects('VirtualMachine', ['runtime.powerState', 'summary.quickStats', 'summary.config.memorySizeMB', 'summary.config.numCpu', 'runtime.host'])).filter(
      (v) => text(v.props['runtime.powerState']) === 'poweredOn',
    );
    expect(hosts.length).toBeGreaterThan(0);
    expect(vms.length).toBeGreaterThan(0);
    const targets = [...hosts.map((h) => ({ nativeRef: h.ref.value, kind: 'host' })), ...vms.map((v) => ({ nativeRef: v.ref.value, kind: 'vm' }))];
    const readings = await provider.usage.sample(targets);
    expect(readings.map((r) => r.nativeRef).sort()).toEqual(targets.map((t) => t.nativeRef).sort());
    const byRef = new Map(readings.map((r) => [r.nativeRef, r]));

    for (const h of hosts) {
      const stats = h.props['summary.quickStats'] as Node;
      const hardware = h.props['summary.hardware'] as Node;
      const reading = byRef.get(h.ref.value)!;
      const capacity = num(hardware.cpuMhz)! * num(hardware.numCpuCores)!;
      expect(num(stats.overallCpuUsage)).toBeGreaterThan(0);
      expect(reading.cpu).toBeCloseTo(num(stats.overallCpuUsage)! / capacity, 9);
      expect(reading.memoryUsed).toBe(num(stats.overallMemoryUsage)! * MIB);
      expect(reading.memoryTotal).toBe(num(hardware.memorySize));
    }
    for (const v of vms) {
      const stats = (v.props['summary.quickStats'] ?? {}) as Node;
      const reading = byRef.get(v.ref.value)!;
      expect(reading.memoryTotal).toBe(num(v.props['summary.config.memorySizeMB'])! * MIB);
      // what vcsim serves, or nothing where it leaves the figure out
      const guest = num(stats.guestMemoryUsage);
      expect(reading.memoryUsed).toBe(guest === undefined ? undefined : guest * MIB);
      const used = num(stats.overallCpuUsage);
      if (used === undefined) expect(reading.cpu).toBeUndefined();
      else {
        const host = hosts.find((h) => h.ref.value === text(v.props['runtime.host']))!;
        expect(reading.cpu).toBeCloseTo(used / (num((host.props['summary.hardware'] as Node).cpuMhz)! * num(v.props['summary.config.numCpu'])!), 9);
      }
    }
  });
});
