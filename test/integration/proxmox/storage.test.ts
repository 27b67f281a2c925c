// Proxmox VE storage in the tree (issue 16) against the simulator: a local storage is a
// node under its host, a shared one (ceph) one node under the cluster attached to every
// node; sizes as the server's own GET /nodes/{node}/storage answers them (a raw request,
// not the provider's client); a storage's content with the guest each disk belongs to,
// as …/storage/{storage}/content lists it; a new disk shows in the used space.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ProxmoxSimulator } from '../../sim/proxmox';
import { connectedSimulator, fetchAsRoot, Mirror, reporter } from './helpers';

interface NodeStorageRow {
  storage: string;
  type: string;
  shared: number;
  total: number;
  used: number;
  avail: number;
}

describe('Proxmox VE storage', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let mirror: Mirror;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ sim, provider, mirror, stop } = await connectedSimulator({ seed: 'migration' }));
    await mirror.until(() => mirror.ofKind('storage').length > 0, 'storage nodes');
  }, 60_000);
  afterAll(async () => stop?.());

  const raw = async <T>(path: string): Promise<T> => {
    const answer = await fetchAsRoot(sim, 'GET', path, {});
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body).data as T;
  };

  it('puts each node’s local storages under it and the shared one once under the cluster', () => {
    const placed = mirror
      .ofKind('storage')
      .map((n) => `${n.name} ← ${mirror.nodes.get(n.parentId!)!.name}`)
      .sort();
    expect(placed).toEqual([
      'ceph-pool ← pve-migrate',
      'fast-ssd ← pve2',
      'local ← pve1',
      'local ← pve2',
      'local ← pve3',
      'local-lvm ← pve1',
      'local-lvm ← pve2',
      'local-lvm ← pve3',
    ]);
    const ceph = mirror.get('storage', 'ceph-pool')!;
    expect(ceph.storage).toMatchObject({ type: 'rbd', shared: true });
    expect(ceph.storage!.hostIds.map((id) => mirror.nodes.get(id)!.name)).toEqual(['pve1', 'pve2', 'pve3']);
  });

  it('has the sizes the server reports per node', async () => {
    for (const node of ['pve1', 'pve2', 'pve3']) {
      const rows = await raw<NodeStorageRow[]>(`/nodes/${node}/storage`);
      for (const row of rows) {
        const n = mirror.get('storage', row.shared ? row.storage : `${node}/${row.storage}`)!;
        expect(n.storage).toMatchObject({ type: row.type, shared: row.shared === 1, size: row.total, used: row.used, free: row.avail });
      }
    }
  });

  it('lists a storage’s volumes with the guest each belongs to, as the content listing has them', async () => {
    const listed = await raw<Array<{ volid: string; size: number; vmid?: number }>>('/nodes/pve1/storage/ceph-pool/content');
    expect(listed.length).toBeGreaterThan(0);
    const disks = await provider.storage!.contents('ceph-pool');
    expect(disks.map((d) => d.ref).sort()).toEqual(listed.map((v) => v.volid).sort());
    for (const v of listed) {
      const disk = disks.find((d) => d.ref === v.volid)!;
      expect(disk.size).toBe(v.size);
      const guest = [...mirror.nodes.values()].find((n) => n.props.vmid === v.vmid);
      expect(disk.usedBy).toEqual(guest ? [{ id: guest.id, name: guest.name }] : []);
    }
  });

  it('follows the used space when a disk is added', async () => {
    const before = mirror.get('storage', 'pve1/local-lvm')!.storage!.used!;
    const guest = mirror.ofKind('vm').find((g) => g.props.node === 'pve1' && g.state === 'halted')!;
    const vmid = String(guest.props.vmid);
    const answer = await fetchAsRoot(sim, 'PUT', `/nodes/pve1/qemu/${vmid}/config`, { scsi5: 'local-lvm:2' });
    expect(answer.status).toBe(200);
    await mirror.until(() => mirror.get('storage', 'pve1/local-lvm')!.storage!.used === before + 2 * 1024 ** 3, 'the new disk counted');
    const rows = await raw<NodeStorageRow[]>('/nodes/pve1/storage');
    expect(rows.find((r) => r.storage === 'local-lvm')!.used).toBe(before + 2 * 1024 ** 3);
  });

  it('moves a VM’s disk to another storage with move_disk; its configuration names the new volume', async () => {
    const guest = mirror.ofKind('vm').find((g) => g.name === 'web-01')!;
    const node = String(guest.props.node);
    const path = `/nodes/${node}/qemu/${guest.props.vmid}/config`;
    const before = await raw<Record<string, string>>(path);
    expect(before.scsi0).toMatch(/^ceph-pool:/);
    const props = await provider.guests!.properties({ nativeRef: guest.nativeRef, kind: 'vm' });
    const disk = props.disks.find((d) => d.device === 'scsi0')!;
    await provider.storage!.moveDisk!({ nativeRef: guest.nativeRef, kind: 'vm' }, disk.id, `${node}/local-lvm`, reporter());
    const after = await raw<Record<string, string>>(path);
    expect(after.scsi0).toMatch(/^local-lvm:vm-\d+-disk-\d+,/);
    expect(Object.keys(after).filter((k) => k.startsWith('unused'))).toEqual([]);
    const content = await raw<Array<{ volid: string }>>(`/nodes/${node}/storage/local-lvm/content`);
    expect(content.map((v) => v.volid)).toContain(after.scsi0!.split(',')[0]);
  });

  it('refuses a storage local to another node, naming the field', async () => {
    const guest = mirror.ofKind('vm').find((g) => g.name === 'web-02')!;
    const other = ['pve1', 'pve2', 'pve3'].find((n) => n !== guest.props.node)!;
    const props = await provider.guests!.properties({ nativeRef: guest.nativeRef, kind: 'vm' });
    await expect(provider.storage!.moveDisk!({ nativeRef: guest.nativeRef, kind: 'vm' }, props.disks[0]!.id, `${other}/local-lvm`, reporter())).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'storageId' } });
  });
});
