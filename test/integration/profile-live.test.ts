// The app and the CLI on one profile at the same time (issue 19 item 16): a running core
// follows servers.json, known-certificates.json and settings.json while the real
// `polyvisor` command (bin/polyvisor.js, a separate process) changes them. A server the
// CLI adds appears in the core at once and connects with the password and certificate
// the CLI saved (checked against the simulator's own sessions); one the CLI removes is
// disconnected and leaves the tree; adds from both sides at the same time are all kept.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView, Settings } from '../../shared/contract';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { KeyringSecretStore } from '../../electron/core/secrets/keyring-secret-store';
import { keyringUnavailableReason, startKeyringSession, withKeyringEnv, type KeyringSession } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { runCli, type CliRun } from '../cli-process';

const PASSWORD = 'live-profile-pw';
const keyringMissing = keyringUnavailableReason();

let tmp: string;
let home: string;
let keyring: KeyringSession;
let restoreEnv: () => void;
let sim: XapiSimulator;
let core: PolyvisorCore;
const changed: ServerView[] = [];
const removed: string[] = [];
const settingsSeen: Settings[] = [];

/** The real command, as a user runs it: bin/polyvisor.js in its own process, on the same profile and keychain. */
function cli(args: string[], stdin = ''): Promise<CliRun> {
  return runCli(args, { stdin, env: { ...keyring.env, POLYVISOR_HOME: home } });
}

async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The simulator's own count of open sessions for the user (each connected client holds one). */
function simSessions(): number {
  return [...sim.db.records('session').values()].length;
}

beforeAll(async () => {
  if (keyringMissing) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-profile-live-'));
  home = path.join(tmp, 'profile');
  [keyring, sim] = await Promise.all([
    startKeyringSession(),
    startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, password: PASSWORD, poolName: 'Live pool', taskDurationMs: 50 }),
  ]);
  restoreEnv = withKeyringEnv(keyring.env);
  core = await createAppCore('web', {
    home,
    secrets: new KeyringSecretStore(),
    providers: [xenServerProviderFactory],
    inventoryBatchMs: 10,
    profileWatch: { debounceMs: 50, pollMs: 500 },
  });
  core.on('server:changed', (v) => changed.push(v));
  core.on('server:removed', ({ id }) => removed.push(id));
  core.on('settings:changed', (s) => settingsSeen.push(s));
  await core.start();
}, 60_000);

