// Tags and folders through the core (issue 16), read back from each platform's own view:
// XenServer tags in the object's `tags` and the folder in other_config `folder` (XenCenter's
// key and path format) on the XAPI simulator; Proxmox VE tags in the guest's configuration
// on its simulator (";"-separated, as pve-api-schema has them); Polyvisor's own tags and
// folders (a Proxmox folder, a node's tags) in the profile's labels.json; saved searches
// saved, exported and imported, and a corrupt labels file kept aside and reported.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import { compileQuery, parseQuery, subjectOf } from '../../shared/search';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { proxmoxProviderFactory } from '../../electron/core/providers/proxmox';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { waitFor } from './provider-mirror';

let xapi: XapiSimulator;
let pve: ProxmoxSimulator;
let home: string;
let core: PolyvisorCore;
const serverIds: Record<string, string> = {};

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => toErrorInfo(e));
const node = (what: string, check: (n: InventoryNode) => boolean) => waitFor(async () => (await core.invoke('inventory:get')).find(check), what, 60_000);

async function connect(type: string, name: string, sim: { host: string; port: number; fingerprint256: string }, username: string): Promise<void> {
  const server = await core.invoke('servers:add', { type, name, host: sim.host, port: sim.port, username, password: 'password', rememberPassword: true, ...(type === 'proxmox' ? { options: { realm: 'pam' } } : {}) });
  serverIds[type] = server.id;
  // trust on first use: the connection shows the certificate, the user accepts it
  await failure(core.invoke('servers:connect', server.id));
  await core.invoke('certs:accept', server.id, sim.fingerprint256);
}

beforeAll(async () => {
  [xapi, pve] = await Promise.all([startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0 } }), startProxmoxSimulator()]);
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-views-labels-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory, proxmoxProviderFactory], inventoryBatchMs: 10 });
  await connect('xenserver', 'Lab pool', xapi, 'root');
  await connect('proxmox', 'PVE lab', pve, 'root');
}, 120_000);

