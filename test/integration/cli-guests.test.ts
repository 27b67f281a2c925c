// `polyvisor vm create|show|set|clone|template|delete` as real processes against the
// XAPI simulator (a temporary profile, a private gnome-keyring): every command's effect
// is read back from the simulator's own records (VM, VBD, VDI, VIF), never from the CLI.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { GENERATED_ISOS } from '../sim/xapi/generate';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();
const GiB = 1024 ** 3;
const NETWORK = 'Pool-wide network associated with eth0';
const LOCAL_SR = 'Local storage on host-01';
const ISO = GENERATED_ISOS[0];

let profile: CliProfile;
let xs: XapiSimulator;

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

type Rec = Record<string, unknown>;
const rec = (cls: string, ref: string) => xs.db.get(cls, ref) as Rec | undefined;
/** the VM (or template) of that name in the simulator, by its ref */
function vmRef(name: string): string | undefined {
  return [...xs.db.records('VM')].find(([, r]) => r.name_label === name && !r.is_a_snapshot)?.[0];
}
const vm = (name: string) => rec('VM', vmRef(name)!)!;
const vbds = (name: string) => (vm(name).VBDs as string[]).map((b) => rec('VBD', b)!);
const diskVdis = (name: string) => vbds(name).filter((b) => b.type === 'Disk').map((b) => String(b.VDI));
const srName = (vdi: string) => String(rec('SR', String(rec('VDI', vdi)!.SR))!.name_label);

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, xs] = await Promise.all([
    openCliProfile('cli-guests'),
    startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 2, localStorage: true, isoLibrary: true }, taskDurationMs: 40 }),
  ]);
});

