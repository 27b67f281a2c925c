// Programs in a VNC server's own X session, as a user inside the guest would run them:
// its clipboard set and read with xclip, its keyboard layout set with setxkbmap, and
// the keys it receives logged by xev on the root window (no window manager: key events
// go to the root). What the console sends is checked where it arrives, not in the page.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { unavailableReason } from './programs';

/** Why the X session tools cannot run here, or null. */
export function xSessionUnavailableReason(): string | null {
  return unavailableReason(['xclip', 'xev', 'setxkbmap', 'xkb-data']);
}

function x(display: number, program: string, args: string[], input?: string): string {
  const r = spawnSync(program, args, { env: { ...process.env, DISPLAY: `:${display}` }, input, encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Copies text in the guest: xclip owns the CLIPBOARD selection (it stays in the background until another owner takes it). */
export function setGuestClipboard(display: number, text: string): void {
  // xclip forks and keeps serving the selection; its parent returns at once
  const r = spawnSync('xclip', ['-selection', 'clipboard', '-i'], { env: { ...process.env, DISPLAY: `:${display}` }, input: text, stdio: ['pipe', 'ignore', 'pipe'], timeout: 10_000 });
  if (r.status !== 0) throw new Error(`xclip -i failed (${r.status}): ${r.stderr}`);
}

/**
 * The guest's CLIPBOARD selection as text ('' when nobody owns it, or its owner did not answer
 * within 2 s: Xvnc asks its VNC client for the text first — poll this).
 */
export function guestClipboard(display: number): string {
  const r = spawnSync('xclip', ['-selection', 'clipboard', '-o'], { env: { ...process.env, DISPLAY: `:${display}` }, encoding: 'utf8', timeout: 2_000 });
  return r.status === 0 ? r.stdout : '';
}

/**
 * The guest's keyboard layout, e.g. 'de' (the keys' meaning is then the guest's, as with a real VM).
 * `options`: XKB options, e.g. 'srvrkeys:none' so that Ctrl+Alt+Fn reaches clients instead of switching the server's VT.
 */
export function setGuestKeyboardLayout(display: number, layout: string, options: string[] = []): void {
  x(display, 'setxkbmap', ['-layout', layout, '-option', '', ...options.flatMap((o) => ['-option', o])]);
}

export interface KeyEvent {
  type: 'KeyPress' | 'KeyRelease';
  keycode: number;
  /** X keysym name, e.g. 'Control_L', 'odiaeresis' */
  keysym: string;
}

export interface KeyLogger {
  readonly events: KeyEvent[];
  stop(): Promise<void>;
}

/** Logs every key the guest's X server delivers to its root window (xev -root). */
export async function startKeyLogger(display: number): Promise<KeyLogger> {
  const child: ChildProcess = spawn('xev', ['-root', '-event', 'keyboard', '-event', 'property'], { env: { ...process.env, DISPLAY: `:${display}` }, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: KeyEvent[] = [];
  let pending: KeyEvent['type'] | null = null;
  let buffer = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      // "KeyPress event, serial 18, synthetic NO, window 0x3a,"
      const head = /^(KeyPress|KeyRelease) event/.exec(line);
      if (head) pending = head[1] as KeyEvent['type'];
      // "    state 0x0, keycode 47 (keysym 0xf6, odiaeresis), same_screen YES,"
      const key = /keycode (\d+) \(keysym 0x[0-9a-f]+, ([^)]+)\)/.exec(line);
      if (key && pending) {
        events.push({ type: pending, keycode: Number(key[1]), keysym: key[2] });
        pending = null;
      }
    }
  });
  // xev is listening once it reports a change of the root window's name (xsetroot -name): until then keys could go unseen
  let ready = false;
  child.stdout!.on('data', (d: Buffer) => {
    if (d.toString().includes('PropertyNotify')) ready = true;
  });
  const deadline = Date.now() + 10_000;
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`xev exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`xev did not start listening on :${display}: ${stderr}`);
    x(display, 'xsetroot', ['-name', `key-logger-${Date.now()}`]);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    events,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
