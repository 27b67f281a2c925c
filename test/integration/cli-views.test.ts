// `polyvisor tag|folder|search` as real processes against the XAPI simulator: a tag and a
// folder written by the CLI are read back from the simulator's VM record (tags,
// other_config "folder"), listed, found by the search language, and a malformed query is
// refused with its position; a host's tag where XenServer keeps it, too.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;

const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);
const vms = () => [...sim.db.records('VM')].filter(([, r]) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain).sort(([, a], [, b]) => String(a.name_label).localeCompare(String(b.name_label)));

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-views'), startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0 } })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor tag, folder and search against the XAPI simulator', { timeout: 120_000 }, () => {
  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'lab', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('tags two VMs and a host on the server, and lists the tags', async () => {
    const [[ref1, vm1], [ref2, vm2]] = vms();
    const [hostRef, host] = [...sim.db.records('host')][0]!;
    await ok(['tag', 'add', 'prod', String(vm1.name_label), String(vm2.name_label)]);
    await ok(['tag', 'add', 'rack-4', String(host.name_label)]);
    expect(sim.db.get('VM', ref1)!.tags).toEqual(['prod']);
    expect(sim.db.get('VM', ref2)!.tags).toEqual(['prod']);
    expect(sim.db.get('host', hostRef)!.tags).toEqual(['rack-4']);
    await ok(['tag', 'remove', 'prod', String(vm2.name_label)]);
    expect(sim.db.get('VM', ref2)!.tags).toEqual([]);
    const listed = JSON.parse((await ok(['tag', 'list', '--json'])).stdout) as Record<string, Array<{ name: string }>>;
    expect(Object.keys(listed).sort()).toEqual(['prod', 'rack-4']);
    expect(listed.prod!.map((o) => o.name)).toEqual([vm1.name_label]);
  });

  it('moves a VM to a folder in its other_config as XenCenter keeps it, renames the folder and takes it out', async () => {
    const [ref, vm] = vms()[2]!;
    await ok(['folder', 'move', String(vm.name_label), '--to', 'Production/Web']);
    expect((sim.db.get('VM', ref)!.other_config as Record<string, string>).folder).toBe('/Production/Web');
    expect((await ok(['folder', 'list'])).stdout).toMatch(/\/Production\/Web\s+vm-/);
    await ok(['folder', 'rename', '/Production', '/Prod']);
    expect((sim.db.get('VM', ref)!.other_config as Record<string, string>).folder).toBe('/Prod/Web');
    await ok(['folder', 'move', String(vm.name_label), '--none']);
    expect((sim.db.get('VM', ref)!.other_config as Record<string, string>).folder).toBeUndefined();
  });

  it('makes an empty folder in the pool’s other_config EMPTY_FOLDERS as XenCenter does, lists it and deletes it', async () => {
    const emptyFolders = () => ([...sim.db.records('pool')][0]![1].other_config as Record<string, string>).EMPTY_FOLDERS;
    // the folder the VM left above (/Prod/Web) is kept as an empty one, as XenCenter keeps it
    expect(emptyFolders()).toBe('/Prod/Web');
    await ok(['folder', 'create', 'Spare/Racks', '--on', 'lab']);
    expect(emptyFolders()).toBe('/Prod/Web;/Spare/Racks');
    expect((await ok(['folder', 'list'])).stdout).toMatch(/\/Spare\/Racks\s+\(empty\)/);
    const again = await profile.run(['folder', 'create', '/Spare/Racks', '--on', 'lab']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists');
    await ok(['folder', 'delete', '/Spare']);
    expect(emptyFolders()).toBe('/Prod/Web');
  });

  it('finds objects with the search language and names a mistake’s position', async () => {
    const [, vm1] = vms()[0]!;
    const found = JSON.parse((await ok(['search', 'type:vm tag:prod', '--json'])).stdout) as Array<{ name: string; kind: string }>;
    expect(found.map((n) => n.name)).toEqual([vm1.name_label]);
    const hosts = JSON.parse((await ok(['search', 'type:host OR tag:rack-4', '--json'])).stdout) as Array<{ kind: string }>;
    expect(hosts.map((n) => n.kind)).toEqual(['host', 'host']);
    const bad = await profile.run(['search', 'tag:prod (name:']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('has no value');
    expect(bad.stderr).toContain('               ^');
  });

  it('imports a XenCenter .xensearch file, naming what it cannot say, lists it and exports it as .xensearch again', async () => {
    const [, host] = [...sim.db.records('host')][0]!;
    // as XenCenter's SearchMarshalling writes "Server is <host>" (by uuid) and a filter on the tools' state
    const search = (name: string, filter: string) => `    <Search uuid="7d3b8f2e-1a4c-4f0e-9b6d-${name.length.toString().padStart(12, '0')}" name="${name}" major_version="2" minor_version="0">
        <Query>
            <QueryScope>
                <VM />
            </QueryScope>
            ${filter}
        </Query>
        <sorting />
    </Search>`;
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE XenSearch PUBLIC "-//XENSEARCH//DTD XENSEARCH 1//EN" "XenSearch-1.dtd">
<Searches xmlns="http://www.citrix.com/XenCenter/XenSearch/schema">
${search('On host', `<XenModelObjectPropertyQuery property="host" equals="yes" uuid="${String(host.uuid)}" />`)}
${search('Optimized', '<EnumPropertyQuery property="virtualisation_status" equals="yes" query="OPTIMIZED" />')}
</Searches>
`;
    const file = path.join(profile.dir, 'saved.xensearch');
    writeFileSync(file, xml);
    const imported = await ok(['searches', 'import', file]);
    expect(imported.stderr).toContain('Optimized: not imported, no equivalent of EnumPropertyQuery virtualisation_status');
    expect(imported.stderr).toContain('1 added, 0 already saved, 1 not imported.');
    const listed = JSON.parse((await ok(['searches', 'list', '--json'])).stdout) as Array<{ name: string; query: string }>;
    expect(listed.map((s) => [s.name, s.query])).toEqual([['On host', `type:vm host=${String(host.name_label)}`]]);
    const out = path.join(profile.dir, 'back.xensearch');
    await ok(['searches', 'export', '--xensearch', '--out', out]);
    const back = readFileSync(out, 'utf8');
    expect(back).toContain('<Search uuid=');
    expect(back).toContain(`<StringPropertyQuery property="label" casesensitive="no" query="${String(host.name_label)}" type="exactmatch" />`);
  });

  it('prints the inventory grouped as each view shows it: objects by type, tags, folders and a saved search', async () => {
    type Group = { group: string; count: number; groups: Group[]; objects: Array<{ name: string; kind: string }> };
    const view = async (name: string) => JSON.parse((await ok(['inventory', '--view', name, '--json'])).stdout) as Group[];
    const simVms = vms().map(([, r]) => String(r.name_label));
    const objects = await view('objects');
    expect(objects.find((g) => g.group === 'VMs')!.objects.map((o) => o.name)).toEqual(simVms);
    expect(objects.find((g) => g.group === 'Hosts')!.objects.map((o) => o.name).sort()).toEqual([...sim.db.records('host')].map(([, r]) => String(r.name_label)).sort());
    const [, first] = vms()[0]!;
    // tags and folders as the simulator's records hold them now
    const tagged = (tag: string) => [...sim.db.records('VM'), ...sim.db.records('host')].filter(([, r]) => (r.tags as string[]).includes(tag)).map(([, r]) => String(r.name_label)).sort();
    const tags = await view('tags');
    for (const g of tags) expect(g.objects.map((o) => o.name).sort()).toEqual(tagged(g.group));
    expect(tags.map((g) => g.group)).toContain('prod');
    await ok(['folder', 'move', String(first.name_label), '--to', '/Views/Web']);
    await ok(['folder', 'create', '/Views/Spare', '--on', 'lab']);
    const folders = await view('folders');
    const viewsFolder = folders.find((g) => g.group === 'Views')!;
    expect(viewsFolder.groups.map((g) => [g.group, g.count])).toEqual([['Spare', 0], ['Web', 1]]);
    expect(viewsFolder.groups[1]!.objects.map((o) => o.name)).toEqual([first.name_label]);
    expect((await ok(['inventory', '--view', 'folders'])).stdout).toMatch(/^Views \(1\)\n  Spare \(0\)\n  Web \(1\)\n    vm-/m);
    const saved = await view('search:On host');
    expect(saved).toHaveLength(1);
    expect(saved[0]!.objects.every((o) => o.kind === 'vm')).toBe(true);
    const bad = await profile.run(['inventory', '--view', 'search:nope']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('No saved search is called "nope"');
  });
});
