// `polyvisor disk add|attach|resize|detach` (issue 16) as real processes against the XAPI
// simulator: each change read back from the simulator's VDI and VBD records.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();
const GiB = 1024 ** 3;

let profile: CliProfile;
let sim: XapiSimulator;

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-disks'), startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, taskDurationMs: 60 })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor disk against the XAPI simulator', { timeout: 120_000 }, () => {
  const halted = () => [...sim.db.records('VM')].find(([, v]) => !v.is_a_template && !v.is_control_domain && v.power_state === 'Halted')!;
  const sharedSr = () => [...sim.db.records('SR')].find(([, r]) => r.shared === true && r.content_type !== 'iso')!;
  const vdiNamed = (name: string) => [...sim.db.records('VDI')].find(([, v]) => v.name_label === name);
  const vbdOf = (vm: string, vdi: string) => [...sim.db.records('VBD').values()].find((b) => b.VM === vm && b.VDI === vdi);

  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'lab', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('disk add makes a VDI of that size on the SR and attaches it', async () => {
    const [vmRef, vm] = halted();
    const [srRef, sr] = sharedSr();
    const r = await ok(['disk', 'add', String(vm.name_label), '--size', '4GiB', '--storage', String(sr.name_label), '--name', 'cli data', '--server', 'lab']);
    expect(r.stderr).toContain('new 4 GiB disk');
    const [vdiRef, vdi] = vdiNamed('cli data')!;
    expect(vdi).toMatchObject({ SR: srRef, virtual_size: 4 * GiB });
    expect(vbdOf(vmRef, vdiRef)).toBeDefined();
  });

  it('disk resize grows it by +2 (GiB), and refuses a smaller size before asking the server', async () => {
    const [, vm] = halted();
    await ok(['disk', 'resize', String(vm.name_label), 'cli data', '--size', '+2', '--server', 'lab']);
    expect(Number(vdiNamed('cli data')![1].virtual_size)).toBe(6 * GiB);
    const r = await cli(['disk', 'resize', String(vm.name_label), 'cli data', '--size', '1GiB', '--server', 'lab']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('only grows');
    expect(Number(vdiNamed('cli data')![1].virtual_size)).toBe(6 * GiB);
  });

  it('disk detach keeps the VDI; disk attach lists it free and attaches it again', async () => {
    const [vmRef, vm] = halted();
    await ok(['disk', 'detach', String(vm.name_label), 'cli data', '--server', 'lab']);
    const [vdiRef] = vdiNamed('cli data')!;
    expect(vbdOf(vmRef, vdiRef)).toBeUndefined();
    const free = JSON.parse((await ok(['disk', 'attach', String(vm.name_label), '--json', '--server', 'lab'])).stdout) as Array<{ id: string; name: string; sizeBytes: number }>;
    expect(free).toContainEqual(expect.objectContaining({ id: vdiRef, name: 'cli data', sizeBytes: 6 * GiB }));
    await ok(['disk', 'attach', String(vm.name_label), 'cli data', '--server', 'lab']);
    expect(vbdOf(vmRef, vdiRef)).toBeDefined();
  });

  it('disk detach --delete destroys the VDI; an unknown disk names the VM’s disks', async () => {
    const [vmRef, vm] = halted();
    const [vdiRef] = vdiNamed('cli data')!;
    await ok(['disk', 'detach', String(vm.name_label), 'cli data', '--delete', '--server', 'lab']);
    expect(sim.db.get('VDI', vdiRef)).toBeUndefined();
    expect(vbdOf(vmRef, vdiRef)).toBeUndefined();
    const r = await cli(['disk', 'detach', String(vm.name_label), 'no such disk', '--server', 'lab']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no disk "no such disk"');
  });
});
