// Proxmox VE networks (issue 16) against the simulator: each node's bridges, bonds and
// VLANs under it and the SDN vnets under the cluster, as the server's own GET
// /nodes/{node}/network and /cluster/sdn/vnets list them (raw requests, not the
// provider's client); a Linux VLAN and a vnet made and deleted, each applied (read back
// from the simulator's running configuration, nothing left pending); a change left
// pending by someone else marked so; a guest's NICs from its config with the agent's
// addresses, added, moved and removed — each read back from the guest's config.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ProviderNetworks } from '../../../electron/core/providers/provider-networks';
import type { ProxmoxSimulator } from '../../sim/proxmox';
import { guestAgents } from '../../sim/proxmox/agent-routes';
import { hasPendingNetwork, runningInterfaces } from '../../sim/proxmox/node-network';
import { sdnOf } from '../../sim/proxmox/sdn-state';
import { connectedSimulator, fetchAsRoot, Mirror, reporter, SERVER_ID } from './helpers';

const TREE_TYPES = new Set(['bridge', 'bond', 'vlan']);

describe('Proxmox VE networks', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let networks: ProviderNetworks;
  let mirror: Mirror;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ sim, provider, mirror, stop } = await connectedSimulator({ taskDurationMs: 30 }));
    networks = provider.networks!;
    await mirror.until(() => mirror.ofKind('network').some((n) => n.nativeRef === 'vnet:labnet'), 'network nodes');
  }, 60_000);
  afterAll(async () => stop?.());

  const raw = async <T>(method: string, path: string, form: Record<string, string> = {}): Promise<T> => {
    const answer = await fetchAsRoot(sim, method, path, form);
    expect(answer.status, answer.body).toBe(200);
    return JSON.parse(answer.body).data as T;
  };
  const placed = () =>
    mirror
      .ofKind('network')
      .map((n) => `${n.name} ← ${mirror.nodes.get(n.parentId!)!.name}`)
      .sort();

  it('puts each node’s bridges, bonds and VLANs under it and the vnets under the cluster, as the server lists them', async () => {
    const expected: string[] = [];
    for (const node of sim.state.nodes.keys()) {
      const rows = await raw<Array<{ iface: string; type: string }>>('GET', `/nodes/${node}/network`);
      for (const r of rows) if (TREE_TYPES.has(r.type)) expected.push(`${r.iface} ← ${node}`);
    }
    const vnets = await raw<Array<{ vnet: string }>>('GET', '/cluster/sdn/vnets');
    for (const v of vnets) expected.push(`${v.vnet} ← ${sim.state.clusterName}`);
    const zones = await raw<Array<{ zone: string }>>('GET', '/cluster/sdn/zones');
    for (const z of zones) expected.push(`${z.zone} ← ${sim.state.clusterName}`);
    expect(placed()).toEqual(expected.sort());

    expect(mirror.get('network', 'node1/vmbr0.20')!.network).toMatchObject({ type: 'vlan', vlan: 20, bridge: 'vmbr0', subnets: ['10.20.0.11/24'] });
    expect(mirror.get('network', 'node1/bond0')).toMatchObject({ network: { type: 'bond', driver: 'bond active-backup' }, props: { ports: 'eno2 eno3' } });
    expect(mirror.get('network', 'node2/vmbr0')!.network).toMatchObject({ type: 'bridge', bridge: 'vmbr0', hostIds: [`${SERVER_ID}:host:node2`] });
    expect(mirror.get('network', 'vnet:labnet')!.network).toMatchObject({ type: 'sdn', vlan: 30, bridge: 'vmbr0', driver: 'vlan zone lab' });
    expect(mirror.get('network', 'vnet:privnet')!.network).toMatchObject({ type: 'sdn', vlan: null });
  });

  it('shows a bridge’s ports and the guests on it, with the MACs of their configs', async () => {
    const details = await networks.details('node2/vmbr0');
    expect(details.interfaces.map((i) => `${i.device}:${i.kind}`)).toEqual(['vmbr0:bridge', 'eno1:eth']);
    const onNode2 = [...sim.state.guests.values()].filter((g) => g.node === 'node2' && String(g.config.net0 ?? '').includes('bridge=vmbr0'));
    expect(details.attached.map((a) => a.guestName).sort()).toEqual(onNode2.map((g) => g.name).sort());
    const vm100 = details.attached.find((a) => a.guestName === 'server1')!;
    expect(vm100.mac).toBe(/virtio=([^,]+)/.exec(String(sim.state.guest(100)!.config.net0))![1]);
  });

  it('makes a Linux VLAN on a node interface and applies it; deleting it applies that too', async () => {
    const made = await networks.create({ kind: 'vlan', name: 'backup net', device: 'node2/vmbr1', vlan: 42 }, reporter());
    expect(made.resultId).toBe(`${SERVER_ID}:network:node2/vmbr1.42`);
    expect(runningInterfaces(sim.state, 'node2').find((i) => i.iface === 'vmbr1.42')).toMatchObject({ type: 'vlan', comments: 'backup net' });
    expect(hasPendingNetwork(sim.state, 'node2')).toBe(false);
    await mirror.until(() => !!mirror.get('network', 'node2/vmbr1.42'), 'the new VLAN in the tree');
    expect(mirror.get('network', 'node2/vmbr1.42')).toMatchObject({ parentId: `${SERVER_ID}:host:node2`, network: { vlan: 42, bridge: 'vmbr1' } });
    expect(mirror.get('network', 'node2/vmbr1.42')!.props.pending).toBeUndefined();

    await networks.destroy('node2/vmbr1.42', reporter());
    expect(runningInterfaces(sim.state, 'node2').some((i) => i.iface === 'vmbr1.42')).toBe(false);
    await mirror.until(() => !mirror.get('network', 'node2/vmbr1.42'), 'the VLAN gone from the tree');
  });

  it('refuses a VLAN on a missing device with the server’s words', async () => {
    const err = await networks.create({ kind: 'vlan', name: 'x', device: 'node2/eno7', vlan: 5 }, reporter()).catch((e: unknown) => e);
    expect(err).toMatchObject({ info: { code: 'INVALID_INPUT' } });
    expect(String((err as Error).message)).toContain('vlan-raw-device eno7 does not exist');
    expect(hasPendingNetwork(sim.state, 'node2')).toBe(false);
  });

  it('makes an SDN vnet with a subnet in a zone and applies it; the server refuses to delete it while it has the subnet', async () => {
    const made = await networks.create({ kind: 'sdn', name: 'web', parent: 'lab', vlan: 40, subnet: '10.40.0.0/24' }, reporter());
    expect(made.resultId).toBe(`${SERVER_ID}:network:vnet:web`);
    const running = sdnOf(sim.state).running;
    expect(running.vnets.get('web')).toMatchObject({ zone: 'lab', tag: 40 });
    expect([...running.subnets.values()].find((s) => s.vnet === 'web')).toMatchObject({ cidr: '10.40.0.0/24' });
    await mirror.until(() => !!mirror.get('network', 'vnet:web'), 'the vnet in the tree');
    expect(mirror.get('network', 'vnet:web')).toMatchObject({ parentId: `${SERVER_ID}:pool:cluster`, network: { type: 'sdn', vlan: 40 } });

    const refused = await networks.destroy('vnet:web', reporter()).catch((e: unknown) => e);
    expect(String((refused as Error).message)).toContain("Can't delete vnet if subnets exists");
    expect(sdnOf(sim.state).config.vnets.has('web')).toBe(true);

    await networks.create({ kind: 'sdn', name: 'tmpnet', parent: 'isolated' }, reporter());
    expect(sdnOf(sim.state).running.vnets.has('tmpnet')).toBe(true);
    await networks.destroy('vnet:tmpnet', reporter());
    expect(sdnOf(sim.state).running.vnets.has('tmpnet')).toBe(false);
    await mirror.until(() => !mirror.get('network', 'vnet:tmpnet'), 'the vnet gone from the tree');
  });

  it('marks what someone left pending: a node interface not applied, a vnet before Apply', async () => {
    await raw('POST', '/nodes/node3/network', { iface: 'vmbr0.99', type: 'vlan' });
    await raw('POST', '/cluster/sdn/vnets', { vnet: 'later', zone: 'isolated' });
    await mirror.until(() => mirror.get('network', 'node3/vmbr0.99')?.props.pending === 'new' && mirror.get('network', 'vnet:later')?.props.pending === 'new', 'the pending changes marked', 20_000);
    await raw('PUT', '/nodes/node3/network');
    await mirror.until(() => mirror.get('network', 'node3/vmbr0.99')?.props.pending === undefined, 'the applied interface no longer pending', 20_000);
  });

  it('lists a VM’s NICs from its config with the guest agent’s addresses', async () => {
    const mac = /virtio=([^,]+)/.exec(String(sim.state.guest(100)!.config.net0))![1]!;
    guestAgents(sim.state).set(100, {
      osinfo: { id: 'debian' },
      interfaces: [{ name: 'ens18', 'hardware-address': mac.toLowerCase(), 'ip-addresses': [{ 'ip-address': '10.0.0.100', 'ip-address-type': 'ipv4', prefix: 24 }] }],
    });
    const nics = await networks.nics({ nativeRef: 'qemu/100', kind: 'vm' });
    expect(nics).toEqual([
      { id: 'net0', device: 'net0', networkId: `${SERVER_ID}:network:node2/vmbr0`, networkName: 'vmbr0', mac, ips: ['10.0.0.100'], connected: true, model: 'virtio' },
    ]);
    const ct = await networks.nics({ nativeRef: 'lxc/106', kind: 'container' });
    expect(ct[0]).toMatchObject({ id: 'net0', device: 'net0 (eth0)', networkId: `${SERVER_ID}:network:node1/vmbr0`, networkName: 'vmbr0' });
  });

  it('adds a NIC on a vnet, moves it to a bridge and removes it, each read back from the config', async () => {
    const vm = { nativeRef: 'qemu/100', kind: 'vm' };
    await networks.addNic(vm, 'vnet:labnet', reporter());
    expect(String(sim.state.guest(100)!.config.net1 ?? sim.state.guest(100)!.pending?.net1)).toMatch(/^virtio=[0-9A-F:]{17},bridge=labnet$/);
    await networks.moveNic(vm, 'net1', 'node2/vmbr1', reporter());
    const moved = String(sim.state.guest(100)!.config.net1 ?? sim.state.guest(100)!.pending?.net1);
    expect(moved).toMatch(/,bridge=vmbr1$/);
    expect((await networks.nics(vm)).find((n) => n.id === 'net1')).toMatchObject({ networkId: `${SERVER_ID}:network:node2/vmbr1` });

    const wrongNode = await networks.moveNic(vm, 'net1', 'node1/vmbr0', reporter()).catch((e: unknown) => e);
    expect(wrongNode).toMatchObject({ info: { code: 'INVALID_INPUT', message: 'vmbr0 is a bridge of node node1; server1 runs on node2.' } });
    const notBridge = await networks.addNic(vm, 'node1/bond0', reporter()).catch((e: unknown) => e);
    expect(notBridge).toMatchObject({ info: { code: 'INVALID_INPUT' } });

    await networks.removeNic(vm, 'net1', reporter());
    const g = sim.state.guest(100)!;
    expect(g.config.net1 === undefined || (g.pendingDelete ?? []).includes('net1')).toBe(true);
  });
});
