// Making and changing guests through the provider's guests facet against the
// simulator (issue 14): the wizard's options, a new VM and a new container, the
// Properties dialog's read and its edits with PVE's memory rules, pending
// changes and the digest. Every change is checked in the simulator's own state
// or through its API, as another PVE client would see it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import type { Provider, ProviderGuests } from '../../../electron/core/providers/provider';
import { failure, fetchAsRoot, Mirror, providerFor, reporter, SERVER_ID, waitFor } from './helpers';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const DEBIAN_ISO = 'local:iso/debian-12.7.0-amd64-netinst.iso';
const DEBIAN_CT = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

describe('Proxmox guests facet', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let guests: ProviderGuests;
  let mirror: Mirror;

  /** GET through the API as another client, for the server's own view. */
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetchAsRoot(sim, 'GET', path, {});
    expect(res.status).toBe(200);
    return JSON.parse(res.body).data as T;
  };
  const vmidOf = (resultId: string | undefined) => Number(/\/(\d+)$/.exec(resultId ?? '')?.[1]);

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 150 });
    provider = providerFor(sim, {}, { pollIntervalMs: 5000 });
    mirror = new Mirror(provider);
    await provider.connect();
    guests = provider.guests!;
  });
  afterAll(async () => {
    await provider?.disconnect();
    await sim?.stop();
  });

  it('offers templates, container templates, an empty VM, storages with free space, bridges, ISOs and nodes', async () => {
    const options = await guests.createOptions();
    const byId = new Map(options.templates.map((t) => [t.id, t]));
    expect(byId.get('empty:qemu')).toMatchObject({ makes: 'vm', install: ['iso', 'cloud-init'] });
    expect(byId.get('guest:qemu/101')).toMatchObject({ name: 'leap154', makes: 'vm', nodeId: `${SERVER_ID}:template:qemu/101`, vcpus: 4, copiesDisks: true });
    expect(byId.get('guest:lxc/107')).toMatchObject({ makes: 'container', nodeId: `${SERVER_ID}:template:lxc/107` });
    expect(byId.get(`ostemplate:${DEBIAN_CT}`)).toMatchObject({ makes: 'container', install: [] });

    const zfs1 = options.storages.find((s) => s.id === 'node1/local-zfs')!;
    const [own] = await api<Array<{ avail: number; total: number }>>('/nodes/node1/storage?storage=local-zfs');
    expect(zfs1).toMatchObject({ name: 'local-zfs', hostId: `${SERVER_ID}:host:node1`, shared: false, freeBytes: own.avail, capacityBytes: own.total });
    // only storages that take disks; one per node for local storage
    expect(options.storages.map((s) => s.id).sort()).toEqual(['node1/local-zfs', 'node2/local-zfs', 'node3/local-zfs', 'node4/local-zfs']);
    expect(options.networks).toEqual(expect.arrayContaining([{ id: 'vmbr0', name: 'vmbr0', isDefault: true }, { id: 'vmbr1', name: 'vmbr1 (isolated lab network)' }]));
    expect(options.isos.map((i) => i.id)).toContain(DEBIAN_ISO);
    expect(options.hosts.map((h) => h.name).sort()).toEqual(['node1', 'node2', 'node3', 'node4']);
  });

  let vmid = 0;

  it('creates a VM with two disks, a network, an ISO and cloud-init on the chosen node, with progress', async () => {
    const r = reporter();
    sim.tasks.durationMs = 1500; // long enough for the progress polls to see the worker's log grow, however loaded the machine
    const result = await guests.create(
      {
        templateId: 'empty:qemu',
        name: 'web-01',
        vcpus: 2,
        memory: { sizeBytes: 2 * GiB, dynamicMinBytes: 1 * GiB },
        disks: [
          { sizeBytes: 4 * GiB, storageId: 'node1/local-zfs' },
          { sizeBytes: 2 * GiB, storageId: 'node1/local-zfs' },
        ],
        networks: [{ networkId: 'vmbr1' }],
        isoId: DEBIAN_ISO,
        cloudInit: { user: 'admin', password: 'secret', sshKeys: 'ssh-ed25519 AAAAC3 admin@desk', ipConfig: 'ip=10.0.0.5/24,gw=10.0.0.1' },
        hostRef: 'node1',
      },
      r,
    ).finally(() => (sim.tasks.durationMs = 150));
    vmid = vmidOf(result.resultId);
    expect(result.resultId).toBe(`${SERVER_ID}:vm:qemu/${vmid}`);
    expect(r.fractions.at(-1)).toBe(1);
    expect(r.fractions.some((f) => f > 0 && f < 1)).toBe(true);

    const g = sim.state.guest(vmid)!;
    expect(g).toMatchObject({ node: 'node1', name: 'web-01', type: 'qemu', status: 'stopped', maxmem: 2 * GiB, maxcpu: 2, lock: undefined });
    expect(g.config).toMatchObject({
      scsi0: `local-zfs:vm-${vmid}-disk-0,iothread=1,size=4G`,
      scsi1: `local-zfs:vm-${vmid}-disk-1,iothread=1,size=2G`,
      ide2: `${DEBIAN_ISO},media=cdrom`,
      ide0: `local-zfs:vm-${vmid}-cloudinit,media=cdrom`,
      ciuser: 'admin',
      cipassword: '**********',
      sshkeys: encodeURIComponent('ssh-ed25519 AAAAC3 admin@desk'),
      ipconfig0: 'ip=10.0.0.5/24,gw=10.0.0.1',
      balloon: 1024,
      boot: 'order=scsi0;ide2;net0',
    });
    expect(String(g.config.net0)).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr1$/);
    // the storage lists the two new volumes, and counts them as used
    const content = await api<Array<{ volid: string; size: number; vmid?: number }>>(`/nodes/node1/storage/local-zfs/content?vmid=${vmid}`);
    expect(content.map((v) => [v.volid, v.size]).sort()).toEqual([
      [`local-zfs:vm-${vmid}-disk-0`, 4 * GiB],
      [`local-zfs:vm-${vmid}-disk-1`, 2 * GiB],
    ]);
    const created = sim.tasks.tasks.values();
    expect([...created].some((t) => t.type === 'qmcreate' && t.id === String(vmid) && t.exitstatus === 'OK')).toBe(true);
    expect(mirror.get('vm', `qemu/${vmid}`)).toMatchObject({ name: 'web-01', state: 'halted', parentId: `${SERVER_ID}:host:node1` });
  });

  it('creates a container from a template volume', async () => {
    const result = await guests.create(
      { templateId: `ostemplate:${DEBIAN_CT}`, name: 'ct-01', vcpus: 1, memory: { sizeBytes: 256 * MiB }, disks: [{ sizeBytes: 2 * GiB, storageId: 'node2/local-zfs' }], cloudInit: { password: 'secret' }, hostRef: 'node2', start: true },
      reporter(),
    );
    const ctid = vmidOf(result.resultId);
    expect(result.resultId).toBe(`${SERVER_ID}:container:lxc/${ctid}`);
    const ct = sim.state.guest(ctid)!;
    expect(ct).toMatchObject({ type: 'lxc', node: 'node2', name: 'ct-01', maxmem: 256 * MiB, status: 'running' });
    expect(ct.config).toMatchObject({ rootfs: `local-zfs:subvol-${ctid}-disk-0,size=2G`, unprivileged: 1, ostype: 'debian' });
    expect(ct.config).not.toHaveProperty('ostemplate');
    expect(String(ct.config.net0)).toMatch(/^name=eth0,bridge=vmbr0,ip=dhcp,hwaddr=BC:24:11:[0-9A-F:]{8},type=veth$/);
    // the root password is not part of a container's configuration
    expect(JSON.stringify(await api(`/nodes/node2/lxc/${ctid}/config`))).not.toContain('secret');
    await mirror.until(() => mirror.get('container', `lxc/${ctid}`)?.state === 'running', 'the new container running');
  });

  it('creates a VM from a template: a linked clone with the wizard\'s settings, started', async () => {
    const result = await guests.create({ templateId: 'guest:qemu/101', name: 'from-template', vcpus: 2, memory: { sizeBytes: 4 * GiB }, start: true }, reporter());
    const id = vmidOf(result.resultId);
    expect(sim.state.guest(id)).toMatchObject({ name: 'from-template', node: 'node1', maxcpu: 2, maxmem: 4 * GiB, status: 'running', template: false });
    expect(sim.state.guest(id)!.config.scsi0).toBe(`local-lvm:base-101-disk-0/vm-${id}-disk-0,size=64G`);
    // a storage chosen for the disks makes it a full copy there
    const full = vmidOf((await guests.create({ templateId: 'guest:qemu/101', name: 'full-copy', disks: [{ sizeBytes: 64 * GiB, storageId: 'node1/local-zfs' }] }, reporter())).resultId);
    expect(sim.state.guest(full)!.config.scsi0).toBe(`local-zfs:vm-${full}-disk-0,size=64G`);
  });

  it('grows the template\'s disk on the clone (PUT …/resize) and adds one more; a smaller disk is refused before anything is made', async () => {
    const result = await guests.create({ templateId: 'guest:qemu/101', name: 'grown', disks: [{ sizeBytes: 80 * GiB }, { sizeBytes: 2 * GiB, storageId: 'node1/local-zfs' }] }, reporter());
    const id = vmidOf(result.resultId);
    const cfg = await api<Record<string, string>>(`/nodes/node1/qemu/${id}/config`);
    expect(cfg.scsi0).toBe(`local-lvm:base-101-disk-0/vm-${id}-disk-0,size=80G`);
    expect(cfg.scsi1).toBe(`local-zfs:vm-${id}-disk-0,iothread=1,size=2G`);
    expect([...sim.tasks.tasks.values()].some((t) => t.type === 'resize' && t.id === String(id) && t.exitstatus === 'OK')).toBe(true);
    // the template keeps its size
    expect(sim.state.guest(101)!.config.scsi0).toContain('size=64G');

    const guestsBefore = sim.state.guests.size;
    const e = await failure(guests.create({ templateId: 'guest:qemu/101', name: 'shrunk', disks: [{ sizeBytes: 32 * GiB }] }, reporter()));
    expect(e.info).toMatchObject({ code: 'INVALID_INPUT', field: 'disks.0.sizeBytes' });
    expect(e.info.message).toContain('cannot shrink');
    expect(sim.state.guests.size).toBe(guestsBefore);
    expect([...sim.state.guests.values()].some((g) => g.name === 'shrunk')).toBe(false);
    // a container template's further volumes would need mount points the wizard does not ask for
    const ct = await failure(guests.create({ templateId: 'guest:lxc/107', name: 'ct-more', disks: [{ sizeBytes: 8 * GiB }, { sizeBytes: GiB }] }, reporter()));
    expect(ct.info).toMatchObject({ code: 'INVALID_INPUT', field: 'disks.1' });
    expect(sim.state.guests.size).toBe(guestsBefore);
  });

  it('a VM from a template gets the networks chosen: its own interface moved to the bridge (MAC kept), one more added, none beyond', async () => {
    const templateNet = String(sim.state.guest(101)!.config.net0);
    const one = vmidOf((await guests.create({ templateId: 'guest:qemu/101', name: 'on-vmbr1', networks: [{ networkId: 'vmbr1' }] }, reporter())).resultId);
    const cfg = await api<Record<string, string>>(`/nodes/node1/qemu/${one}/config`);
    expect(cfg.net0).toMatch(/^virtio=([0-9A-F]{2}:){5}[0-9A-F]{2},bridge=vmbr1/i);
    expect(Object.keys(cfg).filter((k) => /^net\d+$/.test(k))).toEqual(['net0']);
    const two = vmidOf((await guests.create({ templateId: 'guest:qemu/101', name: 'two-nics', networks: [{ networkId: 'vmbr0' }, { networkId: 'vmbr1' }] }, reporter())).resultId);
    const both = await api<Record<string, string>>(`/nodes/node1/qemu/${two}/config`);
    expect(both.net0).toContain('bridge=vmbr0');
    expect(both.net1).toMatch(/^virtio=([0-9A-F]{2}:){5}[0-9A-F]{2},bridge=vmbr1$/i);
    // the template keeps its own
    expect(String(sim.state.guest(101)!.config.net0)).toBe(templateNet);
  });

  it('the simulator\'s resize adds with +, refuses shrinking in PVE\'s words, and checks its parameters', async () => {
    const put = async (form: Record<string, string>) => fetchAsRoot(sim, 'PUT', '/nodes/node1/qemu/102/resize', form);
    const before = /size=(\w+)/.exec(String(sim.state.guest(102)!.config.scsi0))![1];
    const stopped = async (res: { status: number; body: string }) => {
      expect(res.status).toBe(200);
      const upid = JSON.parse(res.body).data as string;
      await waitFor(() => sim.tasks.tasks.get(upid)?.status === 'stopped', 'the resize task to end');
      return sim.tasks.tasks.get(upid)!.exitstatus;
    };
    expect(await stopped(await put({ disk: 'scsi0', size: '1G' }))).toBe('shrinking disks is not supported');
    expect(/size=(\w+)/.exec(String(sim.state.guest(102)!.config.scsi0))![1]).toBe(before);
    expect(await stopped(await put({ disk: 'scsi0', size: '+1G' }))).toBe('OK');
    expect(await stopped(await put({ disk: 'scsi9', size: '+1G' }))).toBe("disk 'scsi9' does not exist");
    expect((await put({ disk: 'scsi0', size: 'big' })).status).toBe(400);
  });

  it('refuses a container template the node does not have, in PVE\'s words', async () => {
    const e = await failure(guests.create({ templateId: 'ostemplate:local:vztmpl/none.tar.zst', name: 'ct-02', hostRef: 'node1' }, reporter()));
    expect(e.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: '500', message: "volume 'local:vztmpl/none.tar.zst' does not exist" });
  });

  it('reads the properties: memory with its balloon minimum, cores, disks, NICs, CD, boot order and the digest', async () => {
    const props = await guests.properties({ nativeRef: `qemu/${vmid}`, kind: 'vm' });
    const own = await api<Record<string, string>>(`/nodes/node1/qemu/${vmid}/config`);
    expect(props).toMatchObject({
      name: 'web-01',
      vcpus: 2,
      memory: { sizeBytes: 2 * GiB, dynamicMinBytes: 1 * GiB, dynamicMaxBytes: 2 * GiB },
      cd: { isoId: DEBIAN_ISO, isoName: 'debian-12.7.0-amd64-netinst.iso' },
      bootOrder: ['disk', 'cd', 'network'],
      autoStart: false,
      revision: own.digest,
    });
    expect(props.disks.map((d) => [d.device, d.storageName, d.sizeBytes])).toEqual([
      ['scsi0', 'local-zfs', 4 * GiB],
      ['scsi1', 'local-zfs', 2 * GiB],
    ]);
    expect(props.nics).toEqual([expect.objectContaining({ device: 'net0', networkName: 'vmbr1', mac: expect.stringMatching(/^BC:24:11:/) })]);
    expect(props.isos.map((i) => i.id)).toContain(DEBIAN_ISO);
  });

  it('changes cores, memory and the balloon minimum of a stopped VM at once', async () => {
    const result = await guests.configure({ nativeRef: `qemu/${vmid}`, kind: 'vm' }, { vcpus: 4, memory: { sizeBytes: 4 * GiB, dynamicMinBytes: 2 * GiB }, autoStart: true, tags: ['web', 'prod'] }, reporter());
    expect(result.nextBoot).toBeUndefined();
    expect(sim.state.guest(vmid)).toMatchObject({ maxcpu: 4, maxmem: 4 * GiB, tags: 'web;prod' });
    expect(sim.state.guest(vmid)!.config).toMatchObject({ balloon: 2048, onboot: 1 });
    await mirror.until(() => mirror.get('vm', `qemu/${vmid}`)?.props.vcpus === 4, 'four vCPUs in the tree');
  });

  it('switches ballooning off with a minimum of 0, ejects the CD and clears the tags', async () => {
    await guests.configure({ nativeRef: `qemu/${vmid}`, kind: 'vm' }, { memory: { dynamicMinBytes: 0 }, isoId: null, tags: [] }, reporter());
    expect(sim.state.guest(vmid)!.config).toMatchObject({ balloon: 0, ide2: 'none,media=cdrom' });
    // no tags left: PVE's `delete` removes the option
    expect(sim.state.guest(vmid)!.tags).toBeUndefined();
    const props = await guests.properties({ nativeRef: `qemu/${vmid}`, kind: 'vm' });
    expect(props.memory).toEqual({ sizeBytes: 4 * GiB });
    expect(props.cd).toEqual({ isoId: null });
  });

  it('refuses a balloon minimum above the memory with PVE\'s message, changing nothing', async () => {
    const before = sim.state.guest(vmid)!.configVersion;
    const e = await failure(guests.configure({ nativeRef: `qemu/${vmid}`, kind: 'vm' }, { memory: { dynamicMinBytes: 8 * GiB } }, reporter()));
    expect(e.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: '500', message: 'balloon value too large (must be smaller than assigned memory)' });
    expect(sim.state.guest(vmid)!.configVersion).toBe(before);
    expect(sim.state.guest(vmid)!.config.balloon).toBe(0);
  });

  it('refuses an edit made from a stale read: another client changed the guest meanwhile', async () => {
    const read = await guests.properties({ nativeRef: `qemu/${vmid}`, kind: 'vm' });
    const other = await fetchAsRoot(sim, 'PUT', `/nodes/node1/qemu/${vmid}/config`, { description: 'changed elsewhere' });
    expect(other.status).toBe(200);
    const e = await failure(guests.configure({ nativeRef: `qemu/${vmid}`, kind: 'vm' }, { vcpus: 8, revision: read.revision }, reporter()));
    expect(e.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: '500', message: 'detected modified configuration - file changed by other user? Try again.' });
    expect(sim.state.guest(vmid)!.maxcpu).toBe(4);
    expect(sim.state.guest(vmid)!.config.description).toBe('changed elsewhere');
  });

  it('saves memory and cores of a running VM for its next start and says so; the balloon changes at once', async () => {
    const g = sim.state.guest(vmid)!;
    g.config.balloon = 1024;
    await provider.runAction({ nativeRef: `qemu/${vmid}`, kind: 'vm' }, 'start', {}, reporter());
    const result = await guests.configure({ nativeRef: `qemu/${vmid}`, kind: 'vm' }, { vcpus: 2, memory: { sizeBytes: 6 * GiB, dynamicMinBytes: 3 * GiB } }, reporter());
    expect(result.nextBoot?.sort()).toEqual(['memory.size', 'vcpus']);
    expect(g).toMatchObject({ maxmem: 4 * GiB, maxcpu: 4 });
    expect(g.config.balloon).toBe(3072);
    const pending = await api<Array<{ key: string; value?: string; pending?: string }>>(`/nodes/node1/qemu/${vmid}/pending`);
    expect(pending.filter((p) => p.pending !== undefined)).toEqual([
      { key: 'cores', value: '4', pending: '2' },
      { key: 'memory', value: '4096', pending: '6144' },
    ]);
    // the properties show what the VM will have, as PVE's own hardware view does
    expect((await guests.properties({ nativeRef: `qemu/${vmid}`, kind: 'vm' })).memory?.sizeBytes).toBe(6 * GiB);
    await provider.runAction({ nativeRef: `qemu/${vmid}`, kind: 'vm' }, 'reboot', {}, reporter());
    expect(g).toMatchObject({ maxmem: 6 * GiB, maxcpu: 2, pending: undefined });
  });

  it('changes the memory of a running VM at once where memory hot-plug (with NUMA) is on', async () => {
    const g = sim.state.guest(vmid)!;
    Object.assign(g.config, { hotplug: 'network,disk,usb,memory', numa: 1 });
    g.configVersion++;
    const result = await guests.configure({ nativeRef: `qemu/${vmid}`, kind: 'vm' }, { memory: { sizeBytes: 8 * GiB } }, reporter());
    expect(result.nextBoot).toBeUndefined();
    expect(g).toMatchObject({ status: 'running', maxmem: 8 * GiB, pending: undefined });
  });

  it('refuses what a container does not have: a balloon and a CD drive', async () => {
    const ct = { nativeRef: 'lxc/105', kind: 'container' };
    expect((await failure(guests.configure(ct, { memory: { dynamicMinBytes: GiB } }, reporter()))).info).toMatchObject({ code: 'UNSUPPORTED', field: 'memory.dynamicMinBytes' });
    expect((await failure(guests.configure(ct, { isoId: DEBIAN_ISO }, reporter()))).info).toMatchObject({ code: 'UNSUPPORTED', field: 'isoId' });
    // a running container takes its memory and cores at once (cgroup limits)
    const result = await guests.configure(ct, { vcpus: 2, memory: { sizeBytes: GiB } }, reporter());
    expect(result.nextBoot).toBeUndefined();
    expect(sim.state.guest(105)).toMatchObject({ maxcpu: 2, maxmem: GiB, status: 'running' });
  });
});
