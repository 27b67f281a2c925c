// vSphere tags as the custom attribute polyvisor.tags (issue 16) against vcsim 0.24, which has
// no tagging service. Every change is read back through a raw SOAP session: the field defined
// once for every entity type (CustomFieldsManager.field), the object's customValue. What vcsim
// does is asserted as it is: SetField appends a CustomFieldValue instead of replacing the one
// for the key, and does not tell the PropertyCollector (another client's change shows after
// Polyvisor next reads the object: here, a reconnect).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, SERVER_ID, TEST_TIMEOUT, skipVcsim, startConnected, type ConnectedPeer, type Mirror } from './harness';
import { text, type RawSoap, type Ref } from './raw-soap';

type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const MANAGER: Ref = { type: 'CustomFieldsManager', value: 'CustomFieldsManager' };

describe.skipIf(skipVcsim)('vSphere tags in the polyvisor.tags custom attribute (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let raw: RawSoap;
  let mirror: Mirror;
  let vms: Ref[];

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx', vms: 2, hosts: 1, clusters: 1 });
    ({ provider, raw, mirror } = peer);
    vms = (await raw.objects('VirtualMachine', ['name'])).map((v) => v.ref);
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  /** The server's definitions named polyvisor.tags: [key, managedObjectType]. */
  async function tagFields(): Promise<Array<[string, string]>> {
    const spec = `<specSet><propSet><type>CustomFieldsManager</type><pathSet>field</pathSet></propSet><objectSet><obj type="CustomFieldsManager">CustomFieldsManager</obj></objectSet></specSet><options></options>`;
    const res = await raw.call('RetrievePropertiesEx', (await raw.serviceContent()).propertyCollector, spec);
    const defs = list<Node>((((res.returnval as Node).objects as Node).propSet as Node | undefined)?.val as Node | undefined)
      .flatMap((v) => list(v.CustomFieldDef as Node | Node[] | undefined));
    return defs.filter((d) => text(d.name) === 'polyvisor.tags').map((d) => [text(d.key), text(d.managedObjectType)]);
  }

  /** Every value the server holds for the field on this object, oldest first. */
  async function fieldValues(entity: Ref, key: string): Promise<string[]> {
    const found = (await raw.objects(entity.type, ['customValue'])).find((o) => o.ref.value === entity.value);
    return list((found?.props.customValue as Node | undefined)?.CustomFieldValue as Node | Node[] | undefined)
      .filter((v) => text(v.key) === key)
      .map((v) => text(v.value));
  }

  const tagsOf = (kind: string, ref: Ref) => mirror.nodes.get(`${SERVER_ID}:${kind}:${ref.value}`)?.props.tags;

  it('the first tag defines the field once for every entity type and writes the list escaped; the tree shows it', async () => {
    expect(await tagFields()).toEqual([]);
    await provider.labels.changeTags({ nativeRef: vms[0].value, kind: 'vm' }, ['web', 'a,b', 'c\\d'], []);
    const fields = await tagFields();
    expect(fields).toEqual([[expect.any(String), '']]);
    expect(await fieldValues(vms[0], fields[0][0])).toEqual(['web,a\\,b,c\\\\d']);
    await mirror.until(() => JSON.stringify(tagsOf('vm', vms[0])) === JSON.stringify(['web', 'a,b', 'c\\d']), 'the tags in the tree');
  });

  it('removes and adds a tag: vcsim appends the new value (the last one is read), the tree follows', async () => {
    const [[key]] = await tagFields();
    await provider.labels.changeTags({ nativeRef: vms[0].value, kind: 'vm' }, ['db'], ['web']);
    // vcsim 0.24's SetField appends; vCenter keeps one value per key
    expect(await fieldValues(vms[0], key)).toEqual(['web,a\\,b,c\\\\d', 'a\\,b,c\\\\d,db']);
    await mirror.until(() => JSON.stringify(tagsOf('vm', vms[0])) === JSON.stringify(['a,b', 'c\\d', 'db']), 'the changed tags in the tree');
    await provider.labels.changeTags({ nativeRef: vms[0].value, kind: 'vm' }, [], ['a,b', 'c\\d', 'db']);
    expect((await fieldValues(vms[0], key)).at(-1)).toBe('');
    await mirror.until(() => Array.isArray(tagsOf('vm', vms[0])) && (tagsOf('vm', vms[0]) as string[]).length === 0, 'no tags in the tree');
    expect(await tagFields()).toHaveLength(1);
  });

  it('tags a host', async () => {
    const [host] = (await raw.objects('HostSystem', ['name'])).map((h) => h.ref);
    const [[key]] = await tagFields();
    await provider.labels.changeTags({ nativeRef: host.value, kind: 'host' }, ['rack-4'], []);
    expect(await fieldValues(host, key)).toEqual(['rack-4']);
    await mirror.until(() => JSON.stringify(tagsOf('host', host)) === JSON.stringify(['rack-4']), 'the host tag in the tree');
  });

  it('tags every other entity of the tree in the same field: datacenter, cluster, datastore, network, distributed switch and port group', async () => {
    const [[key]] = await tagFields();
    const entities = [
      { kind: 'pool', type: 'Datacenter' },
      { kind: 'cluster', type: 'ClusterComputeResource' },
      { kind: 'storage', type: 'Datastore' },
      { kind: 'network', type: 'Network' },
      { kind: 'network', type: 'DistributedVirtualSwitch' },
      { kind: 'network', type: 'DistributedVirtualPortgroup' },
    ] as const;
    for (const { kind, type } of entities) {
      // the first of the type the tree shows (a switch's uplink port group is left out of it)
      const target = (await raw.objects(type, ['name'])).map((o) => o.ref).find((r) => r.type === type && mirror.nodes.has(`${SERVER_ID}:${kind}:${r.value}`));
      expect(target, `a ${type} in the tree`).toBeDefined();
      await provider.labels.changeTags({ nativeRef: target!.value, kind }, [`on-${type}`, 'lab'], []);
      expect(await fieldValues(target!, key), type).toEqual([`on-${type},lab`]);
      await mirror.until(() => JSON.stringify(tagsOf(kind, target!)) === JSON.stringify([`on-${type}`, 'lab']), `the ${type}'s tags in the tree`);
      await provider.labels.changeTags({ nativeRef: target!.value, kind }, [], ['lab']);
      expect((await fieldValues(target!, key)).at(-1), type).toBe(`on-${type}`);
      await mirror.until(() => JSON.stringify(tagsOf(kind, target!)) === JSON.stringify([`on-${type}`]), `the ${type}'s changed tags in the tree`);
    }
    expect(await tagFields()).toHaveLength(1);
  });

  it('a tag another client sets with SetField shows in Polyvisor, and Polyvisor’s next change keeps it', async () => {
    const [[key]] = await tagFields();
    await raw.call('SetField', MANAGER, `<entity type="VirtualMachine">${vms[1].value}</entity><key>${key}</key><value>from-govc,prod</value>`);
    // vcsim does not report SetField to the PropertyCollector: the next full read (a reconnect) shows it
    await provider.disconnect();
    await provider.connect();
    await mirror.until(() => JSON.stringify(tagsOf('vm', vms[1])) === JSON.stringify(['from-govc', 'prod']), 'the other client’s tags in the tree');
    await provider.labels.changeTags({ nativeRef: vms[1].value, kind: 'vm' }, ['mine'], ['prod']);
    expect((await fieldValues(vms[1], key)).at(-1)).toBe('from-govc,mine');
  });

  it('keeps no folders on the server, and no tags on a snapshot (no managed entity)', async () => {
    await expect(provider.labels.setFolder({ nativeRef: vms[0].value, kind: 'vm' }, '/A')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    await expect(provider.labels.changeTags({ nativeRef: 'snapshot-1', kind: 'snapshot' }, ['x'], [])).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });
});
