// A 10,000-VM pool's first load (issue 17): every record is mapped to a node and every node
// applied to the inventory store in slices of the event loop, so the core keeps answering
// while it happens; the tree the renderer gets is still the whole pool, read back here from
// the simulator through a session of its own. The simulator runs in a child process: only
// the client's work is on this loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPresentedCertificate } from '../../../electron/core/tls/probe';
import { measureFirstLoad } from '../../../bench/lib/xapi-first-load';
import { startXapiSimProcess, type SimProcess } from '../../peers/xapi-sim-process';
import { otherSession } from './harness';

/**
 * Generous (the machine is shared and loaded, and a GC pause counts too): the most main-thread
 * CPU between two turns of the loop was 261–339 ms when mapping and applying the 30,000 nodes
 * was one task, 113–124 ms once it is sliced (the rest: GC, a worker's part taken in).
 */
const LONGEST_CPU_BLOCK_MS = 200;

describe('XAPI first load of a 10,000-VM pool, in slices', () => {
  let sim: SimProcess;
  let pem: string;

  beforeAll(async () => {
    sim = await startXapiSimProcess({ hosts: 64, vms: 10_000, snapshots: 20_000, poolName: 'sliced' });
    pem = (await fetchPresentedCertificate(sim.host, sim.port)).pem;
  }, 600_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('keeps the event loop turning and sends the whole pool once', async () => {
    const load = await measureFirstLoad(sim, pem);
    console.log(
      `first load of 10,000 VMs: ${Math.round(load.ms)} ms; longest block ${Math.round(load.longestMs)} ms wall, ` +
        `${Math.round(load.longestCpuMs)} ms CPU; ${load.over50} over 50 ms in ${load.turns} turns; loop delay p99 ${load.p99Ms.toFixed(1)} ms`,
    );
    expect(load.longestCpuMs).toBeLessThan(LONGEST_CPU_BLOCK_MS);
    expect(load.turns).toBeGreaterThan(load.ms / 100);

    // the simulator's own view, through an independent session
    const call = await otherSession({ ...sim, certPem: pem });
    const records = Object.values((await call('VM.get_all_records')) as Record<string, { is_a_template: boolean; is_a_snapshot: boolean; is_control_domain: boolean }>);
    const count = (kind: string) => load.nodes.filter((n) => n.kind === kind).length;
    expect(count('snapshot')).toBe(records.filter((r) => r.is_a_snapshot).length);
    expect(count('template')).toBe(records.filter((r) => r.is_a_template && !r.is_a_snapshot).length);
    expect(load.nodes.filter((n) => n.kind === 'vm' && !n.controlDomain)).toHaveLength(records.filter((r) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain).length);
    expect(count('host')).toBe(64);
    expect(new Set(load.nodes.map((n) => n.id)).size).toBe(load.nodes.length);
  }, 600_000);
});
