// The fleet bench's own logic: the fleet's shape at a scale, event-rate pacing and the
// rate's split over pools, the goal table.
import { describe, expect, test } from 'vitest';
import { fleetPlan, vcsimGuests } from '../../bench/fleet/plan';
import { Pacer, shareRate } from '../../bench/fleet/pacer';
import { goalTable } from '../../bench/fleet/report';

describe('fleetPlan', () => {
  test('at scale 1: 100 servers, 50,000 guests, 64 XAPI pools (4 large of 64 hosts × 2,000 VMs), 25 Proxmox clusters, 10 vcsim, one dockerd', () => {
    const plan = fleetPlan(1);
    const pools = plan.groups.flat();
    expect(plan.servers).toBe(100);
    expect(plan.guests).toBe(50_000);
    expect(pools.filter((p) => p.kind === 'xapi')).toHaveLength(64);
    expect(pools.filter((p) => p.kind === 'xapi' && p.hosts === 64 && p.vms === 2_000)).toHaveLength(4);
    expect(pools.filter((p) => p.kind === 'proxmox')).toHaveLength(25);
    expect(plan.vcsims).toHaveLength(10);
    expect(plan.containers).toBe(300);
    // a simulator process serves several pools: 89 simulated servers in 8 processes
    expect(plan.groups).toHaveLength(8);
    expect(Math.max(...plan.groups.map((g) => g.length))).toBe(12);
    // every pool has the probe VM (vm-00007) and a snapshot per ten VMs
    for (const p of pools) if (p.kind === 'xapi') expect(p.vms).toBeGreaterThanOrEqual(7), expect(p.snapshots).toBe(Math.round(p.vms / 10));
  });

  test('the guests add up: pools, clusters, vcsim instances and containers', () => {
    const plan = fleetPlan(1);
    const simulated = plan.groups.flat().reduce((n, p) => n + (p.kind === 'xapi' ? p.vms : p.vms + p.cts), 0);
    expect(simulated + plan.vcsims.reduce((n, v) => n + vcsimGuests(v.vmsPerPool), 0) + plan.containers).toBe(plan.guests);
  });

  test('at scale 0.1: ten servers, every type present, about 5,000 guests', () => {
    const plan = fleetPlan(0.1);
    const pools = plan.groups.flat();
    expect(plan.servers).toBe(6 + 3 + 1 + 1);
    expect(pools.some((p) => p.kind === 'xapi' && p.hosts > 2)).toBe(true);
    expect(pools.some((p) => p.kind === 'proxmox')).toBe(true);
    expect(plan.guests).toBe(5_000);
  });

  test('a scale outside (0, 1] is refused', () => {
    expect(() => fleetPlan(0)).toThrow(/scale/);
    expect(() => fleetPlan(2)).toThrow(/scale/);
  });
});

describe('Pacer', () => {
  test('makes what is due since the start, whatever the ticks', () => {
    const pacer = new Pacer(1000, 0);
    expect(pacer.due(0)).toBe(0);
    expect(pacer.due(10)).toBe(10);
    expect(pacer.due(10)).toBe(0);
    expect(pacer.due(35)).toBe(25);
    expect(pacer.due(99.9)).toBe(64);
    expect(pacer.total()).toBe(99);
  });

  test('a late tick catches up to the burst cap; a longer stall is dropped, not owed', () => {
    const pacer = new Pacer(1000, 0, 50);
    expect(pacer.due(30)).toBe(30);
    expect(pacer.due(1_030)).toBe(50); // a second late: 1,000 owed, 50 made
    expect(pacer.due(1_040)).toBe(10); // then on pace again
    expect(pacer.total()).toBe(90);
  });

  test('a rate below one per tick still comes out right over time', () => {
    const pacer = new Pacer(7, 0);
    let made = 0;
    for (let t = 0; t <= 10_000; t += 10) made += pacer.due(t);
    expect(made).toBe(70);
  });
});

describe('shareRate', () => {
  test('splits by weight in whole shares that add up to the total', () => {
    expect(shareRate(1000, [1, 1, 1])).toEqual([334, 333, 333]);
    expect(shareRate(1000, [3, 1])).toEqual([750, 250]);
    expect(shareRate(10, [0, 5])).toEqual([0, 10]);
    expect(shareRate(10, [0, 0])).toEqual([0, 0]);
    const shares = shareRate(1000, [2000, 2000, 595, 594, 7]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

describe('goalTable', () => {
  test('each row with its value, goal and verdict; a number without a goal has no verdict', () => {
    const table = goalTable([
      { what: 'ready', value: '9.1 s', goal: '≤ 15 s', met: true },
      { what: 'event → screen', value: '140 ms', goal: 'p95 ≤ 100 ms', met: false },
      { what: 'first paint', value: '0.4 s', goal: '—' },
    ]).split('\n');
    expect(table).toHaveLength(5);
    expect(table[2]).toMatch(/^ready\s+\| 9\.1 s\s+\| ≤ 15 s\s+\| met$/);
    expect(table[3]).toMatch(/NOT met$/);
    expect(table[4]).toMatch(/\| —$/);
  });
});
