// A real, private OS keychain for tests: a throw-away D-Bus session bus (no service
// activation, so nothing else gets started) with gnome-keyring-daemon's Secret
// Service, unlocked with a throw-away password, its HOME/XDG dirs in a temp dir.
// The user's own keyring is never touched.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { unavailableReason } from './programs';

export interface KeyringSession {
  /** the variables a process needs to use this keychain (DBUS_SESSION_BUS_ADDRESS, HOME, XDG_*) */
  env: Record<string, string>;
  /** `secret-tool lookup` in this session: the stored secret, or null */
  lookup(attributes: Record<string, string>): string | null;
  stop(): Promise<void>;
}

/** Why a private keychain cannot run here, or null when it can. */
export function keyringUnavailableReason(): string | null {
  return unavailableReason(['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon', 'secret-tool']);
}

export async function startKeyringSession(): Promise<KeyringSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-keyring-'));
  const home = path.join(dir, 'home');
  const data = path.join(dir, 'data');
  const runtime = path.join(dir, 'run');
  for (const d of [home, data, runtime]) mkdirSync(d, { recursive: true, mode: 0o700 });
  const config = path.join(dir, 'session.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children.reverse()) await kill(c);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const bus = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(bus);
    const address = await firstLine(bus, 5000, 'dbus-daemon');
    const env: Record<string, string> = {
      DBUS_SESSION_BUS_ADDRESS: address,
      HOME: home,
      XDG_DATA_HOME: data,
      XDG_RUNTIME_DIR: runtime,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    };
    const childEnv = { ...process.env, ...env };
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env: childEnv, stdio: ['pipe', 'ignore', 'pipe'] });
    children.push(keyring);
    let keyringLog = '';
    keyring.stderr!.on('data', (d) => (keyringLog += d));
    keyring.stdin!.end('polyvisor-test');
    await waitFor(() => nameHasOwner(childEnv, 'org.freedesktop.secrets'), 10_000, () => `gnome-keyring-daemon did not appear on the bus: ${keyringLog}`);
    return {
      env,
      lookup(attributes) {
        const args = ['lookup', ...Object.entries(attributes).flat()];
        const r = spawnSync('secret-tool', args, { env: childEnv, encoding: 'utf8' });
        return r.status === 0 ? r.stdout : null;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function nameHasOwner(env: NodeJS.ProcessEnv, name: string): boolean {
  const r = spawnSync(
    'dbus-send',
    ['--session', '--dest=org.freedesktop.DBus', '--print-reply', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
    { env, encoding: 'utf8' },
  );
  return r.status === 0 && /boolean true/.test(r.stdout);
}

async function waitFor(check: () => boolean, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((r) => setTimeout(r, 50));
  }
}

function firstLine(child: ChildProcess, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d) => (err += d));
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${err}`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${err}`));
    });
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const SAVED_ENV = ['DBUS_SESSION_BUS_ADDRESS', 'HOME', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'] as const;

/** Points the keyring's environment at a private session (or at none); returns the restore function. */
export function withKeyringEnv(env: Partial<Record<string, string>>): () => void {
  const saved = Object.fromEntries(SAVED_ENV.map((k) => [k, process.env[k]]));
  for (const k of SAVED_ENV) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  return () => {
    for (const k of SAVED_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}
