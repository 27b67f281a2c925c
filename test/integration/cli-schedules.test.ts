// `polyvisor schedule …` and `snapshot rename|clone` as real processes: a temporary
// profile, a private gnome-keyring, the Proxmox simulator (Polyvisor runs the
// policy) and the XAPI simulator (the server runs it: a VMSS). Every command is
// read back from the simulators' own state and the profile's files.

import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRun, RunnerStatus, SnapshotPolicy, StoreProblem } from '../../shared/contract';
import { policyIdIn } from '../../shared/schedules';
import { createAppCore } from '../../electron/core/app-core';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { keyringUnavailableReason, startKeyringSession, type KeyringSession } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { bundleCli, type CliBundle } from './cli-bundle';

const keyringMissing = keyringUnavailableReason();
const HOUR = 3_600_000;

let tmp: string;
let home: string;
let bundle: CliBundle;
let keyring: KeyringSession;
let pve: ProxmoxSimulator;
let pve2: ProxmoxSimulator;
let xs: XapiSimulator;

/** A folder standing in for the user's home: the OS timer is installed there, never in the real one. */
let userHome: string;

const cli = (args: string[], stdin?: string, env: Record<string, string> = {}) =>
  bundle.run(args, { ...keyring.env, POLYVISOR_HOME: home, HOME: userHome, XDG_CONFIG_HOME: path.join(userHome, '.config'), XDG_RUNTIME_DIR: path.join(userHome, 'run'), ...env }, stdin);

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await cli(args, stdin);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout.trim();
}

const schedulesFile = () => JSON.parse(readFileSync(path.join(home, 'schedules.json'), 'utf8')) as { version: number; policies: Array<SnapshotPolicy & { scheduleFrom: string }> };

/** As if the computer had been off since two hours ago: the policy's schedule starts then (the profile's own field). */
function dueSinceTwoHours(policyId: string): void {
  const doc = schedulesFile();
  for (const p of doc.policies) if (p.id === policyId) p.scheduleFrom = new Date(Date.now() - 2 * HOUR).toISOString();
  writeFileSync(path.join(home, 'schedules.json'), JSON.stringify(doc, null, 2));
}

const pveGuest = (sim: ProxmoxSimulator, name: string) => [...sim.state.guests.values()].find((g) => g.name === name)!;
const policySnapshots = (sim: ProxmoxSimulator, vmid: number, policyId: string) => [...sim.state.guest(vmid)!.snapshots.values()].filter((s) => policyIdIn(s.description) === policyId);

beforeAll(async () => {
  if (keyringMissing) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-cli-schedules-'));
  home = path.join(tmp, 'profile');
  userHome = path.join(tmp, 'user');
  mkdirSync(path.join(userHome, 'run'), { recursive: true, mode: 0o700 });
  [keyring, pve, pve2, xs, bundle] = await Promise.all([
    startKeyringSession(),
    startProxmoxSimulator({ taskDurationMs: 30 }),
    startProxmoxSimulator({ taskDurationMs: 30 }),
    startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 1 }, taskDurationMs: 40 }),
    bundleCli(),
  ]);
});

