// Large XAPI answers are parsed while the app keeps answering (issue 17). A pool whose
// VMs each carry a 100 kB other_config entry is served by the simulator in its own
// process. Connecting reads a ~300 MB VM.get_all_records; 2,000 VMs renamed on the peer
// while it loads come back in the first event.from after the load (its token is taken
// before the load) as one ~200 MB event batch, parsed whole: the largest answer XAPI gives
// in one piece. Meanwhile a WebSocket client of the web host (what a page is) asks
// app:info every 25 ms; the core's event-loop delay (perf_hooks) and those round-trips
// are measured until every rename is in the inventory. Parsed on the event loop, the
// batch holds it for seconds; in the parse worker the page keeps its answers.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WEB_API_PATH, WEB_TOKEN_PARAM } from '../../../shared/wire';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startWebHost, type WebHost } from '../../../electron/web/host';
import { startXapiSimProcess, type SimProcess } from '../../peers/xapi-sim-process';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

const VMS = 3_000;
const RENAMED = 2_000;
const NOTES_BYTES = 100_000;
/** generous: the machine is shared and loaded; a parse on the event loop holds it for seconds */
const ROUND_TRIP_P99_MS = 200;
const LOOP_DELAY_P99_MS = 150;

let sim: SimProcess;
let core: PolyvisorCore;
let host: WebHost;
let home: string;

