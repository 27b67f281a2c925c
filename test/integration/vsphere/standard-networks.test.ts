// vSphere standard-switch port groups (issue 16) against vcsim's VPX model (one cluster of
// two hosts): HostNetworkSystem.AddPortGroup on one host and RemovePortGroup, and on every
// host of a cluster where a host refuses part-way — the port groups already made are
// removed again and the server's fault is shown. Every change is read back through an
// independent SOAP session: each host's HostNetworkSystem networkInfo (its vSwitches and
// port groups) and the datacenter's Network objects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, Mirror, SERVER_ID, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { hostNetworking, networkNamed as namedNetwork, portgroups as hostPortgroups, type HostNet } from './host-network-readback';
import { type RawSoap, type Ref } from './raw-soap';

describe.skipIf(skipVcsim)('vSphere standard port groups (VPX model, a cluster of two hosts)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;
  let hosts: HostNet[];
  let cluster: Ref;
  let allHosts: HostNet[];

  const portgroups = (system: Ref) => hostPortgroups(raw, system);
  const networkNamed = (name: string) => namedNetwork(raw, name);

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx', clusters: 1, hosts: 2, vms: 1 });
    ({ provider, mirror, raw } = peer);
    [cluster] = (await raw.objects('ClusterComputeResource', ['name'])).map((c) => c.ref);
    allHosts = await hostNetworking(raw);
    hosts = allHosts.filter((h) => h.parent === cluster!.value);
    expect(hosts).toHaveLength(2);
    await mirror.until(() => allHosts.every((h) => mirror.nodes.has(`${SERVER_ID}:host:${h.host.value}`)), 'the hosts in the tree');
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  it('offers each host and the cluster, and the standard vSwitches the hosts have', async () => {
    const options = await provider.networks!.createOptions();
    expect(options.kinds).toContain('standard');
    // every host (the cluster's and any standalone one) and the cluster
    expect(options.standardPlaces!.map((p) => p.value).sort()).toEqual([cluster.value, ...allHosts.map((h) => h.host.value)].sort());
    expect(options.vswitches).toEqual(['vSwitch0']);
  });

  it('makes a port group with a VLAN on one host’s vSwitch0 and deletes it, as the hosts then have it', async () => {
    const [first, second] = hosts;
    const result = await provider.networks!.create({ kind: 'standard', name: 'pg-std', vlan: 120, parent: first!.host.value, device: 'vSwitch0' }, taskReporter());
    expect((await portgroups(first!.system))['pg-std']).toEqual(['120', 'vSwitch0']);
    expect((await portgroups(second!.system))['pg-std']).toBeUndefined();
    const network = (await networkNamed('pg-std'))!;
    expect(network).toBeDefined();
    expect(result.resultId).toBe(`${SERVER_ID}:network:${network.ref.value}`);
    const node = await mirror.until(() => mirror.nodes.get(result.resultId!), 'the new network in the tree');
    expect(node.network?.type).toBe('standard');

    await provider.networks!.destroy(network.ref.value, taskReporter());
    expect((await portgroups(first!.system))['pg-std']).toBeUndefined();
    expect(await networkNamed('pg-std')).toBeUndefined();
    await mirror.until(() => !mirror.nodes.has(result.resultId!), 'the network gone from the tree');
  });

  it('on a cluster, a host without the vSwitch refuses: the port group made on the first host is removed again and the fault shown', async () => {
    const [first, second] = hosts;
    await raw.call('AddVirtualSwitch', first!.system, '<vswitchName>vSwitch1</vswitchName>');
    const refusal = await provider.networks!.create({ kind: 'standard', name: 'pg-half', vlan: 7, parent: cluster.value, device: 'vSwitch1' }, taskReporter()).then(
      () => undefined,
      (e: unknown) => e as { info: { code: string; serverCode?: string; message: string } },
    );
    expect(refusal?.info).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'NotFound' });
    expect(refusal!.info.message).toContain(`${second!.name} refused the port group pg-half`);
    expect(refusal!.info.message).toContain(`made on ${first!.name} was removed again`);
    expect((await portgroups(first!.system))['pg-half']).toBeUndefined();
    expect((await portgroups(second!.system))['pg-half']).toBeUndefined();
    expect(await networkNamed('pg-half')).toBeUndefined();
  });

  it('vcsim 0.24 answers DuplicateName for the same port group on a second host of the datacenter (vCenter joins them in one network): rolled back the same way', async () => {
    const refusal = await provider.networks!.create({ kind: 'standard', name: 'pg-both', parent: cluster.value, device: 'vSwitch0' }, taskReporter()).then(
      () => undefined,
      (e: unknown) => e as { info: { serverCode?: string } },
    );
    expect(refusal?.info.serverCode).toBe('DuplicateName');
    for (const h of hosts) expect((await portgroups(h.system))['pg-both']).toBeUndefined();
    expect(await networkNamed('pg-both')).toBeUndefined();
  });

  it('refuses a place that is neither a host nor a cluster, naming the field', async () => {
    const vm = (await raw.objects('VirtualMachine', ['name']))[0]!;
    await expect(provider.networks!.create({ kind: 'standard', name: 'x', parent: vm.ref.value, device: 'vSwitch0' }, taskReporter())).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'parent' } });
  });
});
