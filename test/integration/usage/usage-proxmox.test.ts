// Live usage of Proxmox VE guests and nodes: the cpu/mem/maxmem of the /cluster/resources
// answer the inventory polls anyway — no request of its own (the simulator counts them) —
// with the simulator's guests' sizes and its served bands (a running guest uses 36–44 %
// of its memory and under 5 % CPU there), and nothing for a stopped guest.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ProxmoxSimulator } from '../../sim/proxmox';
import { connectedSimulator, waitFor } from '../proxmox/helpers';

describe('Proxmox live usage (from /cluster/resources)', { timeout: 60_000 }, () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ sim, provider, stop } = await connectedSimulator({}));
  });
  afterAll(() => stop?.());

  it("hands on the polled answer's numbers for running guests and nodes, without a request of its own", async () => {
    const guests = [...sim.state.guests.values()].filter((g) => !g.template);
    const running = guests.find((g) => g.status === 'running')!;
    const stopped = guests.find((g) => g.status === 'stopped');
    const node = [...sim.state.nodes.values()][0]!;
    const targets = [
      { nativeRef: `${running.type}/${running.vmid}`, kind: running.type === 'lxc' ? 'container' : 'vm' },
      { nativeRef: node.name, kind: 'host' },
      ...(stopped ? [{ nativeRef: `${stopped.type}/${stopped.vmid}`, kind: 'vm' }] : []),
    ];
    const before = sim.requestCount('GET /cluster/resources');
    const readings = await waitFor(async () => {
      const r = await provider.usage!.sample(targets);
      return r.length >= 2 ? r : undefined;
    }, 'readings', 20_000);
    expect(sim.requestCount('GET /cluster/resources') - before).toBeLessThanOrEqual(1); // at most the inventory's own poll meanwhile
    const guest = readings.find((r) => r.nativeRef === targets[0]!.nativeRef)!;
    expect(guest.memoryTotal).toBe(running.maxmem);
    expect(guest.memoryUsed! / running.maxmem).toBeGreaterThanOrEqual(0.36 - 1e-6);
    expect(guest.memoryUsed! / running.maxmem).toBeLessThanOrEqual(0.44 + 1e-6);
    expect(guest.cpu).toBeGreaterThanOrEqual(0);
    expect(guest.cpu).toBeLessThan(0.05);
    const host = readings.find((r) => r.nativeRef === node.name)!;
    expect(host.memoryTotal).toBe(node.maxmem);
    expect(host.cpu).toBeLessThan(0.02);
    if (stopped) expect(readings.find((r) => r.nativeRef === targets[2]!.nativeRef)?.memoryUsed ?? 0).toBe(0);
  });
});
