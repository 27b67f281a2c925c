// `polyvisor migrate`, `host …` as real processes against the XAPI simulator (a
// temporary profile, a private gnome-keyring): every command's outcome is read back
// from the simulator's own records (resident_on, host.enabled, host_metrics.live).

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason, startKeyringSession, type KeyringSession } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { bundleCli, type CliBundle } from './cli-bundle';

const keyringMissing = keyringUnavailableReason();

let tmp: string;
let bundle: CliBundle;
let keyring: KeyringSession;
let xs: XapiSimulator;
/** another pool, for a cross-pool storage migration */
let far: XapiSimulator;

const cli = (args: string[], stdin?: string) => bundle.run(args, { ...keyring.env, POLYVISOR_HOME: path.join(tmp, 'profile'), HOME: tmp }, stdin);
const farVm = (name: string) => [...far.db.records('VM').entries()].find(([, r]) => r.name_label === name && !r.is_a_snapshot && !r.is_a_template);

async function ok(args: string[], stdin?: string): Promise<{ stdout: string; stderr: string }> {
  const r = await cli(args, stdin);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

function vmRecord(name: string) {
  const vm = [...xs.db.records('VM').values()].find((r) => r.name_label === name && !r.is_a_snapshot && !r.is_a_template);
  if (!vm) throw new Error(`no VM ${name}`);
  return vm;
}
const residentOn = (vm: string) => String(xs.db.get('host', String(vmRecord(vm).resident_on))?.name_label ?? '');
const host = (name: string) => [...xs.db.records('host').values()].find((r) => r.name_label === name)!;
const live = (name: string) => xs.db.get('host_metrics', String(host(name).metrics))?.live;

beforeAll(async () => {
  if (keyringMissing) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-cli-migration-'));
  // host-01 runs vm-00001 (its disk on host-01's local SR), vm-00003 and vm-00005; host-02 runs none
  [keyring, xs, far, bundle] = await Promise.all([
    startKeyringSession(),
    startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 0, localDiskVms: 1 }, taskDurationMs: 60 }),
    startXapiSimulator({ generate: { hosts: 1, vms: 1, snapshots: 0, localStorage: true }, poolName: 'Far pool', taskDurationMs: 60 }),
    bundleCli(),
  ]);
});

afterAll(async () => {
  await Promise.all([xs?.stop(), far?.stop(), keyring?.stop()]);
  bundle?.remove();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor migrate and host … against the XAPI simulator', { timeout: 120_000 }, () => {
  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', xs.host, '--port', String(xs.port), '--user', 'root', '--name', 'xs', '--accept-fingerprint', xs.fingerprint256, '--password-stdin'], 'password\n');
    expect([residentOn('vm-00001'), residentOn('vm-00003'), residentOn('vm-00005')]).toEqual(['host-01', 'host-01', 'host-01']);
  });

  it('migrate moves a running VM to the other host (--json says so, resident_on agrees)', async () => {
    const { stdout } = await ok(['migrate', 'vm-00003', '--to', 'host-02', '--json']);
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ vm: 'vm-00003', host: 'host-02', status: 'success' })]);
    expect(residentOn('vm-00003')).toBe('host-02');
  });

  it("refuses a VM with a local disk before anything starts, with the server's code; unknown names and missing --to fail too", async () => {
    const local = await cli(['migrate', 'vm-00001', '--to', 'host-02']);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/SERVER_ERROR VM_REQUIRES_SR .*vm-00001 cannot move to host-02/);
    expect(residentOn('vm-00001')).toBe('host-01');

    const unknown = await cli(['migrate', 'vm-00005', '--to', 'host-99']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/NOT_FOUND: No host "host-99"/);
    const usage = await cli(['migrate', 'vm-00005']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('migrate: --to <host> is required');
  });

  it('host evacuate --dry-run prints the plan: where each VM goes, and what cannot move', async () => {
    const r = await cli(['host', 'evacuate', 'host-01', '--dry-run']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('vm-00005 → host-02');
    expect(r.stdout).toMatch(/vm-00001: cannot move: SERVER_ERROR VM_REQUIRES_SR/);
    expect(r.stderr).toContain('host-01 cannot be evacuated');
    expect(residentOn('vm-00005')).toBe('host-01');
  });

  it('host maintenance enter moves the VMs off and disables the host; exit enables it', async () => {
    await ok(['host', 'maintenance', 'enter', 'host-02']);
    expect(host('host-02').enabled).toBe(false);
    expect(residentOn('vm-00003')).toBe('host-01');
    await ok(['host', 'maintenance', 'exit', 'host-02']);
    expect(host('host-02').enabled).toBe(true);
  });

  it('host reboot refuses while VMs run; an empty host shuts down and powers on again', async () => {
    const busy = await cli(['host', 'reboot', 'host-01']);
    expect(busy.code).toBe(1);
    expect(residentOn('vm-00005')).toBe('host-01');
    expect(live('host-01')).toBe(true);

    await ok(['host', 'shutdown', 'host-02']);
    expect(live('host-02')).toBe(false);
    await ok(['host', 'power-on', 'host-02']);
    expect(live('host-02')).toBe(true);
  });

  it('migrate --storage across pools: the VM lands on the other pool in the SR named, an unknown SR is refused naming --storage', async () => {
    const farId = (await ok(['server', 'add', '--type', 'xenserver', '--host', far.host, '--port', String(far.port), '--user', 'root', '--name', 'far', '--accept-fingerprint', far.fingerprint256, '--password-stdin'], 'password\n')).stdout.trim();
    const [farHostRef] = [...far.db.records('host').keys()];
    const target = `${farId}:host:${farHostRef}`;
    const wrong = await cli(['migrate', 'vm-00005', '--to', target, '--storage', 'Tape library']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/INVALID_INPUT: --storage "Tape library" is not a storage of the target\. Offered: .*Local storage on host-01/);
    expect(residentOn('vm-00005')).toBe('host-01');

    await ok(['migrate', 'vm-00005', '--to', target, '--storage', 'Local storage on host-01']);
    const landed = farVm('vm-00005');
    expect(landed?.[1]).toMatchObject({ power_state: 'Running', resident_on: farHostRef });
    const srs = [...far.db.records('VBD').values()]
      .filter((b) => b.VM === landed![0] && b.type === 'Disk')
      .map((b) => far.db.get('SR', String(far.db.get('VDI', String(b.VDI))?.SR))?.name_label);
    expect(srs).toEqual(['Local storage on host-01']);
    expect([...xs.db.records('VM').values()].some((r) => r.name_label === 'vm-00005' && !r.is_a_snapshot && !r.is_a_template)).toBe(false);
  });
});
