// vSphere tags through the core's labels:tags (issue 16): on vCenter (vcsim VPX) in the
// polyvisor.tags custom attribute, read back through raw SOAP; a tag Polyvisor kept in
// labels.json before vSphere could hold tags is removed there; a standalone ESXi host (vcsim
// ESX, no CustomFieldsManager, as on ESXi) keeps its VMs' tags in labels.json.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../../shared/errors';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { vsphereProviderFactory } from '../../../electron/core/providers/vsphere';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startVcsim, type Vcsim } from '../../peers/vcsim';
import { waitFor } from '../provider-mirror';
import { BUILD_AND_START_TIMEOUT, TEST_TIMEOUT, skipVcsim } from './harness';
import { RawSoap, text } from './raw-soap';

type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe.skipIf(skipVcsim)('vSphere tags through the core', { timeout: TEST_TIMEOUT }, () => {
  let vc: Vcsim;
  let esx: Vcsim;
  let home: string;
  let core: PolyvisorCore;
  const ids: Record<string, string> = {};

  async function connect(name: string, sim: Vcsim): Promise<void> {
    const server = await core.invoke('servers:add', { type: 'vsphere', name, host: sim.host, port: sim.port, username: sim.username, password: sim.password, rememberPassword: true });
    ids[name] = server.id;
    // trust on first use: the connection shows the certificate, the user accepts it
    await core.invoke('servers:connect', server.id).catch((e: unknown) => toErrorInfo(e));
    await core.invoke('certs:accept', server.id, sim.fingerprint256);
  }

  const vmOf = (name: string) => waitFor(async () => (await core.invoke('inventory:get')).find((n) => n.serverId === ids[name] && n.kind === 'vm'), `a VM of ${name}`, 60_000);
  const ownFile = () => JSON.parse(readFileSync(path.join(home, 'labels.json'), 'utf8')) as { tags: Record<string, string[]> };

  beforeAll(async () => {
    [vc, esx] = await Promise.all([startVcsim({ model: 'vpx', vms: 1, hosts: 1, clusters: 1 }), startVcsim({ model: 'esx', vms: 1 })]);
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-vsphere-tags-'));
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [vsphereProviderFactory], inventoryBatchMs: 10 });
    await connect('vCenter', vc);
    await connect('ESXi', esx);
  }, BUILD_AND_START_TIMEOUT);

  afterAll(async () => {
    await core?.stop();
    await Promise.all([vc?.stop(), esx?.stop()]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('vCenter: in the custom attribute; a tag kept in labels.json before is removed there', async () => {
    const vm = await vmOf('vCenter');
    writeFileSync(path.join(home, 'labels.json'), JSON.stringify({ version: 1, tags: { [vm.id]: ['old'] }, folders: {} }));
    const outcome = await core.invoke('labels:tags', [vm.id], { add: ['prod'], remove: ['old'] });
    expect(outcome).toEqual({ changed: [vm.id], failed: [] });
    const raw = new RawSoap(vc);
    await raw.login();
    const found = (await raw.objects('VirtualMachine', ['customValue'])).find((o) => o.ref.value === vm.nativeRef);
    expect(list((found?.props.customValue as Node | undefined)?.CustomFieldValue as Node | Node[] | undefined).map((v) => text(v.value))).toEqual(['prod']);
    await raw.logout();
    expect(ownFile().tags[vm.id]).toBeUndefined();
    await waitFor(async () => (await core.invoke('inventory:get')).find((n) => n.id === vm.id && JSON.stringify(n.props.tags) === '["prod"]'), 'the tag in the tree', 60_000);
  });

  it('a standalone ESXi host has no custom attributes: Polyvisor keeps the tags', async () => {
    const vm = await vmOf('ESXi');
    expect(await core.invoke('labels:tags', [vm.id], { add: ['lab'], remove: [] })).toEqual({ changed: [vm.id], failed: [] });
    expect(ownFile().tags[vm.id]).toEqual(['lab']);
    expect((await core.invoke('labels:own')).tags[vm.id]).toEqual(['lab']);
  });

  it('a datastore: a tag Polyvisor kept before stays in labels.json and shows beside the attribute’s; removed where it is', async () => {
    const store = await waitFor(async () => (await core.invoke('inventory:get')).find((n) => n.serverId === ids.vCenter && n.kind === 'storage'), 'a datastore of vCenter', 60_000);
    const before = ownFile();
    writeFileSync(path.join(home, 'labels.json'), JSON.stringify({ ...before, tags: { ...before.tags, [store.id]: ['kept-before'] } }));
    expect(await core.invoke('labels:tags', [store.id], { add: ['gold'], remove: [] })).toEqual({ changed: [store.id], failed: [] });
    const raw = new RawSoap(vc);
    await raw.login();
    const values = async () => list(((await raw.objects('Datastore', ['customValue'])).find((o) => o.ref.value === store.nativeRef)?.props.customValue as Node | undefined)?.CustomFieldValue as Node | Node[] | undefined).map((v) => text(v.value));
    expect(await values()).toEqual(['gold']);
    // not moved: the profile's tag stays where it was, the tree's node has the server's
    expect(ownFile().tags[store.id]).toEqual(['kept-before']);
    await waitFor(async () => (await core.invoke('inventory:get')).find((n) => n.id === store.id && JSON.stringify(n.props.tags) === '["gold"]'), 'the attribute’s tag in the tree', 60_000);
    expect(await core.invoke('labels:tags', [store.id], { add: [], remove: ['kept-before', 'gold'] })).toEqual({ changed: [store.id], failed: [] });
    expect(ownFile().tags[store.id]).toBeUndefined();
    expect((await values()).at(-1)).toBe('');
    await raw.logout();
  });

  it('says where each object’s tags go: the attribute on vCenter, the profile on a standalone ESXi host (no customFieldsManager)', async () => {
    const managerOf = async (sim: Vcsim) => ((await new RawSoap(sim).call('RetrieveServiceContent', { type: 'ServiceInstance', value: 'ServiceInstance' }, '')).returnval as Node).customFieldsManager;
    expect(await managerOf(esx)).toBeUndefined();
    expect(await managerOf(vc)).toBeDefined();
    const nodes = await core.invoke('inventory:get');
    const pick = (server: string, kind: string) => nodes.find((n) => n.serverId === ids[server] && n.kind === kind)!;
    const [vcVm, vcStore, esxVm, esxStore, serverNode] = [pick('vCenter', 'vm'), pick('vCenter', 'storage'), pick('ESXi', 'vm'), pick('ESXi', 'storage'), pick('vCenter', 'server')];
    const where = await core.invoke('labels:tagsWhere', [vcVm.id, vcStore.id, esxVm.id, esxStore.id, serverNode.id]);
    expect(where[vcVm.id]?.en).toMatch(/custom attribute polyvisor\.tags \(vCenter\)/);
    expect(where[vcStore.id]).toEqual(where[vcVm.id]);
    expect(where[esxVm.id]?.en).toMatch(/Polyvisor profile: a standalone ESXi host has no custom attributes/);
    expect(where[esxVm.id]?.['zh-CN']).toMatch(/独立的 ESXi 主机/);
    expect(where[esxStore.id]).toEqual(where[esxVm.id]);
    // a server node's tags are Polyvisor's own on every platform
    expect(where[serverNode.id]).toBeNull();
  });
});
