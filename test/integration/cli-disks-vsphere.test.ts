// `polyvisor disk detach|attach` on a vCenter VM (issue 16) as real processes against vcsim
// (VPX model, a temporary profile, a private gnome-keyring): a disk detached and kept is
// listed as a free disk file (its datastore, no size: vcsim 0.24 reports none) and attached
// again by its path; each change read back from the VM's devices through an independent
// SOAP session (RawSoap), never from the CLI.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { buildVcsim, startVcsim, vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { openCliProfile, type CliProfile } from './cli-profile';
import { RawSoap, text } from './vsphere/raw-soap';
import { list, type Node } from './vsphere/vm-readback';

const missing = keyringUnavailableReason() ?? vcsimUnavailableReason();
const VM = 'DC0_H0_VM1';

let profile: CliProfile;
let vc: Vcsim;
let raw: RawSoap;

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

async function serverDisks(): Promise<Array<{ label: string; file: string }>> {
  const vm = (await raw.objects('VirtualMachine', ['name', 'config.hardware.device'])).find((v) => text(v.props.name) === VM)!;
  return list((vm.props['config.hardware.device'] as Node).VirtualDevice)
    .filter((d) => d['@_type'] === 'VirtualDisk')
    .map((d) => ({ label: text((d.deviceInfo as Node).label), file: text((d.backing as Node).fileName) }));
}

beforeAll(async () => {
  if (missing) return;
  await buildVcsim();
  [profile, vc] = await Promise.all([
    openCliProfile('cli-disks-vsphere'),
    startVcsim({ model: 'vpx', datacenters: 1, clusters: 1, hosts: 1, standaloneHosts: 1, vms: 2, datastores: 1, username: 'administrator', password: 'vc-secret' }),
  ]);
  raw = new RawSoap(vc);
  await raw.login();
}, 600_000);

afterAll(async () => {
  await raw?.logout().catch((err: unknown) => console.warn('RawSoap logout', err));
  await Promise.all([vc?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(missing))('polyvisor disk attach against vcsim', { timeout: 180_000 }, () => {
  it('adds the vCenter; no disk file is free while every VM uses its own', async () => {
    await ok(['server', 'add', '--type', 'vsphere', '--host', vc.host, '--port', String(vc.port), '--user', 'administrator', '--name', 'vc', '--accept-fingerprint', vc.fingerprint256, '--password-stdin'], 'vc-secret\n');
    expect(JSON.parse((await ok(['disk', 'attach', VM, '--json'])).stdout)).toEqual([]);
  });

  it('disk detach keeps the file; disk attach lists it with its datastore and attaches it again by its path', async () => {
    const [disk] = await serverDisks();
    await ok(['disk', 'detach', VM, disk!.label]);
    expect(await serverDisks()).toEqual([]);

    const free = JSON.parse((await ok(['disk', 'attach', VM, '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(free).toEqual([{ id: disk!.file, name: disk!.file.replace(/^\[[^\]]*\] /, ''), storageName: 'LocalDS_0' }]);
    const table = (await ok(['disk', 'attach', VM])).stdout;
    expect(table).toMatch(/DISK\s+SIZE\s+STORAGE\s+ID/);
    expect(table).toContain('not reported');

    const r = await ok(['disk', 'attach', VM, disk!.file]);
    expect(r.stderr).toContain(`is attached to ${VM}`);
    expect((await serverDisks()).map((d) => d.file)).toEqual([disk!.file]);
    expect(JSON.parse((await ok(['disk', 'attach', VM, '--json'])).stdout)).toEqual([]);
  });

  it('a disk file another VM uses is not free: the CLI names the free ones (none) and the VM keeps its disks', async () => {
    const other = (await raw.objects('VirtualMachine', ['name', 'config.hardware.device'])).find((v) => text(v.props.name) !== VM && text(v.props.name).startsWith('DC0_H0'))!;
    const file = text((list((other.props['config.hardware.device'] as Node).VirtualDevice).find((d) => d['@_type'] === 'VirtualDisk')!.backing as Node).fileName);
    const r = await cli(['disk', 'attach', VM, file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no free disk');
    expect(await serverDisks()).toHaveLength(1);
  });
});
