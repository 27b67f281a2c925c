// The CLI as a real process: a temporary profile (POLYVISOR_HOME), a private
// gnome-keyring on a throw-away D-Bus session, and the XAPI simulator as the server.
// Every command is checked against the simulator's own database.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import { boundAccount } from '../../electron/core/services/credentials';
import type { InventoryNode } from '../../shared/model';
import { keyringUnavailableReason, startKeyringSession, type KeyringSession } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { runCli, type CliRun } from '../cli-process';
import { bundleCli, type CliBundle } from './cli-bundle';

const PASSWORD = 'cli-s3cret-pw';
const keyringMissing = keyringUnavailableReason();

let tmp: string;
let home: string;
let bundle: CliBundle | undefined;
let keyring: KeyringSession;
let sim: XapiSimulator;

/** Runs the CLI (the bundle `npm run build:electron` makes; `viaBin` runs bin/polyvisor.js instead). */
function cli(args: string[], options: { stdin?: string; env?: Record<string, string>; viaBin?: boolean } = {}): Promise<CliRun> {
  return runCli(args, { entry: options.viaBin ? undefined : bundle!.file, stdin: options.stdin, env: { ...keyring.env, POLYVISOR_HOME: home, ...options.env } });
}

function vmRecords() {
  return [...sim.db.records('VM').entries()].map(([ref, r]) => ({ ref, ...r }) as { ref: string } & Record<string, unknown>);
}

function guestVms() {
  return vmRecords().filter((v) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain);
}

function snapshotNamed(name: string) {
  return vmRecords().filter((v) => v.is_a_snapshot && v.name_label === name);
}

const add = (extra: string[], stdin = `${PASSWORD}\n`) =>
  cli(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'lab', '--password-stdin', ...extra], { stdin });

beforeAll(async () => {
  if (keyringMissing) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-cli-'));
  home = path.join(tmp, 'profile');
  const [session, simulator, built] = await Promise.all([
    startKeyringSession(),
    startXapiSimulator({ generate: { hosts: 2, vms: 12, snapshots: 3 }, password: PASSWORD, poolName: 'CLI pool', taskDurationMs: 200 }),
    bundleCli(),
  ]);
  bundle = built;
  keyring = session;
  sim = simulator;
});

