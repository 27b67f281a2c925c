// A real VNC server for console tests: TigerVNC's Xvnc on a free display,
// its root window painted one solid colour so a test can recognise the picture.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { unavailableReason } from './programs';

export interface VncServer {
  host: string;
  port: number;
  display: number;
  width: number;
  height: number;
  /** the root window colour, '#rrggbb' */
  color: string;
  /** set when the server asks for VNC authentication (security type 2) */
  password?: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function freeDisplay(): number {
  for (let d = 40 + Math.floor(Math.random() * 200); d < 1000; d++) {
    if (!existsSync(`/tmp/.X${d}-lock`) && !existsSync(`/tmp/.X11-unix/X${d}`)) return d;
  }
  throw new Error('no free X display');
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Xvnc exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Xvnc did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * `password`: require classic VNC authentication (DES challenge) with this password,
 * as qemu's VNC server does for Proxmox consoles; otherwise security type None.
 * `scancodes`: keys sent with their scancode (QEMU extended key events) are pressed by that
 * code and read through the server's own layout, as a VM's VNC server (qemu) does; Xvnc
 * otherwise maps every key by its keysym.
 */
export async function startVncServer(opts: { width?: number; height?: number; color?: string; password?: string; scancodes?: boolean } = {}): Promise<VncServer> {
  const missing = unavailableReason(['/usr/bin/Xvnc', 'xsetroot', ...(opts.password !== undefined ? ['vncpasswd'] : [])]);
  if (missing) throw new Error(`Cannot start a VNC server: ${missing} (see test/peers/install-debian-packages.sh)`);
  const width = opts.width ?? 320;
  const height = opts.height ?? 200;
  const color = opts.color ?? '#d02020';
  const port = await freePort();
  const display = freeDisplay();
  let security = ['-SecurityTypes', 'None'];
  let secretDir: string | undefined;
  if (opts.password !== undefined) {
    secretDir = mkdtempSync(path.join(os.tmpdir(), 'pv-vnc-'));
    const file = path.join(secretDir, 'passwd');
    const made = spawnSync('sh', ['-c', `vncpasswd -f > '${file}'`], { input: `${opts.password}\n` });
    if (made.status !== 0) throw new Error(`vncpasswd failed: ${made.stderr}`);
    security = ['-SecurityTypes', 'VncAuth', '-PasswordFile', file];
  }
  const child = spawn(
    'Xvnc',
    [`:${display}`, '-rfbport', String(port), '-interface', '127.0.0.1', ...security,
      '-geometry', `${width}x${height}`, '-depth', '24', '-nolisten', 'tcp', '-AlwaysShared', ...(opts.scancodes ? ['-RawKeyboard'] : [])],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 10_000, child);
  const painted = spawnSync('xsetroot', ['-solid', color], { env: { ...process.env, DISPLAY: `:${display}` } });
  if (painted.status !== 0) throw new Error(`xsetroot failed: ${painted.stderr}`);
  return {
    host: '127.0.0.1',
    port,
    display,
    width,
    height,
    color,
    password: opts.password,
    async stop() {
      if (secretDir) rmSync(secretDir, { recursive: true, force: true });
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
