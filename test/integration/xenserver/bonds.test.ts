// Bonded networks (issue 16) against the XAPI simulator, as XenCenter's New Network →
// Bonded Network makes them in a pool: one network, one Bond on every host with that
// host's PIFs of the chosen NICs in the chosen mode — read back from the simulator's
// Bond and PIF records; the network tab's mode and members; the server's PIF_ALREADY_BONDED
// leaving nothing behind; delete taking each bond away before the network.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, reporter } from './harness';

const NULL = 'OpaqueRef:NULL';

describe('XenServer: bonded networks', () => {
  let sim: XapiSimulator;
  let harness: Harness;
  const pifsOn = (network: string) => [...sim.db.records('PIF').values()].filter((p) => p.network === network);

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 2, snapshots: 0 } });
    // two more physical NICs on each host (eth1, eth2), as a host with three NICs has
    for (const host of sim.db.records('host').keys()) {
      const [template] = [...sim.db.records('PIF').values()].filter((p) => p.host === host && p.physical);
      const { uuid: _uuid, ...fields } = template!;
      for (const [i, device] of ['eth1', 'eth2'].entries()) {
        sim.db.add('PIF', { ...fields, device, MAC: `aa:bb:cc:00:0${i}:${host.slice(-2)}`, network: NULL, bond_slave_of: NULL, bond_master_of: [], VLAN: -1, VLAN_slave_of: [], VLAN_master_of: NULL, management: false, IP: '' });
      }
    }
    harness = new Harness(sim);
    await harness.provider.connect();
    await harness.until(() => harness.ofKind('network').length > 0, 30_000, 'network nodes');
  }, 60_000);

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('offers a bond of the physical, unbonded NICs', async () => {
    const options = await harness.provider.networks!.createOptions();
    expect(options.kinds).toContain('bond');
    expect(options.bondDevices?.map((d) => d.value)).toEqual(['eth0', 'eth1', 'eth2']);
  });

  it('bonds eth1+eth2 on every host in active-backup, as the simulator’s Bond and PIF records then say, and the tab shows mode and members', async () => {
    const result = await harness.provider.networks!.create({ kind: 'bond', name: 'Bond 1+2', members: ['eth1', 'eth2'], mode: 'active-backup' }, reporter());
    const ref = result.resultId!.split(':network:')[1]!;
    expect(sim.db.get('network', ref)).toMatchObject({ name_label: 'Bond 1+2' });
    const bonds = [...sim.db.records('Bond').values()];
    expect(bonds).toHaveLength(2);
    const hosts = new Set<string>();
    for (const bond of bonds) {
      expect(bond.mode).toBe('active-backup');
      const master = sim.db.get('PIF', String(bond.master))!;
      expect(master).toMatchObject({ network: ref, physical: false });
      const bondRef = String(master.bond_master_of && (master.bond_master_of as string[])[0]);
      const slaves = (bond.slaves as string[]).map((s) => sim.db.get('PIF', s)!);
      expect(slaves.map((s) => [s.device, s.host, s.bond_slave_of])).toEqual([
        ['eth1', master.host, bondRef],
        ['eth2', master.host, bondRef],
      ]);
      hosts.add(String(master.host));
    }
    expect(hosts.size).toBe(2);
    expect(pifsOn(ref)).toHaveLength(2);

    const node = await harness.until(() => (harness.byRef(ref)?.network?.hostIds.length === 2 ? harness.byRef(ref) : undefined), 15_000, 'the bond on both hosts in the tree');
    expect(node.network).toMatchObject({ type: 'bond', vlan: null });
    const details = await harness.provider.networks!.details(ref);
    expect(details.interfaces.map((i) => [i.kind, i.bond])).toEqual([
      ['bond', { mode: 'active-backup', members: ['eth1', 'eth2'] }],
      ['bond', { mode: 'active-backup', members: ['eth1', 'eth2'] }],
    ]);
  });

  it('NICs already bonded are the server’s PIF_ALREADY_BONDED, and leave no network or bond behind', async () => {
    const networks = sim.db.records('network').size;
    await expect(harness.provider.networks!.create({ kind: 'bond', name: 'Again', members: ['eth0', 'eth1'], mode: 'lacp' }, reporter())).rejects.toMatchObject({ info: { serverCode: 'PIF_ALREADY_BONDED' } });
    expect(sim.db.records('network').size).toBe(networks);
    expect(sim.db.records('Bond').size).toBe(2);
  });

  it('one NIC alone is refused before anything is sent', async () => {
    const networks = sim.db.records('network').size;
    await expect(harness.provider.networks!.create({ kind: 'bond', name: 'One', members: ['eth1'] }, reporter())).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    expect(sim.db.records('network').size).toBe(networks);
  });

  it('deleting the bonded network destroys each host’s bond, frees its NICs, then the network', async () => {
    const node = harness.ofKind('network').find((n) => n.name === 'Bond 1+2')!;
    await harness.provider.networks!.destroy(node.nativeRef, reporter());
    expect(sim.db.get('network', node.nativeRef)).toBeUndefined();
    expect(sim.db.records('Bond').size).toBe(0);
    const freed = [...sim.db.records('PIF').values()].filter((p) => p.device === 'eth1' || p.device === 'eth2');
    expect(freed).toHaveLength(4);
    for (const p of freed) expect(p.bond_slave_of).toBe(NULL);
    await harness.until(() => !harness.nodes.has(node.id), 15_000, 'the bond gone from the tree');
  });
});