afterAll(async () => {
  await core?.stop();
  await Promise.all([xapi?.stop(), pve?.stop()]);
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('XenServer: tags and folders where XenCenter keeps them', () => {
  it('adds and removes a VM’s tags with VM.add_tags / remove_tags and reads them back from the simulator', async () => {
    const vm = await node('a XAPI VM', (n) => n.kind === 'vm' && n.serverId === serverIds.xenserver && !n.controlDomain);
    const outcome = await core.invoke('labels:tags', [vm.id], { add: ['prod', 'web'], remove: [] });
    expect(outcome).toEqual({ changed: [vm.id], failed: [] });
    expect(xapi.db.get('VM', vm.nativeRef)!.tags).toEqual(['prod', 'web']);
    // the tree follows the server's event, not a guess of the client
    await node('the VM with its tags', (n) => n.id === vm.id && JSON.stringify(n.props.tags) === '["prod","web"]');
    await core.invoke('labels:tags', [vm.id], { add: ['db'], remove: ['web'] });
    expect(xapi.db.get('VM', vm.nativeRef)!.tags).toEqual(['prod', 'db']);
    await node('the VM with its new tags', (n) => n.id === vm.id && JSON.stringify(n.props.tags) === '["prod","db"]');
  });

  it('puts objects in other_config "folder" as XenCenter writes it, moves them, and takes them out', async () => {
    const vm = await node('a XAPI VM', (n) => n.kind === 'vm' && n.serverId === serverIds.xenserver && !n.controlDomain);
    const host = await node('a XAPI host', (n) => n.kind === 'host' && n.serverId === serverIds.xenserver);
    const sr = await node('a XAPI SR', (n) => n.kind === 'storage' && n.serverId === serverIds.xenserver);
    // XenCenter's path: a leading "/", no empty segments, no spaces around "/"
    const outcome = await core.invoke('labels:folder', [vm.id, host.id, sr.id], '/Production / Web//');
    expect(outcome.failed).toEqual([]);
    const folderOf = (cls: string, ref: string) => (xapi.db.get(cls, ref)!.other_config as Record<string, string>).folder;
    expect(folderOf('VM', vm.nativeRef)).toBe('/Production/Web');
    expect(folderOf('host', host.nativeRef)).toBe('/Production/Web');
    expect(folderOf('SR', sr.nativeRef)).toBe('/Production/Web');
    await node('the VM in its folder', (n) => n.id === vm.id && n.props.folder === '/Production/Web');

    // renaming a folder moves what is in it and below it
    await core.invoke('labels:renameFolder', '/Production', '/Prod');
    expect(folderOf('VM', vm.nativeRef)).toBe('/Prod/Web');
    expect(folderOf('SR', sr.nativeRef)).toBe('/Prod/Web');
    await node('the SR in the renamed folder', (n) => n.id === sr.id && n.props.folder === '/Prod/Web');

    await core.invoke('labels:folder', [host.id], null);
    expect(folderOf('host', host.nativeRef)).toBeUndefined();
    await node('the host out of every folder', (n) => n.id === host.id && n.props.folder === undefined);
    // other keys of other_config are left as they were
    expect(Object.keys(xapi.db.get('VM', vm.nativeRef)!.other_config as object)).toContain('folder');
  });
});

describe('Proxmox VE: a guest’s tags in its configuration, folders in the profile', () => {
  it('writes the guest’s `tags` as the Proxmox simulator keeps them', async () => {
    const guest = await node('a Proxmox guest', (n) => n.kind === 'vm' && n.serverId === serverIds.proxmox);
    const vmid = Number(guest.props.vmid);
    const outcome = await core.invoke('labels:tags', [guest.id], { add: ['prod', 'db'], remove: [] });
    expect(outcome.failed).toEqual([]);
    expect(pve.state.guests.get(vmid)!.tags).toBe('prod;db');
    await node('the guest with its tags', (n) => n.id === guest.id && JSON.stringify(n.props.tags) === '["prod","db"]');
    await core.invoke('labels:tags', [guest.id], { add: [], remove: ['prod'] });
    expect(pve.state.guests.get(vmid)!.tags).toBe('db');
  });

  it('keeps a guest’s folder and a node’s tags in labels.json, where the platform keeps none', async () => {
    const guest = await node('a Proxmox guest', (n) => n.kind === 'vm' && n.serverId === serverIds.proxmox);
    const pveNode = await node('a Proxmox node', (n) => n.kind === 'host' && n.serverId === serverIds.proxmox);
    const heard = new Promise((resolve) => core.on('labels:changed', resolve));
    await core.invoke('labels:folder', [guest.id], '/Production/DB');
    await heard;
    await core.invoke('labels:tags', [pveNode.id], { add: ['rack-4'], remove: [] });
    const file = JSON.parse(readFileSync(path.join(home, 'labels.json'), 'utf8'));
    expect(file).toMatchObject({ version: 1, folders: { [guest.id]: '/Production/DB' }, tags: { [pveNode.id]: ['rack-4'] } });
    expect(await core.invoke('labels:own')).toEqual({ tags: { [pveNode.id]: ['rack-4'] }, folders: { [guest.id]: '/Production/DB' } });
    // nothing was written to the guest's configuration for the folder
    expect(JSON.stringify(pve.state.guests.get(Number(guest.props.vmid)))).not.toContain('Production');
  });
});

describe('empty folders where XenCenter keeps them (the pool’s other_config EMPTY_FOLDERS), and in the profile', () => {
  const poolRecord = () => [...xapi.db.records('pool')][0]!;
  const emptyOnServer = () => (poolRecord()[1].other_config as Record<string, string>).EMPTY_FOLDERS;
  const poolNode = (what: string, check: (folders: unknown) => boolean) => node(what, (n) => n.kind === 'pool' && n.serverId === serverIds.xenserver && check(n.props.emptyFolders));

  it('makes an empty folder on the pool as XenCenter would, and reads one XenCenter made', async () => {
    expect(await core.invoke('labels:createFolder', '/Empty / One/', serverIds.xenserver!)).toBe('/Empty/One');
    expect(emptyOnServer()).toBe('/Empty/One');
    await poolNode('the pool with its empty folder', (f) => JSON.stringify(f) === '["/Empty/One"]');
    expect(await failure(core.invoke('labels:createFolder', '/Empty/One', serverIds.xenserver!))).toMatchObject({ code: 'INVALID_INPUT', field: 'path' });
    // XenCenter's CreateFolderAction writes the ";"-joined list itself: the tree follows the server's event
    const [ref] = poolRecord();
    xapi.db.update('pool', ref, { other_config: { ...(poolRecord()[1].other_config as Record<string, string>), EMPTY_FOLDERS: '/Empty/One;/From XenCenter' } });
    await poolNode('the folder XenCenter made', (f) => JSON.stringify(f) === '["/Empty/One","/From XenCenter"]');
  });

  it('drops a folder from the list when an object moves in, and keeps the folder it leaves as an empty one', async () => {
    const vm = await node('a XAPI VM', (n) => n.kind === 'vm' && n.serverId === serverIds.xenserver && !n.controlDomain && !n.props.folder);
    expect((await core.invoke('labels:folder', [vm.id], '/From XenCenter')).failed).toEqual([]);
    expect((xapi.db.get('VM', vm.nativeRef)!.other_config as Record<string, string>).folder).toBe('/From XenCenter');
    expect(emptyOnServer()).toBe('/Empty/One');
    await node('the VM in the folder', (n) => n.id === vm.id && n.props.folder === '/From XenCenter');
    expect((await core.invoke('labels:folder', [vm.id], null)).failed).toEqual([]);
    expect((xapi.db.get('VM', vm.nativeRef)!.other_config as Record<string, string>).folder).toBeUndefined();
    expect(emptyOnServer()).toBe('/Empty/One;/From XenCenter');
  });

  it('renames and deletes empty folders on the server', async () => {
    await poolNode('both empty folders', (f) => Array.isArray(f) && f.length === 2);
    expect((await core.invoke('labels:renameFolder', '/Empty', '/Spare')).failed).toEqual([]);
    // each entry renamed where it stands in the list
    expect(emptyOnServer()).toBe('/Spare/One;/From XenCenter');
    await poolNode('the renamed empty folder', (f) => Array.isArray(f) && f.includes('/Spare/One'));
    expect((await core.invoke('labels:renameFolder', '/Spare', null)).failed).toEqual([]);
    expect(emptyOnServer()).toBe('/From XenCenter');
  });

  it('keeps an empty folder in the profile for a platform without folders, until a guest moves in', async () => {
    expect(await core.invoke('labels:createFolder', '/Lab/Empty', null)).toBe('/Lab/Empty');
    expect(JSON.parse(readFileSync(path.join(home, 'labels.json'), 'utf8')).emptyFolders).toEqual(['/Lab/Empty']);
    expect(await failure(core.invoke('labels:createFolder', '/Lab/Empty', serverIds.proxmox!))).toMatchObject({ code: 'UNSUPPORTED' });
    const guest = await node('a Proxmox guest', (n) => n.serverId === serverIds.proxmox && (n.kind === 'vm' || n.kind === 'container'));
    const before = (await core.invoke('labels:own')).folders[guest.id];
    expect((await core.invoke('labels:folder', [guest.id], '/Lab/Empty')).failed).toEqual([]);
    const file = JSON.parse(readFileSync(path.join(home, 'labels.json'), 'utf8'));
    expect(file.folders[guest.id]).toBe('/Lab/Empty');
    // /Lab/Empty holds the guest now; the folder the guest came from is left empty and kept
    expect(file.emptyFolders).toEqual(before ? [before] : undefined);
  });
});

describe('saved searches in the profile', () => {
  it('saves, refuses a second of the same name, exports and imports', async () => {
    const saved = await core.invoke('searches:save', { name: 'Running prod', query: 'tag:prod state:running' });
    expect(saved).toMatchObject({ name: 'Running prod', query: 'tag:prod state:running' });
    expect(await failure(core.invoke('searches:save', { name: 'running PROD', query: 'x' }))).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
    const exported = await core.invoke('searches:export');
    expect(JSON.parse(exported)).toEqual({ format: 'polyvisor-saved-searches', version: 1, searches: [{ name: 'Running prod', query: 'tag:prod state:running' }] });
    await core.invoke('searches:remove', saved.id);
    const again = JSON.stringify({ format: 'polyvisor-saved-searches', version: 1, searches: [{ name: 'Running prod', query: 'tag:prod state:running' }, { name: 'Big', query: 'memory>4GiB' }] });
    expect(await core.invoke('searches:import', again)).toEqual({ added: 2, skipped: 0, refused: 0, notes: [] });
    expect(await core.invoke('searches:import', again)).toEqual({ added: 0, skipped: 2, refused: 0, notes: [] });
    expect((await core.invoke('searches:list')).map((s) => s.name)).toEqual(['Running prod', 'Big']);
    expect(await failure(core.invoke('searches:import', '<?xml version="1.0"?><Other/>'))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(JSON.parse(readFileSync(path.join(home, 'searches.json'), 'utf8')).searches).toHaveLength(2);
  });

  it('imports XenCenter searches (.xensearch), naming a host given by uuid from the connected pool, and exports them back', async () => {
    const [hostRef, host] = [...xapi.db.records('host')][0]!;
    // as XenCenter's SearchMarshalling writes a "Server is <host>" search and one it has no equivalent for
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE XenSearch PUBLIC "-//XENSEARCH//DTD XENSEARCH 1//EN" "XenSearch-1.dtd">
<Searches xmlns="http://www.citrix.com/XenCenter/XenSearch/schema">
    <Search uuid="1c9e2f0a-5b1d-4e55-a0a4-7d9d6c1c2e01" name="On the first host" major_version="2" minor_version="0">
        <Query>
            <QueryScope>
                <VM />
            </QueryScope>
            <XenModelObjectPropertyQuery property="host" equals="yes" uuid="${String(host.uuid)}" />
        </Query>
        <sorting />
    </Search>
    <Search uuid="1c9e2f0a-5b1d-4e55-a0a4-7d9d6c1c2e02" name="HA restart" major_version="2" minor_version="0">
        <Query>
            <QueryScope>
                <VM />
            </QueryScope>
            <EnumPropertyQuery property="ha_restart_priority" equals="yes" query="Restart" />
        </Query>
        <sorting />
    </Search>
</Searches>
`;
    const result = await core.invoke('searches:import', xml);
    expect(result).toEqual({ added: 1, skipped: 0, refused: 1, notes: [{ search: 'HA restart', kind: 'unsupported', what: 'EnumPropertyQuery ha_restart_priority' }] });
    const saved = (await core.invoke('searches:list')).find((s) => s.name === 'On the first host')!;
    expect(saved.query).toBe(`type:vm host=${String(host.name_label)}`);
    // what it finds is the simulator's own list of VMs resident on that host
    const parsed = parseQuery(saved.query);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const nodes = await core.invoke('inventory:get');
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const found = nodes.filter((n) => n.serverId === serverIds.xenserver && !n.controlDomain && compileQuery(parsed.query)(subjectOf(n, byId, 'Lab pool'))).map((n) => n.nativeRef).sort();
    const resident = [...xapi.db.records('VM')].filter(([, r]) => r.resident_on === hostRef && !r.is_control_domain && !r.is_a_template && !r.is_a_snapshot).map(([ref]) => ref).sort();
    expect(found).toEqual(resident);
    const exported = await core.invoke('searches:exportXenSearch', [saved.id]);
    expect(exported.left).toEqual([]);
    expect(exported.content).toContain(`<StringPropertyQuery property="label" casesensitive="no" query="${String(host.name_label)}" type="exactmatch" />`);
  });

  it('keeps an unreadable labels file aside and reports it at the next start', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-views-corrupt-'));
    try {
      writeFileSync(path.join(other, 'labels.json'), '{"version":1,"tags":');
      const c = await createAppCore('web', { home: other, secrets: new MemorySecretStore(), providers: [] });
      const info = await c.invoke('app:info');
      expect(info.storeProblems.some((p) => p.file.endsWith('labels.json') && p.keptAs !== '')).toBe(true);
      expect(await c.invoke('labels:own')).toEqual({ tags: {}, folders: {} });
      expect(readdirSync(other).some((f) => f.startsWith('labels.json') && f !== 'labels.json')).toBe(true);
      expect(existsSync(path.join(other, 'labels.json'))).toBe(false);
      await c.stop();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
