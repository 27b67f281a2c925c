// A guest's disks (issue 16) against the Proxmox VE simulator: a new disk (`scsiN:
// <storage>:<GiB>`, a container's `mpN`), grown with PUT …/resize, detached to `unusedN`
// and attached again, detached and removed — each read back from the simulator's own
// config and storage content listings.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../../electron/core/providers/provider';
import type { ProxmoxSimulator } from '../../sim/proxmox';
import { connectedSimulator, fetchAsRoot, Mirror, reporter } from './helpers';

const GiB = 1024 ** 3;

describe('Proxmox VE: a guest’s disks added, grown, detached, attached and removed', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let mirror: Mirror;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ sim, provider, mirror, stop } = await connectedSimulator({ seed: 'migration' }));
    await mirror.until(() => mirror.ofKind('storage').length > 0 && mirror.ofKind('vm').length > 0, 'storage and guests');
  }, 60_000);
  afterAll(async () => stop?.());

  const raw = async <T>(path: string): Promise<T> => {
    const answer = await fetchAsRoot(sim, 'GET', path, {});
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body).data as T;
  };
  const disks = () => provider.storage!.disks!;
  const vm = (state: string) => mirror.ofKind('vm').find((g) => g.state === state && g.props.node === 'pve1')!;
  const configOf = (g: { props: Record<string, unknown> }, type = 'qemu') => raw<Record<string, string>>(`/nodes/${g.props.node}/${type}/${g.props.vmid}/config`);
  const contentOf = (node: string, storage: string) => raw<Array<{ volid: string; size: number; vmid?: number }>>(`/nodes/${node}/storage/${storage}/content`);
  const newKeys = (before: Record<string, string>, after: Record<string, string>) => Object.keys(after).filter((k) => before[k] === undefined && k !== 'digest');
  let added: { key: string; volid: string } | undefined;

  it('adds a new disk to a halted VM: the next scsiN on the storage, listed there with its size', async () => {
    const guest = vm('halted');
    const before = await configOf(guest);
    const task = reporter();
    await disks().add({ nativeRef: guest.nativeRef, kind: 'vm' }, { storageRef: 'pve1/local-lvm', sizeBytes: 3 * GiB, name: 'data' }, task);
    const after = await configOf(guest);
    const [key] = newKeys(before, after);
    expect(key).toMatch(/^scsi\d+$/);
    expect(after[key!]).toMatch(new RegExp(`^local-lvm:vm-${guest.props.vmid}-disk-\\d+,size=3G$`));
    const volid = after[key!]!.split(',')[0]!;
    expect((await contentOf('pve1', 'local-lvm')).find((v) => v.volid === volid)).toMatchObject({ size: 3 * GiB, vmid: Number(guest.props.vmid) });
    expect(task.fractions.at(-1)).toBe(1);
    added = { key: key!, volid };
  });

  it('grows it with PUT …/resize; a smaller size is the server’s own refusal', async () => {
    const guest = vm('halted');
    await disks().resize({ nativeRef: guest.nativeRef, kind: 'vm' }, added!.volid, 5 * GiB, reporter());
    expect((await configOf(guest))[added!.key]).toBe(`${added!.volid},size=5G`);
    await expect(disks().resize({ nativeRef: guest.nativeRef, kind: 'vm' }, added!.volid, 4 * GiB, reporter())).rejects.toMatchObject({ message: expect.stringContaining('shrinking disks is not supported') });
    expect((await configOf(guest))[added!.key]).toBe(`${added!.volid},size=5G`);
  });

  it('detaches it keeping the volume: it becomes unusedN, stays on the storage, and is offered to attach', async () => {
    const guest = vm('halted');
    await disks().detach({ nativeRef: guest.nativeRef, kind: 'vm' }, added!.volid, false, reporter());
    const cfg = await configOf(guest);
    expect(cfg[added!.key]).toBeUndefined();
    const unused = Object.keys(cfg).find((k) => /^unused\d+$/.test(k) && cfg[k] === added!.volid);
    expect(unused).toBeDefined();
    expect((await contentOf('pve1', 'local-lvm')).find((v) => v.volid === added!.volid)).toMatchObject({ size: 5 * GiB });
    const free = await disks().attachable({ nativeRef: guest.nativeRef, kind: 'vm' });
    expect(free).toContainEqual({ id: added!.volid, name: added!.volid.split(':')[1], sizeBytes: 5 * GiB, storageName: 'local-lvm' });
    // an unused disk is detached already
    await expect(disks().detach({ nativeRef: guest.nativeRef, kind: 'vm' }, added!.volid, false, reporter())).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'diskId' } });
  });

  it('attaches the unused volume again: a disk key names it with its size, the unusedN is gone', async () => {
    const guest = vm('halted');
    await disks().attach({ nativeRef: guest.nativeRef, kind: 'vm' }, added!.volid, reporter());
    const cfg = await configOf(guest);
    const key = Object.keys(cfg).find((k) => /^scsi\d+$/.test(k) && cfg[k]!.startsWith(`${added!.volid},`));
    expect(cfg[key!]).toBe(`${added!.volid},size=5G`);
    expect(Object.values(cfg)).not.toContain(added!.volid);
  });

  it('detaches and deletes it: no key, no unusedN, gone from the storage', async () => {
    const guest = vm('halted');
    await disks().detach({ nativeRef: guest.nativeRef, kind: 'vm' }, added!.volid, true, reporter());
    const cfg = await configOf(guest);
    expect(Object.values(cfg).some((v) => String(v).startsWith(added!.volid))).toBe(false);
    expect((await contentOf('pve1', 'local-lvm')).map((v) => v.volid)).not.toContain(added!.volid);
  });

  it('hot-plugs a new disk into a running VM (hotplug has disk): in the config at once, nothing pending', async () => {
    const guest = vm('running');
    const before = await configOf(guest);
    await disks().add({ nativeRef: guest.nativeRef, kind: 'vm' }, { storageRef: 'pve1/local-lvm', sizeBytes: GiB, name: 'hot' }, reporter());
    const current = await raw<Record<string, string>>(`/nodes/pve1/qemu/${guest.props.vmid}/config?current=1`);
    const [key] = newKeys(before, current);
    expect(current[key!]).toMatch(/^local-lvm:vm-\d+-disk-\d+,size=1G$/);
    const pending = await raw<Array<{ key: string; pending?: string }>>(`/nodes/pve1/qemu/${guest.props.vmid}/pending`);
    expect(pending.filter((p) => p.pending !== undefined || (p as { delete?: number }).delete)).toEqual([]);
  });

  it('adds a mount point to a stopped container and grows it with the container’s own PUT …/resize', async () => {
    const ct = mirror.ofKind('container').find((g) => g.state !== 'running')!;
    const node = String(ct.props.node);
    const before = await configOf(ct, 'lxc');
    await disks().add({ nativeRef: ct.nativeRef, kind: 'container' }, { storageRef: `${node}/local-lvm`, sizeBytes: 2 * GiB, name: 'data' }, reporter());
    const after = await configOf(ct, 'lxc');
    const [key] = newKeys(before, after);
    expect(key).toMatch(/^mp\d+$/);
    expect(after[key!]).toMatch(new RegExp(`^local-lvm:vm-${ct.props.vmid}-disk-\\d+,mp=/mnt/${key},size=2G$`));
    const volid = after[key!]!.split(',')[0]!;
    await disks().resize({ nativeRef: ct.nativeRef, kind: 'container' }, volid, 4 * GiB, reporter());
    expect((await configOf(ct, 'lxc'))[key!]).toBe(`${volid},mp=/mnt/${key},size=4G`);
  });

  it('refuses a storage of another node, naming the field, and changes nothing', async () => {
    const guest = vm('halted');
    const before = await configOf(guest);
    await expect(disks().add({ nativeRef: guest.nativeRef, kind: 'vm' }, { storageRef: 'pve2/local-lvm', sizeBytes: GiB, name: 'x' }, reporter())).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'storageId' } });
    expect(await configOf(guest)).toEqual(before);
  });
});
