// `polyvisor network …` and `polyvisor nic …` as real processes against the Proxmox
// simulator (issue 16): bridges, bonds, VLANs and vnets listed where the tree puts them,
// a Linux VLAN and an SDN vnet made and deleted (read back from the simulator's running
// network file and SDN config: applied, nothing pending), a Linux bond and a bridge on it
// made on a node, an SDN zone made and deleted and a vnet in it, a VM's NIC added on a
// vnet, moved to a bridge and removed (read back from its config); a vnet's subnet added
// and one removed (read back from the running SDN config).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox';
import { editPending, hasPendingNetwork, revertPending, runningInterfaces } from '../sim/proxmox/node-network';
import { sdnOf } from '../sim/proxmox/sdn-state';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: ProxmoxSimulator;

const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);
const net1 = () => String(sim.state.guest(100)!.config.net1 ?? sim.state.guest(100)!.pending?.net1 ?? '');

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-networks-pve'), startProxmoxSimulator({ taskDurationMs: 40 })]);
  // node2 has two more NICs, unused
  sim.state.interfaces.push({ node: 'node2', iface: 'eno2', type: 'eth' }, { node: 'node2', iface: 'eno3', type: 'eth' });
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor network and nic against the Proxmox simulator', { timeout: 120_000 }, () => {
  it('adds the cluster', async () => {
    await ok(['server', 'add', '--type', 'proxmox', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'pve', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('lists each node’s bridges, bonds and VLANs and the cluster’s vnets where the tree puts them', async () => {
    const listed = JSON.parse((await ok(['network', 'list', '--server', 'pve', '--json'])).stdout) as Array<{ name: string; place: string; type: string; vlan: number | null }>;
    const expected = [
      ...sim.state.interfaces.filter((i) => ['bridge', 'bond', 'vlan'].includes(i.type)).map((i) => `${i.iface} pve/pve-cluster/${i.node} ${i.type}`),
      ...[...sdnOf(sim.state).running.vnets.keys()].map((v) => `${v} pve/pve-cluster sdn`),
      ...[...sdnOf(sim.state).running.zones.keys()].map((z) => `${z} pve/pve-cluster sdnzone`),
    ];
    expect(listed.map((n) => `${n.name} ${n.place} ${n.type}`).sort()).toEqual(expected.sort());
    expect(listed.find((n) => n.name === 'labnet')?.vlan).toBe(30);
  });

  it('marks a VLAN made in the node’s pending network file (not applied) as pending', async () => {
    editPending(sim.state, 'node3', (ifaces) => [...ifaces, { node: 'node3', iface: 'vmbr0.99', type: 'vlan' }]);
    const listed = JSON.parse((await ok(['network', 'list', '--server', 'pve', '--json'])).stdout) as Array<{ name: string; place: string; pending?: string }>;
    expect(listed.find((n) => n.name === 'vmbr0.99')).toMatchObject({ place: 'pve/pve-cluster/node3', pending: 'new' });
    expect(listed.find((n) => n.name === 'vmbr0' && n.place.endsWith('/node3'))?.pending).toBeUndefined();
    expect((await ok(['network', 'list', '--server', 'pve'])).stdout).toContain('vmbr0.99 (pending: new)');
    revertPending(sim.state, 'node3');
  });

  it('makes a Linux VLAN on a node’s bridge and applies it, then deletes it', async () => {
    const made = (await ok(['network', 'create', '--server', 'pve', '--name', 'backup', '--kind', 'vlan', '--vlan', '42', '--device', 'node2/vmbr1'])).stdout.trim();
    expect(made).toMatch(/:network:node2\/vmbr1\.42$/);
    expect(runningInterfaces(sim.state, 'node2').find((i) => i.iface === 'vmbr1.42')).toMatchObject({ type: 'vlan', comments: 'backup' });
    expect(hasPendingNetwork(sim.state, 'node2')).toBe(false);
    await ok(['network', 'delete', made]);
    expect(runningInterfaces(sim.state, 'node2').some((i) => i.iface === 'vmbr1.42')).toBe(false);
  });

  it('makes an SDN vnet in a zone and applies it, then deletes it', async () => {
    const made = (await ok(['network', 'create', '--server', 'pve', '--name', 'clinet', '--kind', 'sdn', '--parent', 'lab', '--vlan', '44'])).stdout.trim();
    expect(made).toMatch(/:network:vnet:clinet$/);
    expect(sdnOf(sim.state).running.vnets.get('clinet')).toMatchObject({ zone: 'lab', tag: 44 });
    await ok(['network', 'delete', made]);
    expect(sdnOf(sim.state).running.vnets.has('clinet')).toBe(false);
  });

  it('makes an 802.3ad bond of two NICs on a node and a VLAN-aware bridge on it, each applied', async () => {
    const bond = (await ok(['network', 'create', '--server', 'pve', '--name', 'bond1', '--type', 'bond', '--host', 'node2', '--slaves', 'eno2,eno3', '--bond-mode', '802.3ad', '--hash-policy', 'layer3+4'])).stdout.trim();
    expect(bond).toMatch(/:network:node2\/bond1$/);
    expect(runningInterfaces(sim.state, 'node2').find((i) => i.iface === 'bond1')).toMatchObject({ type: 'bond', slaves: 'eno2 eno3', bond_mode: '802.3ad', bond_xmit_hash_policy: 'layer3+4' });
    const bridge = (await ok(['network', 'create', '--server', 'pve', '--name', 'vmbr8', '--type', 'bridge', '--host', 'node2', '--ports', 'bond1', '--vlan-aware', '--cidr', '10.8.0.2/24'])).stdout.trim();
    expect(bridge).toMatch(/:network:node2\/vmbr8$/);
    expect(runningInterfaces(sim.state, 'node2').find((i) => i.iface === 'vmbr8')).toMatchObject({ bridge_ports: 'bond1', bridge_vlan_aware: 1, cidr: '10.8.0.2/24' });
    expect(hasPendingNetwork(sim.state, 'node2')).toBe(false);
    const refused = await profile.run(['network', 'create', '--server', 'pve', '--name', 'bond2', '--type', 'bond', '--host', 'node2', '--slaves', 'eno3', '--bond-mode', 'active-backup']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("eno3 is already used on interface 'bond1'.");
    await ok(['network', 'delete', bridge]);
    expect(runningInterfaces(sim.state, 'node2').some((i) => i.iface === 'vmbr8')).toBe(false);
  });

  it('makes a VXLAN zone and a vnet in it; the zone is not deleted while the vnet uses it', async () => {
    const zone = (await ok(['network', 'create', '--server', 'pve', '--name', 'overlay', '--type', 'zone', '--zone-type', 'vxlan', '--peers', '192.168.1.11,192.168.1.12'])).stdout.trim();
    expect(zone).toMatch(/:network:zone:overlay$/);
    expect(sdnOf(sim.state).running.zones.get('overlay')).toMatchObject({ type: 'vxlan', peers: '192.168.1.11,192.168.1.12' });
    const vnet = (await ok(['network', 'create', '--server', 'pve', '--name', 'ovnet', '--kind', 'sdn', '--parent', 'overlay'])).stdout.trim();
    const refused = await profile.run(['network', 'delete', zone]);
    expect(refused.stderr).toContain('zone overlay is used by vnet ovnet');
    await ok(['network', 'delete', vnet]);
    await ok(['network', 'delete', zone]);
    expect(sdnOf(sim.state).running.zones.has('overlay')).toBe(false);
  });

  it('adds a subnet to a vnet and removes one by its CIDR, each applied; network show lists them', async () => {
    await ok(['network', 'subnet', 'add', 'privnet', '--subnet', '10.61.0.0/24', '--gateway', '10.61.0.1', '--snat']);
    expect(sdnOf(sim.state).running.subnets.get('isolated-10.61.0.0-24')).toMatchObject({ vnet: 'privnet', gateway: '10.61.0.1', snat: 1 });
    const shown = (await ok(['network', 'show', 'privnet'])).stdout;
    expect(shown).toMatch(/10\.61\.0\.0\/24\s+isolated-10\.61\.0\.0-24\s+10\.61\.0\.1\s+yes/);
    await ok(['network', 'subnet', 'remove', 'privnet', '10.50.0.0/24']);
    expect(sdnOf(sim.state).running.subnets.has('isolated-10.50.0.0-24')).toBe(false);
    const missing = await profile.run(['network', 'subnet', 'remove', 'privnet', '10.99.0.0/24']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('privnet has no subnet 10.99.0.0/24 (it has: 10.61.0.0/24)');
  });

  it('adds a NIC on a vnet to a VM, moves it to a bridge of its node and removes it', async () => {
    await ok(['nic', 'add', 'server1', '--network', 'labnet']);
    expect(net1()).toMatch(/^virtio=[0-9A-F:]{17},bridge=labnet$/);
    const listed = JSON.parse((await ok(['nic', 'list', 'server1', '--json'])).stdout) as Array<{ id: string; networkName: string }>;
    expect(listed.map((n) => [n.id, n.networkName])).toEqual([
      ['net0', 'vmbr0'],
      ['net1', 'labnet'],
    ]);
    const vmbr1 = (JSON.parse((await ok(['network', 'list', '--server', 'pve', '--json'])).stdout) as Array<{ id: string; name: string; place: string }>).find((n) => n.name === 'vmbr1' && n.place.endsWith('/node2'))!;
    await ok(['nic', 'set-network', 'server1', 'net1', '--network', vmbr1.id]);
    expect(net1()).toMatch(/,bridge=vmbr1$/);
    await ok(['nic', 'remove', 'server1', 'net1']);
    const g = sim.state.guest(100)!;
    expect(g.config.net1 === undefined || (g.pendingDelete ?? []).includes('net1')).toBe(true);
  });
});
