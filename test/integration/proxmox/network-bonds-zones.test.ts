// Proxmox VE bonds, bridges with ports and SDN zones (issue 16) against the simulator:
// the dialog's choices (each node's free NICs, the zone types with those Polyvisor does
// not make greyed, the bridges every node has); a Linux bond and a VLAN-aware bridge on
// it made and applied, read back from the simulator's running network file; the
// server's refusals (a NIC already in a bond, a primary that is no member) in its own
// words; an SDN zone of each built type made and applied (read back from the running
// SDN config) and in the tree with its type; a zone a vnet uses is not deleted, an
// unused one is; a vnet's subnets listed on its tab, one added and one removed (read back
// from the running SDN config).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderNetworks } from '../../../electron/core/providers/provider-networks';
import type { Provider } from '../../../electron/core/providers/provider';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { hasPendingNetwork, runningInterfaces } from '../../sim/proxmox/node-network';
import { sdnOf } from '../../sim/proxmox/sdn-state';
import { Mirror, providerFor, reporter, SERVER_ID } from './helpers';

describe('Proxmox VE bonds, bridges and SDN zones', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let networks: ProviderNetworks;
  let mirror: Mirror;

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 30 });
    // node3 has three more NICs, unused
    sim.state.interfaces.push({ node: 'node3', iface: 'eno2', type: 'eth' }, { node: 'node3', iface: 'eno3', type: 'eth' }, { node: 'node3', iface: 'eno4', type: 'eth' });
    provider = providerFor(sim);
    mirror = new Mirror(provider);
    await provider.connect();
    networks = provider.networks!;
    await mirror.until(() => mirror.ofKind('network').some((n) => n.nativeRef === 'zone:lab'), 'network nodes');
  }, 60_000);
  afterAll(async () => {
    await provider?.disconnect();
    await sim?.stop();
  });

  it('offers each node’s free NICs for a bond, the zone types (EVPN not made here) and the bridges every node has', async () => {
    const options = await networks.createOptions();
    expect(options.kinds).toEqual(['vlan', 'bond', 'bridge', 'zone', 'sdn']);
    expect(options.bondDevices?.filter((d) => d.host === 'node3').map((d) => d.value)).toEqual(['eno2', 'eno3', 'eno4']);
    // node1's eno2 and eno3 are in bond0, eno1 in vmbr0 on every node
    expect(options.bondDevices?.filter((d) => d.host === 'node1')).toEqual([]);
    expect(options.portDevices?.filter((d) => d.host === 'node1').map((d) => d.value)).toEqual(['bond0', 'vmbr0.20']);
    expect(options.zoneTypes).toEqual([
      { type: 'simple', built: true },
      { type: 'vlan', built: true },
      { type: 'qinq', built: true },
      { type: 'vxlan', built: true },
      { type: 'evpn', built: false },
    ]);
    expect(options.zoneBridges).toEqual(['vmbr0', 'vmbr1']);
    expect(options.bondModes).toContain('802.3ad');
  });

  it('makes an active-backup bond and a VLAN-aware bridge on it, each applied', async () => {
    const bond = await networks.create({ kind: 'bond', name: 'bond1', host: 'node3', members: ['eno2', 'eno3'], mode: 'active-backup', primary: 'eno3' }, reporter());
    expect(bond.resultId).toBe(`${SERVER_ID}:network:node3/bond1`);
    expect(runningInterfaces(sim.state, 'node3').find((i) => i.iface === 'bond1')).toEqual({ node: 'node3', iface: 'bond1', type: 'bond', slaves: 'eno2 eno3', bond_mode: 'active-backup', 'bond-primary': 'eno3' });
    const bridge = await networks.create({ kind: 'bridge', name: 'vmbr7', host: 'node3', ports: ['bond1'], vlanAware: true, cidr: '10.7.0.3/24', description: 'trunk' }, reporter());
    expect(bridge.resultId).toBe(`${SERVER_ID}:network:node3/vmbr7`);
    expect(runningInterfaces(sim.state, 'node3').find((i) => i.iface === 'vmbr7')).toMatchObject({ type: 'bridge', bridge_ports: 'bond1', bridge_vlan_aware: 1, cidr: '10.7.0.3/24', comments: 'trunk' });
    expect(hasPendingNetwork(sim.state, 'node3')).toBe(false);
    await mirror.until(() => !!mirror.get('network', 'node3/vmbr7') && !!mirror.get('network', 'node3/bond1'), 'the bond and the bridge in the tree');
    expect(mirror.get('network', 'node3/bond1')).toMatchObject({ parentId: `${SERVER_ID}:host:node3`, props: { ports: 'eno2 eno3' }, network: { type: 'bond', driver: 'bond active-backup' } });
    expect(mirror.get('network', 'node3/vmbr7')).toMatchObject({ props: { ports: 'bond1' }, network: { type: 'bridge', subnets: ['10.7.0.3/24'] } });
    expect((await networks.details('node3/vmbr7')).interfaces.map((i) => `${i.device}:${i.kind}`)).toEqual(['vmbr7:bridge', 'bond1:bond']);
  });

  it('passes on the server’s refusals: a NIC already in a bond, a primary that is no member', async () => {
    const used = await networks.create({ kind: 'bond', name: 'bond2', host: 'node3', members: ['eno3', 'eno4'], mode: '802.3ad', hashPolicy: 'layer3+4' }, reporter()).then(() => new Error('made'), (e: unknown) => e as Error);
    expect(used.message).toContain("eno3 is already used on interface 'bond1'.");
    const primary = await networks.create({ kind: 'bond', name: 'bond2', host: 'node3', members: ['eno4'], mode: 'active-backup', primary: 'eno2' }, reporter()).then(() => new Error('made'), (e: unknown) => e as Error);
    expect(primary.message).toContain("bond 'bond2' - bond-primary interface is not a slave");
    const notBackup = await networks.create({ kind: 'bond', name: 'bond2', host: 'node3', members: ['eno4'], mode: 'balance-rr', primary: 'eno4' }, reporter()).catch((e: unknown) => e);
    expect(notBackup).toMatchObject({ info: { code: 'INVALID_INPUT', field: 'primary' } });
    expect(hasPendingNetwork(sim.state, 'node3')).toBe(false);
    expect(runningInterfaces(sim.state, 'node3').some((i) => i.iface === 'bond2')).toBe(false);
  });

  it('makes simple, VLAN, QinQ and VXLAN zones, applied and in the tree with their type; EVPN is refused before asking', async () => {
    await networks.create({ kind: 'zone', name: 'plain', zoneType: 'simple' }, reporter());
    await networks.create({ kind: 'zone', name: 'tagged', zoneType: 'vlan', bridge: 'vmbr1' }, reporter());
    await networks.create({ kind: 'zone', name: 'stacked', zoneType: 'qinq', bridge: 'vmbr0', vlan: 100 }, reporter());
    const vxlan = await networks.create({ kind: 'zone', name: 'overlay', zoneType: 'vxlan', peers: ['192.168.1.11', '192.168.1.12'], mtu: 1450 }, reporter());
    expect(vxlan.resultId).toBe(`${SERVER_ID}:network:zone:overlay`);
    const running = sdnOf(sim.state).running.zones;
    expect(running.get('plain')).toMatchObject({ type: 'simple' });
    expect(running.get('tagged')).toMatchObject({ type: 'vlan', bridge: 'vmbr1' });
    expect(running.get('stacked')).toMatchObject({ type: 'qinq', bridge: 'vmbr0', tag: 100 });
    expect(running.get('overlay')).toMatchObject({ type: 'vxlan', peers: '192.168.1.11,192.168.1.12', mtu: 1450 });
    await mirror.until(() => ['plain', 'tagged', 'stacked', 'overlay'].every((z) => mirror.get('network', `zone:${z}`)), 'the zones in the tree');
    expect(mirror.get('network', 'zone:stacked')).toMatchObject({ parentId: `${SERVER_ID}:pool:cluster`, network: { type: 'sdnzone', driver: 'qinq', vlan: 100, bridge: 'vmbr0', forGuests: false } });
    expect(mirror.get('network', 'zone:overlay')).toMatchObject({ props: { zoneType: 'vxlan', peers: '192.168.1.11 192.168.1.12' }, network: { mtu: 1450 } });
    const evpn = await networks.create({ kind: 'zone', name: 'routed', zoneType: 'evpn' }, reporter()).catch((e: unknown) => e);
    expect(evpn).toMatchObject({ info: { code: 'UNSUPPORTED', field: 'zoneType' } });
    expect(sdnOf(sim.state).config.zones.has('routed')).toBe(false);
  });

  it('a new vnet goes in a new zone; a zone a vnet uses is not deleted, an unused one is', async () => {
    expect((await networks.createOptions()).parents.map((p) => p.value)).toContain('tagged');
    await networks.create({ kind: 'sdn', name: 'web', parent: 'tagged', vlan: 41 }, reporter());
    expect(sdnOf(sim.state).running.vnets.get('web')).toMatchObject({ zone: 'tagged', tag: 41 });
    const inUse = await networks.destroy('zone:tagged', reporter()).then(() => new Error('made'), (e: unknown) => e as Error);
    expect(inUse.message).toContain('zone tagged is used by vnet web');
    expect(sdnOf(sim.state).running.zones.has('tagged')).toBe(true);
    await networks.destroy('zone:plain', reporter());
    expect(sdnOf(sim.state).running.zones.has('plain')).toBe(false);
    await mirror.until(() => !mirror.get('network', 'zone:plain'), 'the zone gone from the tree');
  });

  it('lists a vnet’s subnets, adds one with gateway and SNAT and removes one, each applied', async () => {
    expect((await networks.details('vnet:privnet')).subnets).toEqual([{ id: 'isolated-10.50.0.0-24', cidr: '10.50.0.0/24', gateway: '10.50.0.1', snat: false }]);
    await networks.addSubnet!('vnet:privnet', { cidr: '10.51.0.0/24', gateway: '10.51.0.1', snat: true }, reporter());
    expect(sdnOf(sim.state).running.subnets.get('isolated-10.51.0.0-24')).toMatchObject({ vnet: 'privnet', cidr: '10.51.0.0/24', gateway: '10.51.0.1', snat: 1 });
    expect((await networks.details('vnet:privnet')).subnets?.map((s) => s.id)).toEqual(['isolated-10.50.0.0-24', 'isolated-10.51.0.0-24']);
    await networks.removeSubnet!('vnet:privnet', 'isolated-10.50.0.0-24', reporter());
    expect(sdnOf(sim.state).running.subnets.has('isolated-10.50.0.0-24')).toBe(false);
    const missing = await networks.removeSubnet!('vnet:privnet', 'isolated-10.99.0.0-24', reporter()).then(() => new Error('removed'), (e: unknown) => e as Error);
    expect(missing.message).toContain("sdn subnet ID 'isolated-10.99.0.0-24' does not exist");
    const onBridge = await networks.addSubnet!('node3/vmbr7', { cidr: '10.52.0.0/24' }, reporter()).then(() => null, (e: unknown) => e);
    expect(onBridge).toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });
});
