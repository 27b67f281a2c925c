// Builds and starts govmomi's vSphere simulator (test/peers/vcsim/main.go) for tests and benches.
// The binary is built offline from Debian's govmomi sources, with the upstream fixes in
// vcsim-patches.ts, and cached by the hash of main.go and those fixes.

import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findListed, locate, unavailableReason } from './programs';
import { fixesFingerprint, writeOverlay } from './vcsim-patches';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.join(here, 'vcsim');
const repoRoot = path.resolve(here, '..', '..');
const cacheRoot = path.join(repoRoot, 'node_modules', '.cache', 'polyvisor-vcsim');
const GOPATH = '/usr/share/gocode';
const GOVMOMI = path.join(GOPATH, 'src', 'github.com', 'vmware', 'govmomi');
/** Pure Go (no cgo): a fresh machine has Go and govmomi but no C compiler (installed without Recommends). */
const BUILD_ENV = { GO111MODULE: 'off', GOPATH, GOFLAGS: '', CGO_ENABLED: '0' };

export interface VcsimOptions {
  model: 'esx' | 'vpx';
  /** listen on this port of 127.0.0.1 (default: a random free one) */
  port?: number;
  /** VMs per resource pool (and per standalone host) */
  vms?: number;
  /** hosts per cluster */
  hosts?: number;
  clusters?: number;
  datacenters?: number;
  standaloneHosts?: number;
  pools?: number;
  /** local datastores per datacenter, each mounted on all its hosts (vcsim default: 1) */
  datastores?: number;
  username?: string;
  password?: string;
  /** power on the created VMs (vcsim default: true) */
  autostart?: boolean;
  /** serve this certificate instead of the simulator's own */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** expire sessions idle this long (vcsim checks every interval) */
  sessionIdleTimeoutMs?: number;
}

export interface VcsimCounts {
  datacenter: number;
  cluster: number;
  host: number;
  vm: number;
  pool: number;
  folder: number;
  datastore: number;
}

export interface Vcsim {
  url: string;
  host: string;
  port: number;
  username: string;
  password: string;
  fingerprint256: string;
  certPem: string;
  /** entity counts the simulator's model reports after creation */
  counts: VcsimCounts;
  stop(): Promise<void>;
}

/** Why vcsim cannot be built here (the Go toolchain or govmomi's sources missing), or null when it can. */
export function vcsimUnavailableReason(): string | null {
  return unavailableReason(findGo() ? ['govmomi'] : ['go', 'govmomi']);
}

/** True when the Go toolchain and govmomi's sources are installed (Debian: golang-go golang-github-vmware-govmomi-dev). */
export function vcsimAvailable(): boolean {
  return vcsimUnavailableReason() === null;
}

function findGo(): string | null {
  for (const candidate of ['/usr/bin/go', '/usr/lib/go/bin/go', '/usr/local/go/bin/go']) {
    if (existsSync(candidate)) return candidate;
  }
  return locate(findListed('go')!);
}

let building: Promise<string> | null = null;

/** Builds the simulator once (cached by the hash of main.go and the fixes) and returns the binary's path. */
export function buildVcsim(): Promise<string> {
  building ??= build().finally(() => {
    building = null;
  });
  return building;
}

async function build(): Promise<string> {
  const source = readFileSync(path.join(sourceDir, 'main.go'));
  const hash = createHash('sha256').update(source).update(JSON.stringify(BUILD_ENV)).update(fixesFingerprint()).digest('hex').slice(0, 16);
  const binary = path.join(cacheRoot, hash, 'vcsim');
  if (existsSync(binary)) return binary;
  const go = findGo();
  const unavailable = vcsimUnavailableReason();
  if (!go || unavailable) throw new Error(`vcsim cannot be built: ${unavailable} (test/peers/install-debian-packages.sh)`);
  mkdirSync(path.dirname(binary), { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  const overlay = writeOverlay(GOVMOMI, path.join(cacheRoot, hash, `fixes.${process.pid}`));
  await execFileAsync(go, ['build', '-overlay', overlay, '-o', partial, '.'], {
    cwd: sourceDir,
    env: {
      ...process.env,
      ...BUILD_ENV,
      GOCACHE: path.join(cacheRoot, 'go-build'),
    },
    timeout: 600_000, // a cold build on a busy 2-core machine can take minutes
  });
  renameSync(partial, binary); // atomic: parallel builders never see a half-written binary
  return binary;
}

/** Starts a simulator on 127.0.0.1 and a random free port; resolves once it serves. */
export async function startVcsim(opts: VcsimOptions): Promise<Vcsim> {
  const binary = await buildVcsim();
  const args = ['-listen', `127.0.0.1:${opts.port ?? 0}`];
  if (opts.model === 'esx') args.push('-esx');
  const numeric: Array<[string, number | undefined]> = [
    ['-vm', opts.vms],
    ['-host', opts.hosts],
    ['-cluster', opts.clusters],
    ['-dc', opts.datacenters],
    ['-standalone-host', opts.standaloneHosts],
    ['-pool', opts.pools],
    ['-ds', opts.datastores],
  ];
  for (const [flag, value] of numeric) if (value !== undefined) args.push(flag, String(value));
  args.push('-username', opts.username ?? 'user', '-password', opts.password ?? 'pass');
  if (opts.autostart === false) args.push('-autostart=false');
  if (opts.sessionIdleTimeoutMs) args.push('-session-idle-timeout', `${opts.sessionIdleTimeoutMs}ms`);
  if (opts.tlsCertFile) args.push('-tlscert', opts.tlsCertFile, '-tlskey', opts.tlsKeyFile ?? '');

  if (process.env.VCSIM_STDERR) args.push('-v'); // debugging: every request and any panic on the test's stderr
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    if (process.env.VCSIM_STDERR) process.stderr.write(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vcsim did not start within 60 s: ${stderr}`));
    }, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('VCSIM_READY '));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice('VCSIM_READY '.length)));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vcsim exited (${code}) before serving: ${stderr}`));
    });
  });

  let stopped: Promise<void> | null = null;
  return {
    url: info.url as string,
    host: info.host as string,
    port: Number(info.port),
    username: info.username as string,
    password: info.password as string,
    fingerprint256: info.fingerprint256 as string,
    certPem: info.certPem as string,
    counts: info.counts as VcsimCounts,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
