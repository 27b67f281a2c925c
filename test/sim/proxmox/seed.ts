// Cluster contents: the default one is seeded from real recorded responses
// (fixtures/proxmox/pve-recorded-responses.json: GET /cluster/resources,
// /nodes/node1/lxc, …/snapshot, …/config), the generated one is for scale.

import { ClusterState, type SimGuest } from './state';
import { seedSdn } from './sdn-state';

/** What a fresh PVE node has beside its guests: vmbr0 on its NIC, an ISO and container templates on `local`. */
export function seedNodeContent(s: ClusterState, node: string): void {
  const ctime = 1709753281;
  s.interfaces.push(
    { node, iface: 'eno1', type: 'eth' },
    { node, iface: 'vmbr0', type: 'bridge', bridge_ports: 'eno1', cidr: `${s.node(node)?.ip ?? '192.168.1.10'}/24` },
    { node, iface: 'vmbr1', type: 'bridge', bridge_ports: '', comments: 'isolated lab network' },
  );
  s.looseVolumes.push(
    { volid: 'local:iso/debian-12.7.0-amd64-netinst.iso', node, content: 'iso', format: 'iso', size: 661651456, ctime },
    { volid: 'local:iso/ubuntu-24.04.1-live-server-amd64.iso', node, content: 'iso', format: 'iso', size: 2773874688, ctime },
    { volid: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', node, content: 'vztmpl', format: 'tgz', size: 126634458, ctime },
    { volid: 'local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz', node, content: 'vztmpl', format: 'tgz', size: 3330404, ctime },
  );
}

const NOW_S = () => Math.floor(Date.now() / 1000);

export function seedDefaultCluster(): ClusterState {
  const s = new ClusterState();
  s.clusterName = 'pve-cluster';
  const nodes = [
    { name: 'node1', maxcpu: 8, maxmem: 65919459328, mem: 2113265664, maxdisk: 951055941632, disk: 10486546432 },
    { name: 'node2', maxcpu: 12, maxmem: 33567911936, mem: 8127873024, maxdisk: 940166742016, disk: 2797338624 },
    { name: 'node3', maxcpu: 4, maxmem: 16668827648, mem: 1681965056, maxdisk: 482713534464, disk: 2983723008 },
    { name: 'node4', maxcpu: 4, maxmem: 16651702272, mem: 1698938880, maxdisk: 482719825920, disk: 2789867520 },
  ];
  for (const n of nodes) {
    s.addNode(n);
    seedNodeContent(s, n.name);
    s.storage.push(
      { node: n.name, storage: 'local', plugintype: 'dir', content: 'backup,vztmpl,iso', disk: n.disk, maxdisk: n.maxdisk, shared: false },
      { node: n.name, storage: 'local-zfs', plugintype: 'zfspool', content: 'images,rootdir', disk: 98304, maxdisk: 479730032640, shared: false },
      { node: n.name, storage: 'cloud-init', plugintype: 'dir', content: 'snippets', disk: n.disk, maxdisk: n.maxdisk, shared: false },
    );
  }
  const server1 = s.addGuest({
    vmid: 100, type: 'qemu', node: 'node2', name: 'server1', status: 'running', maxcpu: 1, maxmem: 1073741824,
    maxdisk: 34359738368, netin: 2456116121, netout: 545248946, diskread: 4510777856, diskwrite: 6059209728,
    startedAt: Date.now() - 874350_000,
  });
  s.addGuest({ vmid: 101, type: 'qemu', node: 'node1', name: 'leap154', template: true, maxcpu: 4, maxmem: 16777216000, maxdisk: 68719476736 });
  s.addGuest({ vmid: 102, type: 'qemu', node: 'node1', name: 'machine-test', maxcpu: 4, maxmem: 8388608000, maxdisk: 53901000704, tags: 'go-proxmox;cloud-init' });
  s.addGuest({ vmid: 200, type: 'qemu', node: 'node1', name: 'VM 200', maxcpu: 4, maxmem: 8388608000, maxdisk: 53901000704 });
  s.addGuest({
    vmid: 105, type: 'lxc', node: 'node1', name: 'zort', status: 'running', maxmem: 536870912, maxdisk: 8350298112, disk: 639303680,
    netin: 94560801, netout: 1619838, diskread: 283123712, diskwrite: 201687040, startedAt: Date.now() - 919761_000,
  });
  const test = s.addGuest({
    vmid: 106, type: 'lxc', node: 'node1', name: 'test', status: 'running', maxmem: 536870912, maxdisk: 8350298112, disk: 640397312,
    netin: 94558593, netout: 1618542, diskread: 273694720, diskwrite: 200982528, startedAt: Date.now() - 919760_000, tags: 'tag1;tag2',
  });
  s.addGuest({ vmid: 107, type: 'lxc', node: 'node3', name: 'test-container', template: true, maxcpu: 2, maxmem: 536870912, maxdisk: 8589934592 });

  addSnapshot(s, server1, 'snap1', 'Before upgrade', 1693252591, true);
  addSnapshot(s, server1, 'snap2', 'After upgrade', 1693252600, false);
  addSnapshot(s, test, 'snapshot1', 'description1', 1709753281, false);
  // node1 also has a bond of two more NICs and a VLAN for storage traffic; the cluster has SDN zones and vnets
  s.interfaces.push(
    { node: 'node1', iface: 'eno2', type: 'eth' },
    { node: 'node1', iface: 'eno3', type: 'eth' },
    { node: 'node1', iface: 'bond0', type: 'bond', slaves: 'eno2 eno3', bond_mode: 'active-backup' },
    { node: 'node1', iface: 'vmbr0.20', type: 'vlan', cidr: '10.20.0.11/24', comments: 'storage VLAN' },
  );
  seedSdn(s);
  return s;
}

/** Appends a snapshot as the new head of the guest's snapshot chain. */
export function addSnapshot(s: ClusterState, g: SimGuest, name: string, description: string, snaptime = NOW_S(), withRam = false): void {
  const config = { ...s.guestConfig(g), description, snaptime } as Record<string, string | number>;
  delete config.digest;
  delete config.lock;
  const snap = { name, description, snaptime, parent: g.parent, config, vmstate: undefined as string | undefined };
  if (withRam && g.type === 'qemu') {
    snap.vmstate = `local-lvm:vm-${g.vmid}-state-${name}`;
    config.vmstate = snap.vmstate;
    config.runningmachine = 'pc-i440fx-8.1+pve0';
  }
  if (g.parent) config.parent = g.parent;
  else delete config.parent;
  g.snapshots.set(name, snap);
  g.parent = name;
  g.configVersion++;
}

export interface GenerateSpec {
  nodes: number;
  vms: number;
  cts: number;
}

/** A deterministic cluster of the given size (nodes node1…nodeN, guests spread round-robin). */
export function generateCluster(spec: GenerateSpec): ClusterState {
  const s = new ClusterState();
  s.clusterName = spec.nodes > 1 ? 'pve-cluster' : null;
  let seed = 0x2545f491;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x100000000;
  };
  for (let i = 1; i <= spec.nodes; i++) {
    s.addNode({ name: spec.nodes > 1 ? `node${i}` : 'pve', maxcpu: 32, maxmem: 274877906944, mem: 68719476736 });
    const node = spec.nodes > 1 ? `node${i}` : 'pve';
    seedNodeContent(s, node);
    s.storage.push(
      { node, storage: 'local', plugintype: 'dir', content: 'backup,vztmpl,iso', disk: 10486546432, maxdisk: 951055941632, shared: false },
      { node, storage: 'local-lvm', plugintype: 'lvmthin', content: 'images,rootdir', disk: 98304, maxdisk: 479730032640, shared: false },
    );
  }
  const nodeNames = [...s.nodes.keys()];
  const total = spec.vms + spec.cts;
  for (let i = 0; i < total; i++) {
    const type = i < spec.vms ? 'qemu' : 'lxc';
    const vmid = 100 + i;
    const template = i % 50 === 49;
    const running = !template && rand() < 0.6;
    const g = s.addGuest({
      vmid,
      type,
      node: nodeNames[i % nodeNames.length],
      name: `${type === 'qemu' ? 'vm' : 'ct'}-${String(vmid).padStart(5, '0')}`,
      status: running ? 'running' : 'stopped',
      template,
      maxcpu: 1 + Math.floor(rand() * 8),
      maxmem: (1 + Math.floor(rand() * 16)) * 1073741824,
      maxdisk: (8 + Math.floor(rand() * 120)) * 1073741824,
      disk: type === 'lxc' ? Math.floor(rand() * 4e9) : 0,
      tags: i % 7 === 0 ? 'prod;web' : undefined,
      startedAt: running ? Date.now() - Math.floor(rand() * 1e9) : undefined,
    });
    if (i % 10 === 0 && !template) {
      addSnapshot(s, g, 'base', 'base install', 1700000000 + i);
      addSnapshot(s, g, 'updated', 'after updates', 1700100000 + i, running && type === 'qemu');
    }
  }
  return s;
}
