// vSphere networks (issue 16) against vcsim's VPX model: standard networks and the
// distributed switch with its port groups in the tree as an independent SOAP session
// reads them (the uplink port group left out); a port group made on the switch with a
// VLAN (AddDVPortgroup_Task) and deleted (Destroy_Task), read back through that
// session; a VM's adapters listed, one repointed to the new port group, one added and
// removed (ReconfigVM_Task), each read back from the VM's config.hardware.device.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, Mirror, SERVER_ID, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { text, type RawSoap } from './raw-soap';

type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe.skipIf(skipVcsim)('vSphere networks and distributed port groups (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;
  const networks = () => [...mirror.nodes.values()].filter((n) => n.kind === 'network');
  const adapters = async (vm: string) => {
    const [found] = (await raw.objects('VirtualMachine', ['name', 'config.hardware.device'])).filter((o) => o.ref.value === vm);
    return list((found!.props['config.hardware.device'] as Node).VirtualDevice as Node | Node[]).filter((d) => 'macAddress' in d);
  };

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, mirror, raw } = peer);
    await mirror.until(() => networks().some((n) => n.network?.type === 'dvportgroup'), 'port groups in the tree');
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  it('shows the standard networks, the switch and its port groups (not the uplinks) as the server has them', async () => {
    const standard = await raw.objects('Network', ['name']);
    const switches = await raw.objects('DistributedVirtualSwitch', ['name', 'config.uplinkPortgroup']);
    const groups = await raw.objects('DistributedVirtualPortgroup', ['name', 'config.distributedVirtualSwitch']);
    const uplinks = new Set(switches.flatMap((s) => list((s.props['config.uplinkPortgroup'] as Node | undefined)?.ManagedObjectReference as unknown)).map(text));
    expect(switches.length).toBeGreaterThan(0);
    const standardOnly = standard.filter((n) => !groups.some((g) => g.ref.value === n.ref.value));
    const expected = [
      ...standardOnly.map((n) => `standard ${text(n.props.name)}`),
      ...switches.map((s) => `dvswitch ${text(s.props.name)}`),
      ...groups.filter((g) => !uplinks.has(g.ref.value)).map((g) => `dvportgroup ${text(g.props.name)}`),
    ].sort();
    expect(networks().map((n) => `${n.network!.type} ${n.name}`).sort()).toEqual(expected);
    for (const g of groups.filter((g) => !uplinks.has(g.ref.value))) {
      const node = mirror.nodes.get(`${SERVER_ID}:network:${g.ref.value}`)!;
      expect(node.parentId).toBe(`${SERVER_ID}:network:${text(g.props['config.distributedVirtualSwitch'])}`);
    }
  });

  it('makes a port group with a VLAN on the switch and deletes it, as the server then has it', async () => {
    const options = await provider.networks!.createOptions();
    expect(options.kinds).toEqual(['dvportgroup', 'standard']);
    const dvs = options.parents[0]!;
    const result = await provider.networks!.create({ kind: 'dvportgroup', name: 'pg-backup', vlan: 310, parent: dvs.value }, taskReporter());
    const groups = await raw.objects('DistributedVirtualPortgroup', ['name', 'config.distributedVirtualSwitch', 'config.defaultPortConfig']);
    const made = groups.find((g) => text(g.props.name) === 'pg-backup')!;
    expect(made).toBeDefined();
    expect(text(made.props['config.distributedVirtualSwitch'])).toBe(dvs.value);
    expect(text(((made.props['config.defaultPortConfig'] as Node).vlan as Node).vlanId)).toBe('310');
    expect(result.resultId).toBe(`${SERVER_ID}:network:${made.ref.value}`);
    const node = await mirror.until(() => mirror.nodes.get(result.resultId!), 'the port group in the tree');
    expect(node.network).toMatchObject({ type: 'dvportgroup', vlan: 310, bridge: dvs.label });
  });

  it('a VM’s adapters: one moved to the port group, one added and removed — read back from its devices', async () => {
    const [vm] = await raw.objects('VirtualMachine', ['name', 'runtime.powerState']);
    const guest = { nativeRef: vm!.ref.value, kind: 'vm' };
    const before = await adapters(guest.nativeRef);
    const nics = await provider.networks!.nics(guest);
    expect(nics.map((n) => n.mac).sort()).toEqual(before.map((d) => text(d.macAddress)).sort());
    const pg = networks().find((n) => n.name === 'pg-backup')!;
    const key = text((await raw.objects('DistributedVirtualPortgroup', ['key'])).find((g) => g.ref.value === pg.nativeRef)!.props.key);

    await provider.networks!.moveNic(guest, nics[0]!.id, pg.nativeRef, taskReporter());
    const moved = (await adapters(guest.nativeRef)).find((d) => text(d.key) === nics[0]!.id)!;
    expect(text(((moved.backing as Node).port as Node).portgroupKey)).toBe(key);
    expect((await provider.networks!.nics(guest))[0]).toMatchObject({ networkId: pg.id, networkName: 'pg-backup' });

    await provider.networks!.addNic(guest, pg.nativeRef, taskReporter());
    const after = await adapters(guest.nativeRef);
    expect(after).toHaveLength(before.length + 1);
    const added = after.find((d) => !before.some((b) => text(b.key) === text(d.key)))!;
    await provider.networks!.removeNic(guest, text(added.key), taskReporter());
    expect(await adapters(guest.nativeRef)).toHaveLength(before.length);

    const details = await provider.networks!.details(pg.nativeRef);
    expect(details.attached.map((a) => a.guestName)).toEqual([text(vm!.props.name)]);
  });

  it('deletes the port group: the server no longer has it, nor the tree', async () => {
    const pg = networks().find((n) => n.name === 'pg-backup')!;
    const [vm] = await raw.objects('VirtualMachine', ['name']);
    const guest = { nativeRef: vm!.ref.value, kind: 'vm' };
    // its adapter back on the switch's first port group first
    const other = networks().find((n) => n.network?.type === 'dvportgroup' && n.id !== pg.id)!;
    const nic = (await provider.networks!.nics(guest)).find((n) => n.networkId === pg.id)!;
    await provider.networks!.moveNic(guest, nic.id, other.nativeRef, taskReporter());
    await provider.networks!.destroy(pg.nativeRef, taskReporter());
    expect((await raw.objects('DistributedVirtualPortgroup', ['name'])).some((g) => text(g.props.name) === 'pg-backup')).toBe(false);
    await mirror.until(() => !mirror.nodes.has(pg.id), 'the port group gone from the tree');
  });
});
