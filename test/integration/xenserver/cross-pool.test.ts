// Cross-pool storage migration between two simulators through two providers: the
// destination lists where disks may land (its SRs with free space, the default
// one), the source sends the VM (host.migrate_receive on the destination's session,
// VM.migrate_send on the source's). Afterwards the VM, its disks on the chosen SR and
// its VIFs exist in the destination's records and are gone from the source's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../../shared/errors';
import { nodeId } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, reporter } from './harness';

describe('XenServer cross-pool migration', () => {
  let source: XapiSimulator;
  let dest: XapiSimulator;
  let from: Harness;
  let to: Harness;
  let destHost: string;
  let localSr: string;

  const sourceVm = () =>
    [...source.db.records('VM')].find(([, v]) => v.power_state === 'Running' && !v.is_control_domain && !v.is_a_template)![0];
  const diskVdis = (sim: XapiSimulator, vm: string) =>
    (sim.db.get('VM', vm)!.VBDs as string[]).map((b) => sim.db.get('VBD', b)!).filter((b) => b.type === 'Disk').map((b) => b.VDI as string);

  beforeAll(async () => {
    [source, dest] = await Promise.all([
      startXapiSimulator({ generate: { hosts: 1, vms: 8, snapshots: 3 }, taskDurationMs: 150 }),
      startXapiSimulator({ generate: { hosts: 2, vms: 2, snapshots: 0, localStorage: true }, taskDurationMs: 150, poolName: 'Destination pool' }),
    ]);
    from = new Harness(source, { serverId: 'src' });
    to = new Harness(dest, { serverId: 'dst' });
    await Promise.all([from.provider.connect(), to.provider.connect()]);
    destHost = [...dest.db.records('host').keys()][1]!;
    localSr = [...dest.db.records('SR')].find(([, r]) => r.type === 'lvm' && (r.PBDs as string[]).some((p) => dest.db.get('PBD', p)!.host === destHost))![0];
  });
  afterAll(async () => {
    await Promise.all([from?.provider.disconnect(), to?.provider.disconnect()]);
    await Promise.all([source?.stop(), dest?.stop()]);
  });

  it('lists where disks may land on a destination host: its SRs with free space, shared or not, the pool default', async () => {
    const { storages, offline } = await to.provider.migration!.crossServer!.landing(destHost);
    expect(offline).toBe(false);
    const expected = [...dest.db.records('SR')]
      .filter(([, r]) => r.content_type !== 'iso' && (r.PBDs as string[]).some((p) => dest.db.get('PBD', p)!.host === destHost))
      .map(([ref, r]) => ({
        id: ref,
        name: r.name_label,
        freeBytes: Number(r.physical_size) - Number(r.physical_utilisation),
        shared: r.shared,
        isDefault: ref === dest.db.records('pool').values().next().value!.default_SR,
      }));
    expect(storages.sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));
    expect(storages.some((s) => s.id === localSr && s.shared === false)).toBe(true);
    expect(storages.filter((s) => s.isDefault).length).toBe(1);
  });

  it('refuses with the destination\'s reason (HOST_DISABLED) and leaves the VM where it was', async () => {
    const vm = sourceVm();
    dest.db.set('host', destHost, 'enabled', false);
    try {
      const err = await from.provider.migration!.crossServer!.send(vm, to.provider, destHost, { storageId: localSr }, reporter()).catch((e: unknown) => e);
      expect(isPolyvisorError(err, 'SERVER_ERROR') && err.info).toMatchObject({ serverCode: 'HOST_DISABLED', serverParams: [destHost] });
    } finally {
      dest.db.set('host', destHost, 'enabled', true);
    }
    expect(source.db.get('VM', vm)!.power_state).toBe('Running');
  });

  it('moves a running VM with its disks to the chosen SR and its VIFs to the network of the same name', async () => {
    const vm = sourceVm();
    const record = source.db.get('VM', vm)!;
    const vdis = diskVdis(source, vm);
    const vifs = record.VIFs as string[];
    const networkNames = vifs.map((v) => source.db.get('network', source.db.get('VIF', v)!.network as string)!.name_label);
    const task = reporter();
    const result = await from.provider.migration!.crossServer!.send(vm, to.provider, destHost, { storageId: localSr }, task);
    expect(task.progressValues.at(-1)).toBe(1);

    // the destination's own records
    const moved = dest.db.byUuid('VM', record.uuid as string)!;
    expect(result.resultId).toBe(nodeId('dst', 'vm', moved));
    const there = dest.db.get('VM', moved)!;
    expect(there.name_label).toBe(record.name_label);
    expect(there.power_state).toBe('Running');
    expect(there.resident_on).toBe(destHost);
    const newDisks = diskVdis(dest, moved);
    expect(newDisks.length).toBe(vdis.length);
    for (const d of newDisks) expect(dest.db.get('VDI', d)!.SR).toBe(localSr);
    expect((there.VIFs as string[]).map((v) => dest.db.get('network', dest.db.get('VIF', v)!.network as string)!.name_label)).toEqual(networkNames);
    // gone from the source's
    expect(source.db.get('VM', vm)).toBeUndefined();
    for (const v of vdis) expect(source.db.get('VDI', v)).toBeUndefined();
    for (const v of vifs) expect(source.db.get('VIF', v)).toBeUndefined();
    // and both trees follow
    await to.until(() => to.nodes.get(nodeId('dst', 'vm', moved))?.parentId === nodeId('dst', 'host', destHost), 15_000, 'the VM on the destination host');
    await from.until(() => !from.nodes.has(nodeId('src', 'vm', vm)), 15_000, 'the VM gone from the source');
  });

  it('maps VIFs by network name, else to the destination host\'s management network (a halted VM moves too)', async () => {
    const vm = [...source.db.records('VM')].find(([, v]) => v.power_state === 'Halted' && !v.is_a_template && !v.is_a_snapshot)![0];
    const uuid = source.db.get('VM', vm)!.uuid as string;
    const sourceNetwork = source.db.get('VIF', (source.db.get('VM', vm)!.VIFs as string[])[0]!)!.network as string;
    const management = [...dest.db.records('PIF').values()].find((p) => p.host === destHost && p.management)!.network as string;
    // a second destination network that bears the source network's name, the management one renamed
    const sameName = dest.db.add('network', { name_label: source.db.get('network', sourceNetwork)!.name_label, bridge: 'xenbr1', MTU: 1500, managed: true });
    const managementName = dest.db.get('network', management)!.name_label;
    dest.db.set('network', management, 'name_label', 'Management');
    try {
      await from.provider.migration!.crossServer!.send(vm, to.provider, destHost, { storageId: localSr }, reporter());
      const moved = dest.db.byUuid('VM', uuid)!;
      expect(dest.db.get('VM', moved)!.power_state).toBe('Halted');
      expect((dest.db.get('VM', moved)!.VIFs as string[]).map((v) => dest.db.get('VIF', v)!.network)).toEqual([sameName]);
    } finally {
      dest.db.set('network', management, 'name_label', managementName);
    }
    // no network of that name any more: the management network
    dest.db.set('network', sameName, 'name_label', 'renamed');
    const next = [...source.db.records('VM')].find(([, v]) => v.power_state === 'Halted' && !v.is_a_template && !v.is_a_snapshot)![0];
    const nextUuid = source.db.get('VM', next)!.uuid as string;
    source.db.set('network', source.db.get('VIF', (source.db.get('VM', next)!.VIFs as string[])[0]!)!.network as string, 'name_label', 'only at the source');
    await from.provider.migration!.crossServer!.send(next, to.provider, destHost, { storageId: localSr }, reporter());
    const landed = dest.db.byUuid('VM', nextUuid)!;
    expect((dest.db.get('VM', landed)!.VIFs as string[]).map((v) => dest.db.get('VIF', v)!.network)).toEqual([management]);
  });

  it('puts the disks on the destination pool\'s default SR when no storage is chosen', async () => {
    const vm = sourceVm();
    const uuid = source.db.get('VM', vm)!.uuid as string;
    await from.provider.migration!.crossServer!.send(vm, to.provider, destHost, {}, reporter());
    const moved = dest.db.byUuid('VM', uuid)!;
    const defaultSr = dest.db.records('pool').values().next().value!.default_SR;
    for (const d of diskVdis(dest, moved)) expect(dest.db.get('VDI', d)!.SR).toBe(defaultSr);
  });
});
