// Making, changing and removing VMs through the XenServer provider (issue 14),
// against the simulator on both transports. Every change is read back from the
// simulator's own store: the VM, its VBDs, the VDIs on the chosen SRs, VIFs, the
// memory limits, which disks remain after a delete.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError, type PolyvisorError } from '../../../shared/errors';
import type { ProviderGuests } from '../../../electron/core/providers/provider';
import { nodeId, type ActionName, type InventoryNode } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { GENERATED_ISOS } from '../../sim/xapi/generate';
import { Harness, reporter, TRANSPORTS } from './harness';

const GiB = 1024 ** 3;
const ISO_NAMES = [...GENERATED_ISOS].sort((a, b) => a.localeCompare(b));
const ORDER = 'Memory limits must satisfy: static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max';
type Rec = Record<string, unknown>;

describe.each(TRANSPORTS)('XenServer guests over %s', (transport) => {
  let sim: XapiSimulator;
  let harness: Harness;
  let guests: ProviderGuests;
  const rec = (cls: string, ref: string) => sim.db.get(cls, ref)!;
  const vbdsOf = (vm: string, type: string) => (rec('VM', vm).VBDs as string[]).map((b) => rec('VBD', b)).filter((b) => b.type === type).sort((a, b) => Number(a.userdevice) - Number(b.userdevice));
  const diskVdis = (vm: string) => vbdsOf(vm, 'Disk').map((b) => b.VDI as string);
  const srNamed = (pattern: RegExp) => [...sim.db.records('SR')].find(([, r]) => pattern.test(String(r.name_label)))![0];
  const templateRef = (name: string) => [...sim.db.records('VM')].find(([, r]) => r.name_label === name && r.is_a_template)![0];
  const refOf = (id: string) => id.slice(id.indexOf(':OpaqueRef:') + 1);
  const run = async (target: InventoryNode, action: ActionName, params = {}) => harness.provider.runAction(target, action, params, reporter());
  const shown = (id: string) => harness.until(() => harness.nodes.get(id), 15_000, `${id} in the tree`);
  const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as PolyvisorError);

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 2, isoLibrary: true, localStorage: true }, taskDurationMs: 40, jsonRpc: transport === 'jsonrpc' });
    harness = new Harness(sim, { transport });
    await harness.provider.connect();
    guests = harness.provider.guests!;
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('offers templates with their disks, SRs with free space, guest networks, ISOs and hosts', async () => {
    const options = await guests.createOptions();
    const debian = options.templates.find((t) => t.name === 'Debian Bookworm 12')!;
    expect(debian).toMatchObject({ id: templateRef('Debian Bookworm 12'), nodeId: nodeId('s1', 'template', templateRef('Debian Bookworm 12')), makes: 'vm', vcpus: 2, disks: [{ sizeBytes: 10 * GiB }], install: ['iso'] });
    expect(debian.memory).toEqual({ sizeBytes: 2 * GiB, staticMinBytes: GiB, dynamicMinBytes: 2 * GiB, dynamicMaxBytes: 2 * GiB });
    const nfs = srNamed(/^Shared NFS/);
    expect(options.storages[0]).toMatchObject({ id: nfs, isDefault: true, shared: true });
    expect(options.storages[0]!.freeBytes).toBe(Number(rec('SR', nfs).physical_size) - Number(rec('SR', nfs).physical_utilisation));
    expect(options.storages.map((s) => s.name)).toEqual(expect.arrayContaining(['Local storage on host-01', 'Local storage on host-02']));
    expect(options.storages.some((s) => /DVD|ISO/.test(s.name))).toBe(false);
    expect(options.networks).toEqual([{ id: expect.any(String), name: 'Pool-wide network associated with eth0', isDefault: true }]);
    expect(options.isos.map((i) => i.name)).toEqual(ISO_NAMES);
    expect(options.isos[0]!.storageName).toBe('ISO library');
    expect(options.hosts.map((h) => h.name)).toEqual(['host-01', 'host-02']);
    for (const h of options.hosts) expect(h.freeMemoryBytes).toBe(Number(rec('host_metrics', rec('host', refOf(h.hostId)).metrics as string).memory_free));
  });

  let created: InventoryNode;

  it('creates a VM from a template with two disks on two SRs, a network, an ISO and a home host', async () => {
    const options = await guests.createOptions();
    const local = srNamed(/^Local storage on host-01/);
    const host = options.hosts.find((h) => h.name === 'host-01')!;
    const iso = options.isos[0]!;
    const task = reporter();
    const result = await guests.create(
      {
        templateId: templateRef('Debian Bookworm 12'),
        name: `web ${transport}`,
        description: 'made by the wizard',
        vcpus: 4,
        memory: { sizeBytes: 4 * GiB, staticMinBytes: GiB, dynamicMinBytes: 2 * GiB, dynamicMaxBytes: 4 * GiB },
        disks: [{ sizeBytes: 12 * GiB, storageId: srNamed(/^Shared NFS/) }, { sizeBytes: 3 * GiB, storageId: local, name: 'data' }],
        networks: [{ networkId: options.networks[0]!.id }],
        isoId: iso.id,
        hostRef: refOf(host.hostId),
      },
      task,
    );
    expect(task.progressValues.at(-1)).toBe(1);
    const vm = refOf(result.resultId!);
    expect(rec('VM', vm)).toMatchObject({
      name_label: `web ${transport}`,
      name_description: 'made by the wizard',
      is_a_template: false,
      power_state: 'Halted',
      VCPUs_max: 4,
      VCPUs_at_startup: 4,
      memory_static_min: GiB,
      memory_static_max: 4 * GiB,
      memory_dynamic_min: 2 * GiB,
      memory_dynamic_max: 4 * GiB,
      affinity: refOf(host.hostId),
    });
    expect((rec('VM', vm).other_config as Rec).disks).toBeUndefined();
    const disks = diskVdis(vm).map((v) => rec('VDI', v));
    expect(disks.map((d) => [d.SR, d.virtual_size])).toEqual([
      [srNamed(/^Shared NFS/), 12 * GiB],
      [local, 3 * GiB],
    ]);
    expect(disks[1]!.name_label).toBe('data');
    const vifs = (rec('VM', vm).VIFs as string[]).map((v) => rec('VIF', v));
    expect(vifs.map((v) => [v.device, v.network])).toEqual([['0', options.networks[0]!.id]]);
    expect(vbdsOf(vm, 'CD').map((b) => [b.VDI, b.mode, b.empty])).toEqual([[iso.id, 'RO', false]]);
    created = await shown(result.resultId!);
    expect(created.kind).toBe('vm');
    expect(created.allowed).toEqual(expect.arrayContaining(['start', 'clone', 'to_template', 'destroy']));
  });

  it('reads the new VM\'s properties: memory, disks with SR names, the NIC, the CD, boot order', async () => {
    const props = await guests.properties(created);
    expect(props).toMatchObject({ name: `web ${transport}`, description: 'made by the wizard', vcpus: 4, vcpusMax: 4, autoStart: false, tags: [], bootOrder: ['cd', 'disk', 'network'] });
    expect(props.memory).toEqual({ sizeBytes: 4 * GiB, staticMinBytes: GiB, dynamicMinBytes: 2 * GiB, dynamicMaxBytes: 4 * GiB });
    expect(props.disks.map((d) => [d.sizeBytes, d.storageName, d.device])).toEqual([
      [12 * GiB, 'Shared NFS storage', 'xvda'],
      [3 * GiB, 'Local storage on host-01', 'xvdb'],
    ]);
    expect(props.nics).toEqual([{ id: expect.any(String), networkName: 'Pool-wide network associated with eth0', mac: expect.stringMatching(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/), ips: [], device: '0' }]);
    expect(props.cd).toEqual({ isoId: expect.any(String), isoName: ISO_NAMES[0] });
    expect(props.isos).toHaveLength(GENERATED_ISOS.length);
  });

  it('says which step failed with XAPI\'s code and leaves no half-made VM behind', async () => {
    const before = { vms: sim.db.records('VM').size, vdis: sim.db.records('VDI').size };
    const nfs = srNamed(/^Shared NFS/);
    const free = Number(rec('SR', nfs).physical_size) - Number(rec('SR', nfs).physical_utilisation);
    const full = await failure(guests.create({ templateId: templateRef('Rocky Linux 9'), name: 'too big', disks: [{ sizeBytes: free + GiB, storageId: nfs }] }, reporter()));
    expect(full?.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'SR_FULL', serverParams: [String(free + GiB), String(free)] });
    expect(full?.message).toMatch(/^Creating "too big" failed at the provision step/);
    const gone = 'OpaqueRef:00000000-0000-0000-0000-00000000dead';
    const noNetwork = await failure(guests.create({ templateId: templateRef('Rocky Linux 9'), name: 'no network', networks: [{ networkId: gone }] }, reporter()));
    expect(noNetwork?.info).toMatchObject({ serverCode: 'HANDLE_INVALID', serverParams: ['network', gone] });
    expect(noNetwork?.message).toMatch(/failed at the networks step/);
    expect({ vms: sim.db.records('VM').size, vdis: sim.db.records('VDI').size }).toEqual(before);
  });

  it('changes a running VM\'s dynamic range live; an out-of-order range is MEMORY_CONSTRAINT_VIOLATION and changes nothing', async () => {
    await run(created, 'start');
    const vm = created.nativeRef;
    // the home host's free memory (the Memory tab, the wizard's host list) follows the server's
    const host = rec('VM', vm).resident_on as string;
    expect(rec('VM', vm).affinity).toBe(host);
    const free = () => Number(rec('host_metrics', rec('host', host).metrics as string).memory_free);
    await harness.until(() => harness.nodes.get(nodeId('s1', 'host', host))?.props.memoryFree === free(), 15_000, 'the host\'s free memory in the tree');
    await guests.configure(created, { memory: { dynamicMinBytes: 3 * GiB, dynamicMaxBytes: 4 * GiB } }, reporter());
    expect(rec('VM', vm)).toMatchObject({ memory_dynamic_min: 3 * GiB, memory_dynamic_max: 4 * GiB });
    expect(rec('VM_metrics', rec('VM', vm).metrics as string).memory_actual).toBe(4 * GiB);
    const bad = await failure(guests.configure(created, { memory: { dynamicMinBytes: 4 * GiB, dynamicMaxBytes: 3 * GiB } }, reporter()));
    expect(bad?.info).toMatchObject({ serverCode: 'MEMORY_CONSTRAINT_VIOLATION', serverParams: [ORDER] });
    expect(rec('VM', vm)).toMatchObject({ memory_dynamic_min: 3 * GiB, memory_dynamic_max: 4 * GiB });
    const size = await failure(guests.configure(created, { memory: { sizeBytes: 8 * GiB } }, reporter()));
    expect(isPolyvisorError(size, 'INVALID_INPUT') && size.info.field).toBe('memory.size');
    expect(rec('VM', vm).memory_static_max).toBe(4 * GiB);
    const props = await guests.properties(created);
    expect(props.memory!.actualBytes).toBe(4 * GiB);
  });

  it('changes vCPUs, name, tags, the CD and the boot order of the running VM as xapi allows', async () => {
    const vm = created.nativeRef;
    const result = await guests.configure(created, { vcpus: 2, name: `web2 ${transport}`, tags: ['web'], isoId: null, bootOrder: ['disk', 'cd'], autoStart: true }, reporter());
    expect(result.nextBoot).toEqual(['bootOrder']);
    expect(rec('VM', vm)).toMatchObject({ VCPUs_at_startup: 2, name_label: `web2 ${transport}`, tags: ['web'] });
    expect((rec('VM', vm).HVM_boot_params as Rec).order).toBe('dc');
    expect((rec('VM', vm).other_config as Rec).auto_poweron).toBe('true');
    expect(vbdsOf(vm, 'CD')[0]).toMatchObject({ empty: true, VDI: 'OpaqueRef:NULL' });
    const over = await failure(guests.configure(created, { vcpus: 5 }, reporter()));
    expect(isPolyvisorError(over, 'INVALID_INPUT') && over.info.field).toBe('vcpus');
    await harness.until(() => harness.nodes.get(created.id)?.name === `web2 ${transport}`, 15_000, 'the new name in the tree');
  });

  it('clones fast (copy-on-write) and copies fully (own disks on the original\'s SR)', async () => {
    const source = harness.ofKind('vm').find((n) => n.state === 'halted' && diskVdis(n.nativeRef).length > 0 && n.name.startsWith('vm-'))!;
    const srcVdi = rec('VDI', diskVdis(source.nativeRef)[0]!);
    const fast = await run(source, 'clone', { name: 'fast clone' });
    const fastVdi = rec('VDI', diskVdis(refOf(fast.resultId!))[0]!);
    expect((fastVdi.sm_config as Rec)['vhd-parent']).toBe(srcVdi.uuid);
    const full = await run(source, 'clone', { name: 'full copy', full: true });
    const fullVdi = rec('VDI', diskVdis(refOf(full.resultId!))[0]!);
    expect(fullVdi.SR).toBe(srcVdi.SR);
    expect((fullVdi.sm_config as Rec)['vhd-parent']).toBeUndefined();
    expect((await shown(full.resultId!)).name).toBe('full copy');
  });

  it('converts a halted VM to a template and back; a running one is refused by the server', async () => {
    const running = await failure(run(created, 'to_template'));
    expect(running?.info).toMatchObject({ serverCode: 'VM_BAD_POWER_STATE', serverParams: [created.nativeRef, 'halted', 'running'] });
    const halted = harness.ofKind('vm').find((n) => n.name === 'fast clone')!;
    const { resultId } = await run(halted, 'to_template');
    expect(rec('VM', halted.nativeRef).is_a_template).toBe(true);
    const template = await shown(resultId!);
    expect(template.kind).toBe('template');
    expect(template.allowed).toEqual(expect.arrayContaining(['clone', 'destroy', 'to_vm']));
    const builtIn = harness.nodes.get(nodeId('s1', 'template', templateRef('Debian Bookworm 12')))!;
    expect(builtIn.allowed).toContain('clone');
    expect(builtIn.allowed).not.toContain('to_vm');
    expect(builtIn.allowed).not.toContain('destroy');
    await run(template, 'to_vm');
    expect(rec('VM', halted.nativeRef).is_a_template).toBe(false);
    await harness.until(() => harness.nodes.get(nodeId('s1', 'vm', halted.nativeRef)), 15_000, 'the VM back in the tree');
  });

  it('makes a VM from a custom template with its disk grown (VDI.resize) and one more; a smaller disk is refused before anything is made', async () => {
    const made = await guests.create({ templateId: templateRef('Rocky Linux 9'), name: `base ${transport}`, disks: [{ sizeBytes: 2 * GiB }] }, reporter());
    const converted = await run(await shown(made.resultId!), 'to_template');
    const template = refOf(converted.resultId!);
    const [own] = diskVdis(template);
    expect(Number(rec('VDI', own).virtual_size)).toBe(2 * GiB);
    // its disks are copies (a built-in template's are made new from its XML)
    const offered = async () => (await guests.createOptions()).templates;
    // offered once the pool's event stream has brought the conversion
    await expect.poll(async () => (await offered()).find((t) => t.id === template)?.copiesDisks, { timeout: 15_000 }).toBe(true);
    expect((await offered()).find((t) => t.id === template)).toMatchObject({ disks: [{ sizeBytes: 2 * GiB }] });
    expect((await offered()).find((t) => t.id === templateRef('Debian Bookworm 12'))!.copiesDisks).toBeUndefined();

    const vmsBefore = [...sim.db.records('VM')].length;
    const smaller = await failure(guests.create({ templateId: template, name: `shrunk ${transport}`, disks: [{ sizeBytes: GiB }] }, reporter()));
    expect(smaller?.info).toMatchObject({ code: 'INVALID_INPUT', field: 'disks.0.sizeBytes' });
    expect(smaller?.info.message).toContain('cannot shrink');
    expect([...sim.db.records('VM')].length).toBe(vmsBefore);

    const result = await guests.create({ templateId: template, name: `grown ${transport}`, disks: [{ sizeBytes: 5 * GiB }, { sizeBytes: GiB }] }, reporter());
    const vm = refOf(result.resultId!);
    expect(diskVdis(vm).map((v) => Number(rec('VDI', v).virtual_size))).toEqual([5 * GiB, GiB]);
    expect(diskVdis(vm)[0]).not.toBe(own);
    // the template's own disk keeps its size
    expect(Number(rec('VDI', own).virtual_size)).toBe(2 * GiB);
  });

  it('plans and deletes a VM keeping its disks, then one with its disks; a shared disk is never destroyed', async () => {
    const keep = harness.ofKind('vm').find((n) => n.name === 'full copy')!;
    const keptDisks = diskVdis(keep.nativeRef);
    const plan = await guests.deletePlan(keep);
    expect(plan.disks.map((d) => [d.sizeBytes, d.storageName])).toEqual(keptDisks.map((v) => [rec('VDI', v).virtual_size, 'Shared NFS storage']));
    await run(keep, 'destroy', { keepDisks: true });
    expect(sim.db.get('VM', keep.nativeRef)).toBeUndefined();
    for (const vdi of keptDisks) expect(rec('VDI', vdi).VBDs).toEqual([]);

    // the running VM, forced off; one of its disks also attached to another VM
    const vm = created.nativeRef;
    const [own, shared] = diskVdis(vm);
    const other = harness.ofKind('vm').find((n) => n.name === 'fast clone')!;
    sim.db.add('VBD', { VM: other.nativeRef, VDI: shared, userdevice: '7', mode: 'RW', type: 'Disk', other_config: {} });
    const iso = vbdsOf(vm, 'CD');
    const items = await guests.deletePlan(created);
    expect(items.disks.map((d) => d.sharedWith ?? [])).toEqual([[], ['fast clone']]);
    await run(created, 'destroy', { force: true });
    expect(sim.db.get('VM', vm)).toBeUndefined();
    expect(sim.db.get('VDI', own!)).toBeUndefined();
    expect(sim.db.get('VDI', shared!)).toBeDefined();
    for (const cd of iso) if (cd.VDI !== 'OpaqueRef:NULL') expect(sim.db.get('VDI', cd.VDI as string)).toBeDefined();
    await harness.until(() => !harness.nodes.has(created.id), 15_000, 'the deleted VM gone from the tree');
  });

  it('deletes a VM with its snapshots and their disks', async () => {
    const withSnapshots = harness.ofKind('vm').find((n) => n.state === 'halted' && (rec('VM', n.nativeRef).snapshots as string[]).length > 0)!;
    const snapshots = rec('VM', withSnapshots.nativeRef).snapshots as string[];
    const snapshotDisks = snapshots.flatMap((s) => diskVdis(s));
    const plan = await guests.deletePlan(withSnapshots);
    expect(plan.snapshots).toBe(snapshots.length);
    await run(withSnapshots, 'destroy');
    for (const s of snapshots) expect(sim.db.get('VM', s)).toBeUndefined();
    for (const vdi of snapshotDisks) expect(sim.db.get('VDI', vdi)).toBeUndefined();
  });
});