afterAll(async () => {
  await core?.stop();
  restoreEnv?.();
  await sim?.stop();
  await keyring?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(requirePeer(keyringMissing))('a running core and the CLI on one profile', () => {
  let cliServerId = '';

  it('a server the CLI adds appears at once, and connects with the password and certificate the CLI saved', async () => {
    const sessionsBefore = simSessions();
    const added = await cli(
      ['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'From the CLI', '--password-stdin', '--accept-fingerprint', sim.fingerprint256],
      `${PASSWORD}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    cliServerId = added.stdout.trim();
    const finished = Date.now();
    const seen = await until(() => changed.find((v) => v.id === cliServerId), 'server:changed for the CLI’s server', 10_000);
    expect(seen).toMatchObject({ name: 'From the CLI', host: sim.host, port: sim.port });
    // its tree row follows the server's change (the inventory store sends its batch a moment later)
    await until(async () => (await core.invoke('inventory:get')).some((n) => n.kind === 'server' && n.serverId === cliServerId), 'the CLI’s server in the tree', 10_000);
    expect(Date.now() - finished).toBeLessThan(10_000);
    // and it is live: the pin the CLI made and the password it kept in the keychain let the core log in
    await until(async () => (await core.invoke('servers:list')).find((s) => s.id === cliServerId)?.state === 'connected', 'the core to connect it');
    const vms = [...sim.db.records('VM').values()].filter((v) => !v.is_a_template && !v.is_control_domain && !v.is_a_snapshot);
    await until(async () => (await core.invoke('inventory:get')).filter((n) => n.serverId === cliServerId && n.kind === 'vm' && !n.controlDomain).length === vms.length, 'the VMs of the CLI’s server');
    // the simulator holds the core's session (the CLI's own logged out when it exited)
    expect(simSessions()).toBeGreaterThan(sessionsBefore);
  }, 90_000);

  it('a server the CLI removes is disconnected and leaves the tree', async () => {
    const sessionsBefore = simSessions();
    const gone = await cli(['server', 'remove', 'From the CLI']);
    expect(gone.code, gone.stderr).toBe(0);
    await until(() => removed.includes(cliServerId), 'server:removed', 10_000);
    expect((await core.invoke('inventory:get')).filter((n) => n.serverId === cliServerId)).toEqual([]);
    expect((await core.invoke('servers:list')).map((s) => s.id)).not.toContain(cliServerId);
    // the core logged its session out of the simulator
    await until(() => simSessions() < sessionsBefore, 'the core’s session to end on the simulator');
  }, 60_000);

  it('adds from the app and the CLI at the same time are all kept, on disk and in both views', async () => {
    const cliRun = cli(['server', 'add', '--type', 'proxmox', '--host', 'pve.lab.example', '--user', 'root', '--realm', 'pam', '--name', 'CLI PVE', '--no-connect', '--no-remember']);
    let running = true;
    void cliRun.then(() => (running = false));
    const appNames: string[] = [];
    // the app keeps adding until well after the CLI finished, so the two overlap whatever the CLI's start-up time
    for (let i = 0; running || i < 3; i++) {
      const name = `App server ${i}`;
      await core.invoke('servers:add', { type: 'xenserver', name, host: `xs-${i}.lab.example`, port: 443, username: 'root', autoConnect: false });
      appNames.push(name);
      if (running) await new Promise((r) => setTimeout(r, 40));
    }
    const result = await cliRun;
    expect(result.code, result.stderr).toBe(0);
    const want = [...appNames, 'CLI PVE'];
    const onDisk = (JSON.parse(readFileSync(path.join(home, 'servers.json'), 'utf8')) as { servers: Array<{ name: string }> }).servers.map((s) => s.name);
    expect(onDisk).toEqual(expect.arrayContaining(want));
    await until(async () => {
      const inApp = (await core.invoke('servers:list')).map((s) => s.name);
      return want.every((n) => inApp.includes(n));
    }, 'the app to list every server');
    const listed = await cli(['server', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as ServerView[]).map((s) => s.name)).toEqual(expect.arrayContaining(want));
  }, 90_000);

  it('settings another process changes reach the core as settings:changed', async () => {
    // a second core on the same profile stands in for a second window (the CLI has no settings command)
    const other = await createAppCore('cli', { home, secrets: new KeyringSecretStore(), providers: [xenServerProviderFactory] });
    await other.invoke('settings:set', { theme: 'dark', language: 'zh-CN' });
    await other.stop();
    const seen = await until(() => settingsSeen.find((s) => s.theme === 'dark'), 'settings:changed');
    expect(seen).toMatchObject({ theme: 'dark', language: 'zh-CN' });
    expect((await core.invoke('app:info')).settings).toMatchObject({ theme: 'dark', language: 'zh-CN' });
  }, 30_000);

  it('a corrupt servers.json written from outside is kept aside and reported; the app keeps its list and writes it back', async () => {
    const before = (await core.invoke('servers:list')).map((s) => s.id).sort();
    const problems: string[] = [];
    const off = core.on('store:problem', (p) => problems.push(p.keptAs));
    writeFileSync(path.join(home, 'servers.json'), '{"version":1,"servers":[{"id":');
    const keptAs = await until(() => problems[0], 'store:problem');
    off();
    expect(readFileSync(keptAs, 'utf8')).toBe('{"version":1,"servers":[{"id":');
    expect(readdirSync(home).filter((f) => f.startsWith('servers.json.corrupt-'))).toHaveLength(1);
    expect((await core.invoke('servers:list')).map((s) => s.id).sort()).toEqual(before);
    await until(() => {
      try {
        return (JSON.parse(readFileSync(path.join(home, 'servers.json'), 'utf8')) as { servers: Array<{ id: string }> }).servers.length === before.length;
      } catch {
        return false; // not written back yet
      }
    }, 'the list written back');
    expect(removed.filter((id) => before.includes(id))).toEqual([]);
  }, 30_000);
});
