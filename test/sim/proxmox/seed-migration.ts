// A cluster for moving guests: three nodes sharing a Ceph pool, each with its own
// local-lvm, and a fast-ssd pool only pve2 has. pve1 holds five guests that can
// all move (live, offline, restart-migration); pve2 holds the ones PVE refuses or
// fails somewhere: a local disk while running, a passed-through PCI device, a disk
// on storage only pve2 has, and one too big for pve3's memory. pve3 wakes on LAN.

import { ClusterState } from './state';
import { seedNodeContent } from './seed';

const GiB = 1024 ** 3;

export function seedMigrationCluster(): ClusterState {
  const s = new ClusterState();
  s.clusterName = 'pve-migrate';
  s.addNode({ name: 'pve1', maxcpu: 16, maxmem: 64 * GiB, mem: 3 * GiB });
  s.addNode({ name: 'pve2', maxcpu: 16, maxmem: 64 * GiB, mem: 3 * GiB });
  s.addNode({ name: 'pve3', maxcpu: 8, maxmem: 8 * GiB, mem: 1.5 * GiB, wakeonlan: 'mac=BC:24:11:0A:00:03' });
  for (const node of s.nodes.keys()) {
    seedNodeContent(s, node);
    s.storage.push(
      { node, storage: 'local', plugintype: 'dir', content: 'iso,vztmpl,backup', disk: 8 * GiB, maxdisk: 100 * GiB, shared: false },
      { node, storage: 'local-lvm', plugintype: 'lvmthin', content: 'images,rootdir', disk: 40 * GiB, maxdisk: 800 * GiB, shared: false },
      { node, storage: 'ceph-pool', plugintype: 'rbd', content: 'images,rootdir', disk: 300 * GiB, maxdisk: 4096 * GiB, shared: true },
    );
  }
  s.storage.push({ node: 'pve2', storage: 'fast-ssd', plugintype: 'zfspool', content: 'images,rootdir', disk: 10 * GiB, maxdisk: 900 * GiB, shared: false });

  const vm = (vmid: number, node: string, name: string, running: boolean, memGiB: number, disk: string, extra: Record<string, string> = {}) => {
    const g = s.addGuest({ vmid, type: 'qemu', node, name, status: running ? 'running' : 'stopped', maxmem: memGiB * GiB, maxcpu: 2, maxdisk: 32 * GiB });
    g.config.scsi0 = `${disk}:vm-${vmid}-disk-0,size=32G`;
    g.config.onboot = 1;
    Object.assign(g.config, extra);
  };
  const ct = (vmid: number, node: string, name: string, running: boolean, disk: string) => {
    const g = s.addGuest({ vmid, type: 'lxc', node, name, status: running ? 'running' : 'stopped', maxmem: 512 * 1024 ** 2, maxdisk: 8 * GiB, disk: GiB });
    g.config.rootfs = `${disk}:vm-${vmid}-disk-0,size=8G`;
    g.config.onboot = 1;
  };

  vm(110, 'pve1', 'web-01', true, 2, 'ceph-pool');
  vm(111, 'pve1', 'web-02', true, 2, 'ceph-pool');
  vm(115, 'pve1', 'build-01', false, 4, 'local-lvm');
  ct(120, 'pve1', 'proxy', true, 'ceph-pool');
  ct(121, 'pve1', 'cache', false, 'local-lvm');

  vm(112, 'pve2', 'db-01', true, 4, 'local-lvm');
  vm(113, 'pve2', 'gpu-01', false, 4, 'ceph-pool', { hostpci0: '0000:01:00.0,pcie=1' });
  vm(114, 'pve2', 'analytics', false, 4, 'fast-ssd');
  vm(116, 'pve2', 'big-mem', true, 12, 'ceph-pool');

  ct(130, 'pve3', 'monitor', true, 'ceph-pool');
  return s;
}