beforeAll(async () => {
  sim = await startXapiSimProcess({ hosts: 2, vms: VMS, snapshots: 0, poolName: 'Large answers', vmNotesBytes: NOTES_BYTES }, 180_000);
  home = mkdtempSync(path.join(os.tmpdir(), 'pv-large-answer-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), version: 'test' });
  host = await startWebHost({ core, staticDir: home });
}, 240_000);

afterAll(async () => {
  simAgent?.destroy();
  await host?.close();
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A page's connection to the web host: app:info asked every `everyMs`, each round-trip timed. */
async function pingWhile<T>(everyMs: number, work: () => Promise<T>): Promise<{ result: T; roundTrips: number[] }> {
  const url = new URL(host.url);
  const ws = new WebSocket(`ws://${url.host}${WEB_API_PATH}?${WEB_TOKEN_PARAM}=${host.token}`, { origin: url.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const roundTrips: number[] = [];
  const sentAt = new Map<number, number>();
  let next = 1;
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; id?: number };
    const t0 = message.type === 'reply' && message.id !== undefined ? sentAt.get(message.id) : undefined;
    if (t0 !== undefined) roundTrips.push(performance.now() - t0);
  });
  let pending: NodeJS.Timeout | undefined;
  let running = true;
  const ask = () => {
    if (!running) return;
    const id = next++;
    sentAt.set(id, performance.now());
    ws.send(JSON.stringify({ type: 'invoke', id, channel: 'app:info', args: [] }));
    pending = setTimeout(ask, everyMs);
  };
  ask();
  try {
    return { result: await work(), roundTrips };
  } finally {
    running = false;
    clearTimeout(pending);
    ws.close();
  }
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? NaN;

/** Raw JSON-RPC to the simulator, not through Polyvisor: a few kept-alive connections, each checked against its certificate's fingerprint. */
let simAgent: https.Agent | undefined;
function rpc(method: string, params: unknown[]): Promise<unknown> {
  simAgent ??= new https.Agent({ keepAlive: true, maxSockets: 8, maxCachedSessions: 0, rejectUnauthorized: false });
  const body = JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 });
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: sim.host, port: sim.port, path: '/jsonrpc', method: 'POST', agent: simAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString()) as { result?: unknown; error?: unknown };
          if (answer.error) reject(new Error(`${method}: ${JSON.stringify(answer.error)}`));
          else resolve(answer.result);
        });
        res.on('error', reject);
      },
    );
    req.on('socket', (socket) => {
      const tlsSocket = socket as TLSSocket;
      const check = () => {
        const presented = tlsSocket.getPeerCertificate().fingerprint256;
        if (presented !== sim.fingerprint256) req.destroy(new Error(`the simulator presented ${presented}, not ${sim.fingerprint256}`));
      };
      if (tlsSocket.authorized !== undefined && tlsSocket.getPeerCertificate().fingerprint256) check();
      else tlsSocket.once('secureConnect', check);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Event-loop delay and page round-trips while `work` runs. */
async function measured<T>(what: string, work: () => Promise<T>): Promise<{ result: T; loopP99: number; tripP99: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const t0 = performance.now();
  loop.enable();
  const { result, roundTrips } = await pingWhile(25, work);
  loop.disable();
  const ms = performance.now() - t0;
  const loopP99 = loop.percentile(99) / 1e6;
  const tripP99 = p99(roundTrips);
  console.log(
    `${what}: ${Math.round(ms)} ms; event-loop delay p99 ${loopP99.toFixed(1)} ms (max ${(loop.max / 1e6).toFixed(1)} ms); ` +
      `app:info round-trip p99 ${tripP99.toFixed(1)} ms over ${roundTrips.length} asks (max ${Math.max(...roundTrips).toFixed(1)} ms)`,
  );
  // the page asked all along (a loop held for the whole time would answer a handful)
  expect(roundTrips.length).toBeGreaterThan(ms / 25 / 4);
  expect(tripP99).toBeLessThan(ROUND_TRIP_P99_MS);
  expect(loopP99).toBeLessThan(LOOP_DELAY_P99_MS);
  return { result, loopP99, tripP99 };
}

describe('large XAPI answers', () => {
  it('a 300 MB get_all_records and a 200 MB event batch are parsed while the core keeps answering the page', async () => {
    const session = (await rpc('session.login_with_password', ['root', 'password', '2.21', 'test'])) as string;
    const records = (await rpc('VM.get_all_records', [session])) as Record<string, { is_a_template: boolean; is_control_domain: boolean }>;
    const refs = Object.entries(records).filter(([, r]) => !r.is_a_template && !r.is_control_domain).map(([ref]) => ref).slice(0, RENAMED);

    const { result: server } = await measured('connect (~300 MB VM.get_all_records) and 2,000 renames (~200 MB event batch)', async () => {
      const added = await core.invoke('servers:add', { type: 'xenserver', name: 'Large answers', host: sim.host, port: sim.port, username: 'root', password: 'password', autoConnect: false });
      const first = await core.invoke('servers:connect', added.id);
      const fp = first.error?.certificate?.fingerprint256;
      expect(fp).toBe(sim.fingerprint256);
      // the load starts once the certificate is accepted; the renames land while it runs
      const connected = core.invoke('certs:accept', added.id, fp!);
      for (let i = 0; i < refs.length; i += 20) await Promise.all(refs.slice(i, i + 20).map((ref, j) => rpc('VM.set_name_label', [session, ref, `renamed-${i + j}`])));
      const view = await connected;
      expect(view.error).toBeUndefined();
      const deadline = Date.now() + 300_000;
      while ((await vmsOf(view.id)).filter((n) => n.name.startsWith('renamed-')).length < RENAMED) {
        if (Date.now() > deadline) throw new Error('the renamed VMs did not reach the inventory within 5 minutes');
        await new Promise((r) => setTimeout(r, 200));
      }
      return view;
    });
    expect(server.state).toBe('connected');
    expect(await vmsOf(server.id)).toHaveLength(VMS);
    // the peer's own view: the names are set there
    const after = (await rpc('VM.get_all_records', [session])) as Record<string, { name_label: string }>;
    expect(refs.every((ref, i) => after[ref]!.name_label === `renamed-${i}`)).toBe(true);
    await rpc('session.logout', [session]);
  }, 900_000);
});

async function vmsOf(serverId: string) {
  return (await core.invoke('inventory:get')).filter((n) => n.kind === 'vm' && n.serverId === serverId && !n.controlDomain);
}
