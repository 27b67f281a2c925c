// Networks (issue 16) against the XAPI simulator: the networks of a real pool database
// (state1.xml) shown, hidden and named as XenCenter does, with what the simulator's
// network and PIF records say; a pool-wide VLAN made and deleted (read back from the
// simulator's VLAN and PIF records), the server's refusals; a VM's VIFs added (plugged
// while it runs), moved to another network and removed, each read back from the VIF records.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { XAPI_DB_DIR } from '../../shared-dir';
import { Harness, reporter } from './harness';

describe('XenServer networks from state1.xml, as XenCenter shows them', () => {
  let sim: XapiSimulator;
  let harness: Harness;

  beforeAll(async () => {
    sim = await startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state1.xml') });
    harness = new Harness(sim);
    await harness.provider.connect();
    await harness.until(() => harness.ofKind('network').length > 0, 30_000, 'network nodes');
  }, 60_000);

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('names default networks after their NIC, hides the guest installer network, and puts them under the pool', () => {
    const pool = harness.ofKind('pool')[0]!;
    const networks = harness.ofKind('network').map((n) => [n.name, n.parentId, n.network?.bridge, n.network?.type]).sort();
    expect(networks).toEqual([
      ['Network 0', pool.id, 'xenbr0', 'bridge'],
      ['Network 1', pool.id, 'xenbr1', 'bridge'],
    ]);
    const installer = [...sim.db.records('network')].find(([, r]) => r.name_label === 'Guest installer network')!;
    expect(harness.byRef(installer[0])).toBeUndefined();
  });

  it('carries the hosts of its PIFs as the simulator’s PIF records have them', () => {
    for (const node of harness.ofKind('network')) {
      const hosts = [...sim.db.records('PIF').values()].filter((p) => p.network === node.nativeRef).map((p) => String(sim.db.get('host', String(p.host))!.name_label));
      expect(node.network!.hostIds.map((id) => harness.nodes.get(id)!.name).sort()).toEqual(hosts.sort());
      expect(node.network!.vlan).toBeNull();
    }
  });

  it('a network’s tab lists its PIFs per host and the VMs whose VIFs are on it', async () => {
    const network0 = harness.ofKind('network').find((n) => n.name === 'Network 0')!;
    const details = await harness.provider.networks!.details(network0.nativeRef);
    expect(details.interfaces.map((i) => [i.hostName, i.device, i.kind]).sort()).toEqual([
      ['incubus', 'eth0', 'physical'],
      ['inflames', 'eth0', 'physical'],
    ]);
    const isGuest = (vm: Record<string, unknown>) => !vm.is_control_domain && !vm.is_a_template && !vm.is_a_snapshot;
    const vifs = [...sim.db.records('VIF').values()].filter((v) => v.network === network0.nativeRef && isGuest(sim.db.get('VM', String(v.VM))!));
    expect(details.attached.map((a) => a.guestName).sort()).toEqual(vifs.map((v) => String(sim.db.get('VM', String(v.VM))!.name_label)).sort());
    expect(details.attached.length).toBeGreaterThan(0);
  });
});

