// Cloning, converting and deleting Proxmox VE guests through the provider's
// actions against the simulator (issue 14), and PVE's own parameter checks on
// the new routes. Each outcome is read back from the simulator's state or API.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSnapshot, startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import type { Provider } from '../../../electron/core/providers/provider';
import { proxmoxDescriptor } from '../../../electron/core/providers/proxmox/descriptor';
import type { ActionName } from '../../../shared/model';
import type { ActionParams } from '../../../shared/contract';
import { failure, fetchAsRoot, Mirror, providerFor, reporter, SERVER_ID, waitFor } from './helpers';

const GiB = 1024 ** 3;
const NOT_IN_SCHEMA = 'property is not defined in schema and the schema does not allow additional properties';

describe('Proxmox guest lifecycle', () => {
  let sim: ProxmoxSimulator;
  let provider: Provider;
  let mirror: Mirror;

  const run = (ref: string, kind: string, action: ActionName, params: ActionParams = {}) => provider.runAction({ nativeRef: ref, kind }, action, params, reporter());
  const vmidOf = (resultId: string | undefined) => Number(/\/(\d+)$/.exec(resultId ?? '')?.[1]);
  const newVm = async (name: string, node: string, disks: number[]) => {
    const result = await provider.guests!.create({ templateId: 'empty:qemu', name, disks: disks.map((size) => ({ sizeBytes: size * GiB, storageId: `${node}/local-zfs` })), hostRef: node }, reporter());
    return vmidOf(result.resultId);
  };

  beforeAll(async () => {
    sim = await startProxmoxSimulator({ taskDurationMs: 120 });
    provider = providerFor(sim, {}, { pollIntervalMs: 5000 });
    mirror = new Mirror(provider);
    await provider.connect();
  });
  afterAll(async () => {
    await provider?.disconnect();
    await sim?.stop();
  });

  it('offers clone and delete on templates, convert on stopped guests without snapshots', () => {
    expect(mirror.get('template', 'qemu/101')!.allowed).toEqual(['clone', 'destroy']);
    expect(mirror.get('vm', 'qemu/102')!.allowed).toEqual(expect.arrayContaining(['clone', 'to_template', 'destroy']));
    // running: a VM clones online, is neither converted nor deleted; a running container does neither
    expect(mirror.get('vm', 'qemu/100')!.allowed).toContain('clone');
    expect(mirror.get('vm', 'qemu/100')!.allowed).not.toContain('destroy');
    expect(mirror.get('container', 'lxc/105')!.allowed).not.toContain('clone');
    expect(proxmoxDescriptor.facets.guests).toMatchObject({ clone: ['fast', 'full'], toTemplate: true, fromTemplate: false, keepDisks: false });
  });

  it('clones a template linked by default (its disk the base of the new one) and in full when asked', async () => {
    const linked = vmidOf((await run('qemu/101', 'template', 'clone', { name: 'linked-01' })).resultId);
    expect(sim.state.guest(linked)).toMatchObject({ name: 'linked-01', template: false, node: 'node1', lock: undefined });
    expect(sim.state.guest(linked)!.config.scsi0).toBe(`local-lvm:base-101-disk-0/vm-${linked}-disk-0,size=64G`);
    const full = vmidOf((await run('qemu/101', 'template', 'clone', { name: 'full-01', full: true })).resultId);
    expect(sim.state.guest(full)!.config.scsi0).toBe(`local-lvm:vm-${full}-disk-0,size=64G`);
    const log = [...sim.tasks.tasks.values()].filter((t) => t.type === 'qmclone').flatMap((t) => t.log);
    expect(log).toEqual(expect.arrayContaining(['create linked clone of drive scsi0 (local-lvm:base-101-disk-0)', 'create full clone of drive scsi0 (local-lvm:base-101-disk-0)']));
    expect(mirror.get('vm', `qemu/${linked}`)).toMatchObject({ name: 'linked-01', parentId: `${SERVER_ID}:host:node1` });
    // a container template clones linked too
    const ct = vmidOf((await run('lxc/107', 'template', 'clone', { name: 'ct-linked' })).resultId);
    expect(sim.state.guest(ct)!.config.rootfs).toBe(`local-lvm:base-107-disk-0/vm-${ct}-disk-0,size=8G`);
  });

  it('refuses a linked clone of a VM that is not a template, in PVE\'s words', async () => {
    const count = sim.state.guests.size;
    const e = await failure(run('qemu/102', 'vm', 'clone', { full: false }));
    expect(e.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: '500', message: "linked clone feature is not supported for drive 'scsi0'" });
    expect(sim.state.guests.size).toBe(count);
  });

  it('locks while it copies: the copy is locked (clone), the source\'s configuration file cannot be written', async () => {
    sim.tasks.durationMs = 2000;
    const cloning = run('qemu/102', 'vm', 'clone', { name: 'copy-of-102' }).finally(() => (sim.tasks.durationMs = 120));
    const copy = await waitFor(() => [...sim.state.guests.values()].find((g) => g.name === 'copy-of-102' && g.lock === 'clone'), 'the copy under lock clone');
    const e = await failure(provider.guests!.configure({ nativeRef: 'qemu/102', kind: 'vm' }, { description: 'during the clone' }, reporter()));
    expect(e.info.message).toBe("can't lock file '/var/lock/qemu-server/lock-102.conf' - got timeout");
    const removal = await fetchAsRoot(sim, 'DELETE', `/nodes/node1/qemu/${copy.vmid}`, {});
    expect(removal.status).toBe(500);
    // PVE's message as it dies with it, newline included
    expect(JSON.parse(removal.body).message).toBe('VM is locked (clone)\n');
    await cloning;
    expect(sim.state.guest(copy.vmid)!.lock).toBeUndefined();
    expect(sim.state.guest(102)!.config.description).toBeUndefined();
  });

  it('converts a stopped VM into a template; PVE cannot turn it back', async () => {
    const vmid = await newVm('to-template', 'node3', [2]);
    await run(`qemu/${vmid}`, 'vm', 'to_template');
    expect(sim.state.guest(vmid)).toMatchObject({ template: true });
    expect(sim.state.guest(vmid)!.config.scsi0).toBe(`local-zfs:base-${vmid}-disk-0,iothread=1,size=2G`);
    await mirror.until(() => mirror.get('template', `qemu/${vmid}`) !== undefined, 'the template in the tree');
    const e = await failure(run(`qemu/${vmid}`, 'template', 'to_vm'));
    expect(e.info.code).toBe('UNSUPPORTED');
    expect(sim.state.guest(vmid)!.template).toBe(true);
  });

  it('refuses to convert a guest with snapshots, in PVE\'s words', async () => {
    const vmid = await newVm('with-snapshot', 'node3', [1]);
    addSnapshot(sim.state, sim.state.guest(vmid)!, 'before', 'kept');
    const e = await failure(run(`qemu/${vmid}`, 'vm', 'to_template'));
    expect(e.info.message).toBe('unable to create template, because VM contains snapshots');
    expect(sim.state.guest(vmid)!.template).toBe(false);
  });

  it('lists what a delete removes, then removes the VM with its disks and the disks no configuration names', async () => {
    const vmid = await newVm('doomed', 'node1', [3, 1]);
    sim.state.looseVolumes.push({ volid: `local-zfs:vm-${vmid}-disk-7`, node: 'node1', content: 'images', format: 'raw', size: GiB, vmid, ctime: 0 });
    const plan = await provider.guests!.deletePlan({ nativeRef: `qemu/${vmid}`, kind: 'vm' });
    expect(plan).toEqual({
      snapshots: 0,
      disks: [
        { name: `vm-${vmid}-disk-0`, sizeBytes: 3 * GiB, storageName: 'local-zfs' },
        { name: `vm-${vmid}-disk-1`, sizeBytes: 1 * GiB, storageName: 'local-zfs' },
      ],
    });
    const content = async () => {
      const res = await fetchAsRoot(sim, 'GET', `/nodes/node1/storage/local-zfs/content?vmid=${vmid}`, {});
      return (JSON.parse(res.body).data as Array<{ volid: string }>).map((v) => v.volid).sort();
    };
    expect(await content()).toHaveLength(3);
    await run(`qemu/${vmid}`, 'vm', 'destroy');
    expect(sim.state.guest(vmid)).toBeUndefined();
    expect(await content()).toEqual([]);
    await mirror.until(() => mirror.get('vm', `qemu/${vmid}`) === undefined, 'the VM gone from the tree');
  });

  it('refuses to delete a running VM as PVE does; forced, it is stopped first', async () => {
    await run('qemu/200', 'vm', 'start');
    const e = await failure(run('qemu/200', 'vm', 'destroy'));
    expect(e.info).toMatchObject({ code: 'SERVER_ERROR', message: 'VM 200 is running - destroy failed' });
    expect(sim.state.guest(200)!.status).toBe('running');
    await run('qemu/200', 'vm', 'destroy', { force: true });
    expect(sim.state.guest(200)).toBeUndefined();
  });

  it('deletes a running container only when forced, and never keeps disks', async () => {
    expect((await failure(run('lxc/106', 'container', 'destroy'))).info.message).toBe('unable to destroy CT 106 - container is running');
    expect((await failure(run('lxc/106', 'container', 'destroy', { keepDisks: true, force: true }))).info).toMatchObject({ code: 'UNSUPPORTED', field: 'keepDisks' });
    expect(sim.state.guest(106)).toBeDefined();
    await run('lxc/106', 'container', 'destroy', { force: true });
    expect(sim.state.guest(106)).toBeUndefined();
  });

  it('checks parameters as PVE does: 400 "Parameter verification failed." naming each one', async () => {
    const res = await fetchAsRoot(sim, 'POST', '/nodes/node1/qemu', { vmid: '990', cores: '0', scsi31: 'local-zfs:1', bogus: '1', memory: '8' });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.message).toBe('Parameter verification failed.\n');
    expect(body.errors).toEqual({ cores: 'value must have a minimum value of 1', scsi31: NOT_IN_SCHEMA, bogus: NOT_IN_SCHEMA });
    const small = JSON.parse((await fetchAsRoot(sim, 'POST', '/nodes/node1/qemu', { vmid: '990', memory: '8' })).body);
    expect(small.errors).toEqual({ memory: 'invalid format - current: value must have a minimum value of 16\n' });
    const iso = await fetchAsRoot(sim, 'POST', '/nodes/node1/qemu', { vmid: '990', scsi0: 'local:4' });
    expect([iso.status, JSON.parse(iso.body).errors]).toEqual([400, { storage: "storage 'local' does not support vm images" }]);
    expect(sim.state.guest(990)).toBeUndefined();
    // through the provider: PVE's 400 is the user's input, with PVE's words
    const e = await failure(provider.guests!.create({ templateId: 'empty:qemu', name: 'no-cores', vcpus: 0, hostRef: 'node1' }, reporter()));
    expect(e.info).toMatchObject({ code: 'INVALID_INPUT', serverCode: '400' });
    expect(e.info.message).toContain('cores: value must have a minimum value of 1');
  });
});