afterAll(async () => {
  await Promise.all([xs?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor vm … against the XAPI simulator', { timeout: 180_000 }, () => {
  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', xs.host, '--port', String(xs.port), '--user', 'root', '--name', 'xs', '--accept-fingerprint', xs.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('vm create: from a template with two disks (one on the storage named), a network, an ISO, vCPUs and a dynamic range', async () => {
    const { stdout } = await ok([
      'vm', 'create', '--template', 'Debian Bookworm 12', '--name', 'web-new', '--vcpus', '4', '--memory', '4GiB', '--memory-dynamic', '2GiB..4GiB',
      '--disk', '12GiB', '--disk', `5GiB@${LOCAL_SR}`, '--network', NETWORK, '--iso', ISO, '--json',
    ]);
    const made = JSON.parse(stdout) as { id: string; name: string; status: string };
    expect(made).toMatchObject({ name: 'web-new', status: 'success' });
    const ref = vmRef('web-new')!;
    expect(made.id).toContain(ref);
    const record = vm('web-new');
    expect(record).toMatchObject({ is_a_template: false, power_state: 'Halted' });
    expect(Number(record.VCPUs_at_startup)).toBe(4);
    expect([record.memory_static_max, record.memory_dynamic_min, record.memory_dynamic_max].map(Number)).toEqual([4 * GiB, 2 * GiB, 4 * GiB]);
    const disks = diskVdis('web-new').map((vdi) => [Number(rec('VDI', vdi)!.virtual_size) / GiB, srName(vdi)]);
    expect(disks.sort()).toEqual([[12, 'Shared NFS storage'], [5, LOCAL_SR]].sort());
    const vifs = (record.VIFs as string[]).map((v) => rec('network', String(rec('VIF', v)!.network))!.name_label);
    expect(vifs).toEqual([NETWORK]);
    const cd = vbds('web-new').find((b) => b.type === 'CD');
    expect(rec('VDI', String(cd?.VDI))?.name_label).toBe(ISO);
  });

  it('vm create refuses what the server does not offer, listing what it does, and bad sizes naming the option', async () => {
    const before = xs.db.records('VM').size;
    const template = await cli(['vm', 'create', '--template', 'Plan 9', '--name', 'x']);
    expect(template.code).toBe(1);
    expect(template.stderr).toMatch(/INVALID_INPUT: --template "Plan 9" is not offered by xs\. Offered:[\s\S]*Debian Bookworm 12/);
    const storage = await cli(['vm', 'create', '--template', 'Debian Bookworm 12', '--name', 'x', '--disk', '8GiB@Tape library']);
    expect(storage.code).toBe(1);
    expect(storage.stderr).toMatch(/--disk "Tape library" is not offered by xs\. Offered:[\s\S]*Shared NFS storage/);
    const size = await cli(['vm', 'create', '--template', 'Debian Bookworm 12', '--name', 'x', '--memory', '4 GiBs']);
    expect(size.code).toBe(2);
    expect(size.stderr).toContain('--memory: "GiBs" is not a unit of size');
    const range = await cli(['vm', 'create', '--template', 'Debian Bookworm 12', '--name', 'x', '--memory-dynamic', '4GiB..2GiB']);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('--memory-dynamic: the range 4GiB..2GiB starts above its end');
    expect(xs.db.records('VM').size).toBe(before);
  });

  it('vm show prints the properties as the server has them', async () => {
    const { stdout } = await ok(['vm', 'show', 'web-new', '--json']);
    const props = JSON.parse(stdout);
    expect(props).toMatchObject({ name: 'web-new', vcpus: 4, memory: { sizeBytes: 4 * GiB, dynamicMinBytes: 2 * GiB, dynamicMaxBytes: 4 * GiB } });
    expect(props.cd).toMatchObject({ isoName: ISO });
    const text = await ok(['vm', 'show', 'web-new']);
    expect(text.stdout).toMatch(/Memory dynamic range:\s+2 GiB \.\. 4 GiB/);
  });

  it('vm set: name, description, dynamic range and eject, read back from the VM record', async () => {
    await ok(['vm', 'set', 'web-new', '--name', 'web-1', '--description', 'front end', '--memory-dynamic', '1GiB..3GiB', '--eject']);
    const record = vm('web-1');
    expect(record.name_description).toBe('front end');
    expect([record.memory_dynamic_min, record.memory_dynamic_max].map(Number)).toEqual([GiB, 3 * GiB]);
    expect(vbds('web-1').find((b) => b.type === 'CD')).toMatchObject({ empty: true });
  });

  it("vm set: an out-of-order range is XAPI's MEMORY_CONSTRAINT_VIOLATION and changes nothing", async () => {
    const r = await cli(['vm', 'set', 'web-1', '--memory-dynamic', '256MiB..3GiB']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/MEMORY_CONSTRAINT_VIOLATION/);
    expect([vm('web-1').memory_dynamic_min, vm('web-1').memory_dynamic_max].map(Number)).toEqual([GiB, 3 * GiB]);
  });

  it('vm clone: a fast clone and a full copy, each a VM of its own with disks of its own', async () => {
    const fast = JSON.parse((await ok(['vm', 'clone', 'web-1', '--name', 'web-fast', '--json'])).stdout);
    expect(fast).toMatchObject({ name: 'web-fast', status: 'success' });
    const full = JSON.parse((await ok(['vm', 'clone', 'web-1', '--name', 'web-full', '--full', '--json'])).stdout);
    expect(full.id).toContain(vmRef('web-full'));
    for (const copy of ['web-fast', 'web-full']) {
      expect(vm(copy).is_a_template).toBe(false);
      expect(diskVdis(copy)).toHaveLength(2);
      expect(diskVdis(copy).filter((v) => diskVdis('web-1').includes(v))).toEqual([]);
    }
  });

  it('vm template converts the VM into a template', async () => {
    await ok(['vm', 'template', 'web-fast']);
    expect(vm('web-fast').is_a_template).toBe(true);
  });

  it('vm create --template of a custom template grows its disks (VDI.resize); a smaller one is refused naming the disk', async () => {
    const MiB = 1024 ** 2;
    const sizes = diskVdis('web-fast').map((v) => Number(rec('VDI', v)!.virtual_size));
    const disks = (first: number) => [first, ...sizes.slice(1)].flatMap((bytes) => ['--disk', `${bytes / MiB}MiB`]);
    const smaller = await cli(['vm', 'create', '--template', 'web-fast', '--name', 'web-small', ...disks(sizes[0] - 512 * MiB)]);
    expect(smaller.code).not.toBe(0);
    expect(smaller.stderr).toMatch(/INVALID_INPUT: A disk cannot shrink: the template's disk 1 \(.+\) is \d+(\.\d+)? GiB, so the new guest's cannot be/);
    expect(vmRef('web-small')).toBeUndefined();
    await ok(['vm', 'create', '--template', 'web-fast', '--name', 'web-grown', ...disks(sizes[0] + 1024 * MiB)]);
    expect(diskVdis('web-grown').map((v) => Number(rec('VDI', v)!.virtual_size))).toEqual([sizes[0] + 1024 * MiB, ...sizes.slice(1)]);
    expect(diskVdis('web-fast').map((v) => Number(rec('VDI', v)!.virtual_size))).toEqual(sizes);
  });

  it('vm delete without a terminal and without --yes prints the plan and deletes nothing', async () => {
    const r = await cli(['vm', 'delete', 'web-full']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^web-full\n {2}destroy /);
    // a full copy puts every disk on the pool's default SR
    expect(r.stdout).toMatch(/^ {2}destroy .+ {2}12 GiB on Shared NFS storage$/m);
    expect(r.stdout).toMatch(/^ {2}destroy .+ {2}5 GiB on Shared NFS storage$/m);
    expect(r.stderr).toContain('vm delete: there is no terminal to ask on; give --yes');
    expect(vmRef('web-full')).toBeDefined();
  });

  it('vm delete --keep-disks leaves the disks in the SR; without it they go', async () => {
    const kept = diskVdis('web-full');
    await ok(['vm', 'delete', 'web-full', '--keep-disks', '--yes']);
    expect(vmRef('web-full')).toBeUndefined();
    expect(kept.map((v) => rec('VDI', v) !== undefined)).toEqual([true, true]);

    const gone = diskVdis('web-fast');
    await ok(['vm', 'delete', 'web-fast', '--yes']);
    expect(vmRef('web-fast')).toBeUndefined();
    expect(gone.map((v) => rec('VDI', v) !== undefined)).toEqual([false, false]);
  });

  it('vm delete of a running VM needs --force; its snapshots go with it', async () => {
    const running = [...xs.db.records('VM').values()].find((r) => r.power_state === 'Running' && !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain && (r.snapshots as string[]).length > 0)!;
    const name = String(running.name_label);
    const snapshots = [...(running.snapshots as string[])];
    const refused = await cli(['vm', 'delete', name, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`vm delete: ${name} is running: shut it down first, or give --force`);
    expect(vmRef(name)).toBeDefined();

    const r = await ok(['vm', 'delete', name, '--force', '--yes']);
    expect(r.stdout).toMatch(new RegExp(`${name} \\(running, ${snapshots.length} snapshots? deleted with it\\)`));
    expect(vmRef(name)).toBeUndefined();
    expect(snapshots.map((s) => rec('VM', s) !== undefined)).toEqual(snapshots.map(() => false));
  });
});