afterAll(async () => {
  await Promise.all([pve?.stop(), pve2?.stop(), xs?.stop(), keyring?.stop()]);
  bundle?.remove();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor schedule … against the simulators', () => {
  let pveId: string;
  let xsId: string;
  let own: string;
  let onServer: string;
  const machine = () => pveGuest(pve, 'machine-test');

  it('adds a Proxmox VE and a XenServer server with their passwords in the keychain', async () => {
    pveId = await ok(['server', 'add', '--type', 'proxmox', '--host', pve.host, '--port', String(pve.port), '--user', 'root', '--name', 'pve', '--accept-fingerprint', pve.fingerprint256, '--password-stdin'], 'password\n');
    xsId = await ok(['server', 'add', '--type', 'xenserver', '--host', xs.host, '--port', String(xs.port), '--user', 'root', '--name', 'xs', '--accept-fingerprint', xs.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('schedule create on a Proxmox VM: Polyvisor\'s own policy, in the profile', async () => {
    own = await ok(['schedule', 'create', '--name', 'Hourly PVE', '--vm', 'machine-test', '--server', 'pve', '--type', 'disk', '--every', 'hourly', '--minute', '0', '--keep', '2', '--time-zone', 'Europe/Berlin']);
    expect(own).toMatch(/^polyvisor:[0-9a-f-]{36}$/);
    expect(schedulesFile()).toMatchObject({
      version: 1,
      policies: [{ id: own, name: 'Hourly PVE', type: 'disk', frequency: { every: 'hourly', minute: 0 }, retain: 2, enabled: true, timeZone: 'Europe/Berlin', members: [`${pveId}:vm:qemu/${machine().vmid}`] }],
    });
  });

  it('schedule create on a XenServer VM: a VMSS on the server', async () => {
    const vm = [...xs.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain)!;
    onServer = await ok(['schedule', 'create', '--name', 'Nightly XS', '--vm', `${xsId}:vm:${vm[0]}`, '--type', 'disk', '--every', 'weekly', '--days', 'mon,thu', '--at', '02:30', '--keep', '3']);
    const [ref, vmss] = [...xs.db.records('VMSS')][0];
    expect(onServer).toBe(`${xsId}:policy:${ref}`);
    expect(vmss).toMatchObject({ name_label: 'Nightly XS', frequency: 'weekly', schedule: { hour: '2', min: '30', days: 'Monday,Thursday' }, retained_snapshots: 3 });
    expect(xs.db.get('VM', vm[0])!.snapshot_schedule).toBe(ref);
  });

  it('schedule list shows both, who runs each, as a table and as JSON', async () => {
    const listed = JSON.parse(await ok(['schedule', 'list', '--json'])) as SnapshotPolicy[];
    expect(listed.map((p) => [p.id, p.runner.kind]).sort()).toEqual([
      [onServer, 'server'],
      [own, 'polyvisor'],
    ].sort());
    const table = await ok(['schedule', 'list']);
    expect(table).toMatch(/Hourly PVE +this computer +disk +hourly at :00 \(Europe\/Berlin\) +2 +yes/);
    expect(table).toMatch(/Nightly XS +xs +disk +weekly mon,thu at 02:30 \(UTC\) +3 +yes/);
  });

  it('schedule edit, disable and enable change the policy where it lives', async () => {
    await ok(['schedule', 'edit', 'Hourly PVE', '--keep', '3', '--description', 'edited']);
    expect(schedulesFile().policies[0]).toMatchObject({ retain: 3, description: 'edited' });
    await ok(['schedule', 'disable', 'Nightly XS']);
    expect([...xs.db.records('VMSS')][0][1].enabled).toBe(false);
    await ok(['schedule', 'disable', own]);
    expect(schedulesFile().policies[0].enabled).toBe(false);
    await ok(['schedule', 'enable', own]);
    await ok(['schedule', 'edit', own, '--keep', '2']);
    expect(schedulesFile().policies[0]).toMatchObject({ enabled: true, retain: 2 });
  });

  it('schedule run-now takes one snapshot now and prints what it did', async () => {
    const out = await ok(['schedule', 'run-now', 'Hourly PVE']);
    const [snap] = policySnapshots(pve, machine().vmid, own);
    expect(snap).toBeDefined();
    expect(out).toMatch(/run-now +success/);
    expect(out).toContain(`machine-test: took ${pveId}:snapshot:qemu/${machine().vmid}/${snap.name}`);
  });

  it('two run-due at the same minute take one snapshot between them; a third finds nothing due', async () => {
    dueSinceTwoHours(own);
    const before = policySnapshots(pve, machine().vmid, own).length;
    const [a, b] = await Promise.all([cli(['schedule', 'run-due']), cli(['schedule', 'run-due'])]);
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    expect(policySnapshots(pve, machine().vmid, own)).toHaveLength(before + 1);
    expect([a.stdout, b.stdout].filter((o) => o.includes('Hourly PVE'))).toHaveLength(1);
    const third = await cli(['schedule', 'run-due']);
    expect(third).toMatchObject({ code: 0, stdout: '' });
    expect(policySnapshots(pve, machine().vmid, own)).toHaveLength(before + 1);
  });

  it('schedule history lists each run, newest first', async () => {
    const runs = JSON.parse(await ok(['schedule', 'history', own, '--json'])) as PolicyRun[];
    expect(runs.map((r) => [r.trigger, r.outcome])).toEqual([
      ['catch-up', 'success'],
      ['run-now', 'success'],
    ]);
    expect(await ok(['schedule', 'history', 'Hourly PVE'])).toMatch(/catch-up +success[\s\S]*run-now +success/);
  });

  it('a background run that cannot get a password fails visibly, never asks, and the app shows it at its next start', async () => {
    const other = pveGuest(pve2, 'VM 200');
    await ok(['server', 'add', '--type', 'proxmox', '--host', pve2.host, '--port', String(pve2.port), '--user', 'root', '--name', 'pve-no-pw', '--accept-fingerprint', pve2.fingerprint256, '--no-remember', '--password-stdin'], 'password\n');
    const id = await ok(['schedule', 'create', '--name', 'No password', '--vm', 'VM 200', '--server', 'pve-no-pw', '--password-stdin', '--type', 'disk', '--every', 'hourly', '--keep', '1'], 'password\n');
    dueSinceTwoHours(id);
    const r = await cli(['schedule', 'run-due']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PASSWORD_REQUIRED/);
    expect(policySnapshots(pve2, other.vmid, id)).toEqual([]);
    const [run] = JSON.parse(await ok(['schedule', 'history', id, '--json'])) as PolicyRun[];
    expect(run).toMatchObject({ outcome: 'failure', items: [{ name: 'VM 200', error: { code: 'PASSWORD_REQUIRED' } }] });

    // the app opens on the same profile: the notice is there once
    const problems: StoreProblem[] = [];
    const app = await createAppCore('web', { home, secrets: new MemorySecretStore(), schedules: { timerMs: 0 } });
    app.on('store:problem', (p) => problems.push(p));
    await app.start();
    await app.stop();
    expect(problems.filter((p) => p.file === 'Scheduled snapshots').map((p) => p.message)).toEqual([expect.stringContaining('"No password" could not snapshot VM 200')]);
    const again: StoreProblem[] = [];
    const second = await createAppCore('web', { home, secrets: new MemorySecretStore(), schedules: { timerMs: 0 } });
    second.on('store:problem', (p) => again.push(p));
    await second.start();
    await second.stop();
    expect(again.filter((p) => p.file === 'Scheduled snapshots')).toEqual([]);
    await ok(['schedule', 'delete', id]);
  });

  it('schedule delete --delete-snapshots removes the policy and exactly its snapshots', async () => {
    const vmid = machine().vmid;
    const users = [...pve.state.guest(vmid)!.snapshots.values()].filter((s) => !policyIdIn(s.description)).map((s) => s.name);
    await ok(['schedule', 'delete', 'Hourly PVE', '--delete-snapshots']);
    expect(policySnapshots(pve, vmid, own)).toEqual([]);
    expect([...pve.state.guest(vmid)!.snapshots.values()].map((s) => s.name)).toEqual(users);
    expect(schedulesFile().policies).toEqual([]);
    await ok(['schedule', 'delete', onServer]);
    expect([...xs.db.records('VMSS')]).toEqual([]);
    const gone = await cli(['schedule', 'run-now', 'Hourly PVE']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/NOT_FOUND: No snapshot policy "Hourly PVE"/);
  });

  it('schedule install / status / uninstall put the OS timer in the user\'s folders (a temporary home here)', async () => {
    // where the machine has no systemd, the timer is a crontab line: a stand-in crontab keeps it in a file
    const bin = path.join(tmp, 'bin');
    mkdirSync(bin, { recursive: true });
    const crontab = path.join(tmp, 'crontab.txt');
    writeFileSync(path.join(bin, 'crontab'), `#!/bin/sh\nif [ "$1" = "-l" ]; then [ -f '${crontab}' ] || { echo "no crontab for $(id -un)" >&2; exit 1; }; cat '${crontab}'; else cat > '${crontab}'; fi\n`);
    chmodSync(path.join(bin, 'crontab'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH}` };

    const status = await cli(['schedule', 'status'], undefined, env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^OS timer: (systemd|cron), not installed/);
    const installed = await cli(['schedule', 'install'], undefined, env);
    expect(installed.code, installed.stderr).toBe(0);
    // the same CLI again: bin/polyvisor.js in a package, this test's bundle here
    expect(installed.stdout).toContain(`installed\nRuns: POLYVISOR_HOME=${home} ${process.execPath} ${bundle.file} schedule run-due`);
    const mechanism = /^OS timer: (\w+)/.exec(installed.stdout)![1] as RunnerStatus['mechanism'];
    if (mechanism === 'cron') {
      expect(readFileSync(crontab, 'utf8')).toMatch(new RegExp(`^\\*/5 \\* \\* \\* \\* POLYVISOR_HOME=${home.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} .* schedule run-due .*# polyvisor-schedules-`));
    } else {
      const unit = readFileSync(installed.stdout.split('\n').find((l) => l.trim().endsWith('.service'))!.trim(), 'utf8');
      expect(unit).toContain(`Environment="POLYVISOR_HOME=${home}"`);
    }
    const removed = await cli(['schedule', 'uninstall'], undefined, env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/not installed/);
    if (mechanism === 'cron') expect(readFileSync(crontab, 'utf8')).toBe('');
  });
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor snapshot rename | clone', () => {
  it('renames and re-describes a XenServer snapshot, and makes a new VM from it', async () => {
    const [ref, snap] = [...xs.db.records('VM')].find(([, r]) => r.is_a_snapshot)!;
    await ok(['snapshot', 'rename', `${snap.name_label as string}`, '--name', 'renamed-by-cli', '--description', 'edited by the CLI', '--server', 'xs']);
    expect(xs.db.get('VM', ref)).toMatchObject({ name_label: 'renamed-by-cli', name_description: 'edited by the CLI' });
    const created = await ok(['snapshot', 'clone', 'renamed-by-cli', '--name', 'from-a-snapshot', '--server', 'xs']);
    const copies = [...xs.db.records('VM')].filter(([, r]) => r.name_label === 'from-a-snapshot' && !r.is_a_snapshot && !r.is_a_template);
    expect(copies).toHaveLength(1);
    expect(created).toContain(copies[0][0]);
  });

  it('Proxmox VE: the description changes; a new name is refused with the reason', async () => {
    const vm = pveGuest(pve, 'machine-test');
    await ok(['snapshot', 'create', 'machine-test', '--name', 'to_edit', '--server', 'pve']);
    await ok(['snapshot', 'rename', 'to_edit', '--description', 'new words', '--server', 'pve']);
    expect(pve.state.guest(vm.vmid)!.snapshots.get('to_edit')!.description).toBe('new words');
    const refused = await cli(['snapshot', 'rename', 'to_edit', '--name', 'other_name', '--server', 'pve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/name/i);
    expect(pve.state.guest(vm.vmid)!.snapshots.has('to_edit')).toBe(true);
  });
});