describe('XenServer: VLANs and a VM’s VIFs', () => {
  let sim: XapiSimulator;
  let harness: Harness;
  const vlansOn = (network: string) => [...sim.db.records('PIF').values()].filter((p) => p.network === network);

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0 } });
    harness = new Harness(sim);
    await harness.provider.connect();
    await harness.until(() => harness.ofKind('network').length > 0, 30_000, 'network nodes');
  }, 60_000);

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('offers a VLAN on the NICs every host has, and hides the host-internal network', async () => {
    const options = await harness.provider.networks!.createOptions();
    expect(options.kinds).toEqual(['vlan', 'internal', 'bond']);
    expect(options.devices.map((d) => d.value)).toEqual(['eth0']);
    expect(harness.ofKind('network').map((n) => n.name)).toEqual(['Network 0']);
  });

  it('makes a pool-wide VLAN: a VLAN PIF with the tag on every host’s eth0, and the tree shows it', async () => {
    const result = await harness.provider.networks!.create({ kind: 'vlan', name: 'Storage VLAN', vlan: 42, device: 'eth0', mtu: 9000 }, reporter());
    const ref = result.resultId!.split(':network:')[1]!;
    const network = sim.db.get('network', ref)!;
    expect(network).toMatchObject({ name_label: 'Storage VLAN', MTU: 9000 });
    const pifs = vlansOn(ref);
    expect(pifs.map((p) => [p.device, p.VLAN, sim.db.get('VLAN', String(p.VLAN_master_of))!.tag])).toEqual([
      ['eth0', 42, 42],
      ['eth0', 42, 42],
    ]);
    expect(new Set(pifs.map((p) => p.host)).size).toBe(2);
    // the network comes first, its PIFs in the events after it
    const node = await harness.until(() => (harness.byRef(ref)?.network?.hostIds.length === 2 ? harness.byRef(ref) : undefined), 15_000, 'the VLAN on both hosts in the tree');
    expect(node.network).toMatchObject({ type: 'vlan', vlan: 42, mtu: 9000, bridge: network.bridge });
  });

  it('the same tag twice is the server’s PIF_VLAN_EXISTS, and leaves no network behind', async () => {
    const before = sim.db.records('network').size;
    await expect(harness.provider.networks!.create({ kind: 'vlan', name: 'Again', vlan: 42, device: 'eth0' }, reporter())).rejects.toMatchObject({ info: { serverCode: 'PIF_VLAN_EXISTS' } });
    expect(sim.db.records('network').size).toBe(before);
  });

  it('adds a VIF to a running VM (plugged), moves it to another network, and removes it', async () => {
    const vlan = harness.ofKind('network').find((n) => n.name === 'Storage VLAN')!;
    const network0 = harness.ofKind('network').find((n) => n.name === 'Network 0')!;
    const [vmRef] = [...sim.db.records('VM')].find(([, r]) => r.power_state === 'Running' && !r.is_control_domain && !r.is_a_template && !r.is_a_snapshot)!;
    const vm = { nativeRef: vmRef, kind: 'vm' };
    const before = (sim.db.get('VM', vmRef)!.VIFs as string[]).slice();

    await harness.provider.networks!.addNic(vm, vlan.nativeRef, reporter());
    const added = (sim.db.get('VM', vmRef)!.VIFs as string[]).find((r) => !before.includes(r))!;
    expect(sim.db.get('VIF', added)).toMatchObject({ network: vlan.nativeRef, device: '1', currently_attached: true });
    const nics = await harness.provider.networks!.nics(vm);
    expect(nics.map((n) => [n.device, n.networkName, n.connected])).toEqual([
      ['0', 'Network 0', true],
      ['1', 'Storage VLAN', true],
    ]);
    expect(nics[1]!.networkId).toBe(vlan.id);
    expect(nics[1]!.mac).toBe(sim.db.get('VIF', added)!.MAC);

    await harness.provider.networks!.moveNic(vm, added, network0.nativeRef, reporter());
    expect(sim.db.get('VIF', added)!.network).toBe(network0.nativeRef);

    await harness.provider.networks!.removeNic(vm, added, reporter());
    expect(sim.db.get('VIF', added)).toBeUndefined();
    expect(sim.db.get('VM', vmRef)!.VIFs).toEqual(before);
  });

  it('a halted VM’s new VIF stays unplugged (xapi plugs only into a running VM)', async () => {
    const [vmRef] = [...sim.db.records('VM')].find(([, r]) => r.power_state === 'Halted' && !r.is_control_domain && !r.is_a_template && !r.is_a_snapshot)!;
    const network0 = harness.ofKind('network').find((n) => n.name === 'Network 0')!;
    const before = (sim.db.get('VM', vmRef)!.VIFs as string[]).slice();
    await harness.provider.networks!.addNic({ nativeRef: vmRef, kind: 'vm' }, network0.nativeRef, reporter());
    const added = (sim.db.get('VM', vmRef)!.VIFs as string[]).find((r) => !before.includes(r))!;
    expect(sim.db.get('VIF', added)).toMatchObject({ network: network0.nativeRef, currently_attached: false });
  });

  it('a network a VM is on cannot be deleted: the server’s NETWORK_CONTAINS_VIF; an unused VLAN goes with its PIFs', async () => {
    const vlan = harness.ofKind('network').find((n) => n.name === 'Storage VLAN')!;
    const [vmRef] = [...sim.db.records('VM')].find(([, r]) => r.power_state === 'Halted' && !r.is_control_domain && !r.is_a_template && !r.is_a_snapshot)!;
    await harness.provider.networks!.addNic({ nativeRef: vmRef, kind: 'vm' }, vlan.nativeRef, reporter());
    await expect(harness.provider.networks!.destroy(vlan.nativeRef, reporter())).rejects.toMatchObject({ info: { serverCode: 'NETWORK_CONTAINS_VIF' } });
    const vif = [...sim.db.records('VIF')].find(([, v]) => v.network === vlan.nativeRef)!;
    await harness.provider.networks!.removeNic({ nativeRef: vmRef, kind: 'vm' }, vif[0], reporter());

    await harness.provider.networks!.destroy(vlan.nativeRef, reporter());
    expect(sim.db.get('network', vlan.nativeRef)).toBeUndefined();
    expect(vlansOn(vlan.nativeRef)).toEqual([]);
    expect([...sim.db.records('VLAN').values()]).toEqual([]);
    await harness.until(() => !harness.nodes.has(vlan.id), 15_000, 'the VLAN gone from the tree');
  });

  it('a private network has no PIF and is shown as internal', async () => {
    const result = await harness.provider.networks!.create({ kind: 'internal', name: 'Lab private' }, reporter());
    const ref = result.resultId!.split(':network:')[1]!;
    expect(sim.db.get('network', ref)).toMatchObject({ name_label: 'Lab private', PIFs: [] });
    const node = await harness.until(() => harness.byRef(ref), 15_000, 'the private network');
    expect(node.network).toMatchObject({ type: 'internal', vlan: null, hostIds: [] });
  });
});