afterAll(async () => {
  await sim?.stop();
  await keyring?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  bundle?.remove();
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor CLI against the XAPI simulator', () => {
  let serverId: string;
  /** the keychain account of the saved password (bound to the server's endpoint) */
  let account = '';
  let inventory: InventoryNode[];

  it('refuses an unknown certificate, printing its fingerprint and how to accept it', async () => {
    const r = await add([]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('CERT_UNTRUSTED');
    expect(r.stderr).toContain(sim.fingerprint256);
    expect(r.stderr).toContain(`--accept-fingerprint ${sim.fingerprint256}`);
    // nothing is left behind, so the same command can be re-run
    expect(JSON.parse((await cli(['server', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('refuses a fingerprint that is not the presented one', async () => {
    const wrong = sim.fingerprint256.replace(/^../, sim.fingerprint256.startsWith('00') ? '11' : '00');
    const r = await add(['--accept-fingerprint', wrong]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('not the one the server presented');
  });

  it('fails with AUTH_FAILED and a non-zero exit code on a wrong password', async () => {
    const r = await add(['--accept-fingerprint', sim.fingerprint256], 'not-the-password\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/AUTH_FAILED/);
    expect(r.stderr).not.toContain('not-the-password');
  });

  it('never takes a password from argv', async () => {
    const r = await cli(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--user', 'root', '--password', PASSWORD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-stdin');
  });

  it('adds the server with the password on stdin and the pinned fingerprint', async () => {
    const r = await add(['--accept-fingerprint', sim.fingerprint256.replace(/:/g, '').toLowerCase()]);
    expect(r.stderr).not.toMatch(/polyvisor: /);
    expect(r.code).toBe(0);
    serverId = r.stdout.trim();

    const list = await cli(['server', 'list', '--json'], { viaBin: true });
    expect(list.code).toBe(0);
    const servers = JSON.parse(list.stdout) as ServerView[];
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({ id: serverId, name: 'lab', host: sim.host, port: sim.port, username: 'root', hasStoredPassword: true, pinnedFingerprint: sim.fingerprint256 });
    // the password is in the (private) OS keychain and in no file of the profile
    expect(keyring.lookup({ service: 'Polyvisor', username: boundAccount(servers[0]) })).toBe(PASSWORD);
    account = boundAccount(servers[0]);
    for (const file of filesUnder(home)) expect(readFileSync(file, 'utf8'), file).not.toContain(PASSWORD);
  });

  it('prints the inventory as JSON nodes that match the pool', async () => {
    const r = await cli(['inventory', '--json']);
    expect(r.stderr).not.toMatch(/polyvisor: /);
    expect(r.code).toBe(0);
    inventory = JSON.parse(r.stdout) as InventoryNode[];
    const names = (kind: string) => inventory.filter((n) => n.kind === kind && !n.controlDomain).map((n) => n.name).sort();

    expect(names('pool')).toEqual(['CLI pool']);
    expect(names('host')).toEqual([...sim.db.records('host').values()].map((h) => h.name_label as string).sort());
    expect(names('vm')).toEqual(guestVms().map((v) => v.name_label as string).sort());
    const simSnapshots = vmRecords().filter((v) => v.is_a_snapshot);
    expect(inventory.filter((n) => n.kind === 'snapshot').map((n) => n.nativeRef).sort()).toEqual(simSnapshots.map((s) => s.ref).sort());
    for (const vm of guestVms()) {
      const node = inventory.find((n) => n.kind === 'vm' && n.nativeRef === vm.ref)!;
      expect(node.state, vm.name_label as string).toBe(String(vm.power_state).toLowerCase());
    }
  });

  it('prints the inventory as an indented tree', async () => {
    const r = await cli(['inventory']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const indent = (prefix: string) => lines.find((l) => l.trimStart().startsWith(prefix))!.search(/\S/);
    expect(indent('server lab')).toBe(0);
    expect(indent('pool CLI pool')).toBe(2);
    const vm = guestVms()[0];
    expect(indent(`vm ${vm.name_label as string}`)).toBeGreaterThan(indent('pool CLI pool'));
    expect(r.stdout).not.toContain('Control domain');
  });

  it('creates, lists, reverts to and deletes a snapshot', async () => {
    const vm = guestVms().find((v) => v.power_state === 'Halted')!;
    const vmName = vm.name_label as string;

    const created = await cli(['snapshot', 'create', vmName, '--name', 'from-cli', '--description', 'made by the CLI test']);
    expect(created.stderr).not.toMatch(/polyvisor: /);
    expect(created.code).toBe(0);
    const [snap] = snapshotNamed('from-cli');
    expect(snap).toMatchObject({ snapshot_of: vm.ref, name_description: 'made by the CLI test' });
    expect(created.stdout.trim()).toBe(`${serverId}:snapshot:${snap.ref}`);
    expect(created.stderr).toMatch(/success/);

    const listed = await cli(['snapshot', 'list', vmName, '--json']);
    expect(listed.code).toBe(0);
    const snapshots = JSON.parse(listed.stdout) as InventoryNode[];
    expect(snapshots.map((s) => s.nativeRef).sort()).toEqual(vmRecords().filter((v) => v.is_a_snapshot && v.snapshot_of === vm.ref).map((v) => v.ref).sort());
    expect(snapshots.find((s) => s.name === 'from-cli')?.snapshot?.description).toBe('made by the CLI test');

    const reverted = await cli(['snapshot', 'revert', 'from-cli']);
    expect(reverted.stderr).not.toMatch(/polyvisor: /);
    expect(reverted.code).toBe(0);
    expect(sim.db.get('VM', vm.ref)!.parent).toBe(snap.ref);

    const deleted = await cli(['snapshot', 'delete', `${serverId}:snapshot:${snap.ref}`]);
    expect(deleted.code).toBe(0);
    expect(snapshotNamed('from-cli')).toEqual([]);
  });

  it('reports an ambiguous name with its candidates, and resolves it with --vm', async () => {
    const [a, b] = guestVms().filter((v) => v.power_state === 'Halted');
    for (const vm of [a, b]) expect((await cli(['snapshot', 'create', vm.name_label as string, '--name', 'twin'])).code).toBe(0);
    const refs = snapshotNamed('twin').map((s) => s.ref);
    expect(refs).toHaveLength(2);

    const r = await cli(['snapshot', 'delete', 'twin']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ambiguous');
    for (const ref of refs) expect(r.stderr).toContain(`${serverId}:snapshot:${ref}`);
    expect(snapshotNamed('twin')).toHaveLength(2);

    expect((await cli(['snapshot', 'delete', 'twin', '--vm', a.name_label as string])).code).toBe(0);
    expect(snapshotNamed('twin').map((s) => s.snapshot_of)).toEqual([b.ref]);
  });

  it("passes the server's error code and message through with a non-zero exit code", async () => {
    const vm = guestVms().find((v) => v.power_state === 'Halted')!;
    sim.faults.failNext('VM.snapshot', ['SR_FULL', '1024', '512']);
    sim.faults.failNext('Async.VM.snapshot', ['SR_FULL', '1024', '512']);
    const r = await cli(['snapshot', 'create', vm.name_label as string, '--name', 'doomed']);
    sim.faults.clear();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SERVER_ERROR SR_FULL \(1024, 512\)/);
    expect(snapshotNamed('doomed')).toEqual([]);
  });

  it('runs power actions and waits for them', async () => {
    const vm = guestVms().find((v) => v.power_state === 'Running')!;
    const r = await cli(['power', 'force_shutdown', vm.name_label as string]);
    expect(r.stderr).not.toMatch(/polyvisor: /);
    expect(r.code).toBe(0);
    expect(sim.db.get('VM', vm.ref)!.power_state).toBe('Halted');
    const bad = await cli(['power', 'levitate', vm.name_label as string]);
    expect(bad.code).toBe(2);
  });

  it('removes the server and its stored password', async () => {
    expect((await cli(['server', 'remove', 'lab'])).code).toBe(0);
    expect(JSON.parse((await cli(['server', 'list', '--json'])).stdout)).toEqual([]);
    expect(keyring.lookup({ service: 'Polyvisor', username: account })).toBeNull();
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
