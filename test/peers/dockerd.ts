// A real Docker engine for tests: Debian's dockerd (docker.io) run as root on a
// private unix socket, data root and exec root inside one temporary directory.
// Each caller gets its own daemon (start takes ~1.5 s here), so test files can run
// in parallel without sharing state. No registry is reachable: `ensureBusyboxImage`
// builds `local/busybox` from the host's static busybox.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, symlinkSync, copyFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { unavailableReason } from './programs';

export const BUSYBOX_IMAGE = 'local/busybox:latest';

export interface DockerdOptions {
  /** `--experimental` (checkpoint API enabled; CRIU still has to work on the kernel) */
  experimental?: boolean;
  /** more dockerd flags, e.g. TLS listeners */
  extraArgs?: string[];
}

export interface DockerdPeer {
  socketPath: string;
  /** the temporary directory holding socket, data root, exec root and log */
  dir: string;
  docker: Dockerode;
  /** milliseconds the last start took until the API answered */
  startMs: number;
  /** stop the engine but keep its data, socket path and dirs (simulates an engine going away) */
  stopDaemon(): Promise<void>;
  /** start it again with the same socket and data root */
  startDaemon(): Promise<void>;
  /** stop containers, stop the engine, unmount leftovers, remove the directory */
  stop(): Promise<void>;
  /** the engine's log (for failure messages) */
  log(): string;
}

/** Why a real dockerd cannot run here, or null when it can. */
export function dockerdUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'dockerd peer needs Linux';
  return unavailableReason(['dockerd', 'containerd', 'runc', '/bin/busybox', 'tar', 'umount']);
}

// If a test process ends without calling stop(): let each engine stop its containers
// (SIGTERM, bounded wait), then unmount and remove its folder. Synchronous: this runs on 'exit'.
const live = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, dir] of live) {
    if (child.pid) {
      spawnSync('sh', ['-c', `kill -TERM ${child.pid}; for i in $(seq 1 100); do kill -0 ${child.pid} 2>/dev/null || exit 0; sleep 0.1; done; kill -KILL ${child.pid}`]);
    }
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

export async function startDockerd(options: DockerdOptions = {}): Promise<DockerdPeer> {
  const reason = dockerdUnavailableReason();
  if (reason) throw new Error(`Cannot start dockerd: ${reason}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pv-dockerd-'));
  const socketPath = path.join(dir, 'docker.sock');
  const logPath = path.join(dir, 'dockerd.log');
  const args = [
    '--host', `unix://${socketPath}`,
    '--data-root', path.join(dir, 'data'),
    '--exec-root', path.join(dir, 'exec'),
    '--pidfile', path.join(dir, 'docker.pid'),
    '--iptables=false', '--ip6tables=false', '--bridge=none', '--userland-proxy=false',
    // networks from a /16 of its own: the engines share the host's network namespace, and bridges left by an
    // engine that was killed (a test run stopped midway) would otherwise use up the few default pools
    '--default-address-pool', `base=10.${64 + Math.floor(Math.random() * 190)}.0.0/16,size=24`,
    // busybox `sleep` as PID 1 ignores SIGTERM: do not wait 10 s per container on shutdown
    '--shutdown-timeout', '1',
    '--log-level', 'warn',
    ...(process.env.POLYVISOR_DOCKER_STORAGE_DRIVER ? ['--storage-driver', process.env.POLYVISOR_DOCKER_STORAGE_DRIVER] : []),
    ...(options.experimental ? ['--experimental'] : []),
    ...(options.extraArgs ?? []),
  ];
  const docker = new Dockerode({ socketPath });
  let child: ChildProcess | null = null;

  const peer: DockerdPeer = {
    socketPath,
    dir,
    docker,
    startMs: 0,
    log: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
    async startDaemon() {
      if (child) return;
      const started = Date.now();
      const fd = openSync(logPath, 'a');
      const proc = spawn('dockerd', args, { stdio: ['ignore', fd, fd], env: { ...process.env, DOCKER_HOST: '' } });
      closeSync(fd);
      child = proc;
      live.set(proc, dir);
      let exited: string | null = null;
      proc.once('exit', (code, signal) => {
        exited = `dockerd exited (code ${code}, signal ${signal})`;
        live.delete(proc);
        if (child === proc) child = null;
      });
      const deadline = started + 30_000;
      for (;;) {
        if (exited) throw new Error(`${exited}\n${tail(peer.log())}`);
        if (existsSync(socketPath)) {
          try {
            await docker.ping();
            break;
          } catch {
            /* not listening yet */
          }
        }
        if (Date.now() > deadline) throw new Error(`dockerd did not answer within 30 s\n${tail(peer.log())}`);
        await delay(50);
      }
      peer.startMs = Date.now() - started;
    },
    async stopDaemon() {
      const proc = child;
      if (!proc) return;
      await removeAllContainersQuietly(docker, false);
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(timer);
    },
    async stop() {
      if (child) await removeAllContainersQuietly(docker, true);
      await peer.stopDaemon();
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await peer.startDaemon();
  } catch (e) {
    await peer.stop().catch(() => undefined);
    throw e;
  }
  return peer;
}

/** Stop every container at once (0 s timeout); with `remove` also delete them. */
async function removeAllContainersQuietly(docker: Dockerode, remove: boolean): Promise<void> {
  try {
    const list = await docker.listContainers({ all: true });
    await Promise.all(
      list.map(async (c) => {
        const container = docker.getContainer(c.Id);
        if (remove) await container.remove({ force: true, v: true }).catch(() => undefined);
        else if (c.State === 'running' || c.State === 'paused' || c.State === 'restarting') {
          await container.kill().catch(() => undefined);
        }
      }),
    );
  } catch {
    /* engine already gone */
  }
}

function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && (m === dir || m.startsWith(dir + '/')))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) spawnSync('umount', ['-l', m]);
}

/** Build `local/busybox` from /bin/busybox (once per engine). Returns the image reference. */
export async function ensureBusyboxImage(docker: Dockerode): Promise<string> {
  const existing = await docker.listImages({ filters: { reference: [BUSYBOX_IMAGE] } });
  if (existing.length > 0) return BUSYBOX_IMAGE;
  const rootfs = mkdtempSync(path.join(os.tmpdir(), 'pv-busybox-'));
  try {
    for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'root', 'var']) mkdirSync(path.join(rootfs, d));
    chmodSync(path.join(rootfs, 'tmp'), 0o1777);
    copyFileSync('/bin/busybox', path.join(rootfs, 'bin/busybox'));
    chmodSync(path.join(rootfs, 'bin/busybox'), 0o755);
    const applets = spawnSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const applet of applets) {
      if (applet !== 'busybox' && !existsSync(path.join(rootfs, 'bin', applet))) symlinkSync('busybox', path.join(rootfs, 'bin', applet));
    }
    const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = BUSYBOX_IMAGE.split(':');
    const progress = await docker.importImage(tar.stdout as unknown as NodeJS.ReadableStream, { repo, tag, changes: 'CMD ["/bin/sh"]' } as object);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(progress, (err: Error | null, output: Array<{ error?: string }>) => {
        const failed = err?.message ?? output.find((o) => o.error)?.error;
        if (failed) reject(new Error(`importing ${BUSYBOX_IMAGE} failed: ${failed}`));
        else resolve();
      }),
    );
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
  return BUSYBOX_IMAGE;
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

