// What the renderer benches share: the built renderer (built once if missing; a helper's
// own build with POLYVISOR_RENDERER_OUT), a real core behind the web host, Chromium
// (playwright-core), servers added and connected through the contract, and the
// in-page measurements (one filter keystroke, percentiles).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ServerDraft, ServerView } from '../../shared/contract';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startWebHost, type WebHost } from '../../electron/web/host';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const staticDir = process.env.POLYVISOR_RENDERER_OUT ?? path.join(root, 'dist-renderer');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function ensureRendererBuilt(): void {
  if (existsSync(path.join(staticDir, 'index.html'))) return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the renderer build failed');
}

export interface WebStack {
  core: PolyvisorCore;
  host: WebHost;
  browser: Browser;
  home: string;
  stop(): Promise<void>;
}

/** A core on a throw-away profile (or `home`), its web host and Chromium. */
export async function startWebStack(opts: { home?: string } = {}): Promise<WebStack> {
  ensureRendererBuilt();
  const home = opts.home ?? mkdtempSync(path.join(os.tmpdir(), 'polyvisor-bench-'));
  const core = await createAppCore('web', { home, secrets: new MemorySecretStore(), version: 'bench' });
  const host = await startWebHost({ core, staticDir });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    core,
    host,
    browser,
    home,
    async stop() {
      await browser.close();
      await host.close();
      await core.stop();
      if (!opts.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Adds a server and connects it, trusting the certificate it presents (a simulator's own). */
export async function addAndConnect(core: PolyvisorCore, draft: ServerDraft): Promise<ServerView> {
  const server = await core.invoke('servers:add', { ...draft, autoConnect: draft.autoConnect ?? false });
  const first = await core.invoke('servers:connect', server.id);
  if (first.state === 'connected') return first;
  const fp = first.error?.certificate?.fingerprint256;
  if (!fp) throw new Error(`${draft.name}: connect failed: ${JSON.stringify(first.error)}`);
  const accepted = await core.invoke('certs:accept', server.id, fp);
  if (accepted.state !== 'connected') throw new Error(`${draft.name}: connect failed: ${JSON.stringify(accepted.error)}`);
  return accepted;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;

export function percentiles(xs: number[]): { median: number; p90: number; p95: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { median: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), max: s[s.length - 1] ?? NaN };
}

/** One keystroke in the tree's search box: set the value, React's update, layout and the next paint. */
export function keystroke(page: Page, value: string): Promise<number> {
  return page.evaluate(async (v) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid=tree-search]')!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const t0 = performance.now();
    setValue.call(input, v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - t0;
  }, value);
}

/** Types `term` and erases it again, `rounds` times: each keystroke's time. */
export async function typeAndErase(page: Page, term: string, rounds: number): Promise<{ typing: number[]; erasing: number[] }> {
  const typing: number[] = [];
  const erasing: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 1; i <= term.length; i++) typing.push(await keystroke(page, term.slice(0, i)));
    for (let i = term.length - 1; i >= 0; i--) erasing.push(await keystroke(page, term.slice(0, i)));
  }
  return { typing, erasing };
}

/** The verdict beside a number: met or NOT met. */
export const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
