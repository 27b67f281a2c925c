// Fifty servers dropped at once and brought back (issue 17): 25 XAPI pools and 25
// Proxmox VE clusters, each its own simulator on its own port, lose the network
// together (their ports closed). Each server's retries wait a random time up to the
// backoff's current delay (full jitter), so the first retries of the fleet spread
// over the first delay instead of arriving together; when the ports open again every
// server logs in again — checked at each simulator (a new session, a new login) — and
// its tree is live. A restarted app connects the fifty a bounded number at a time.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import type { ConnectionState } from '../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { proxmoxProviderFactory } from '../../electron/core/providers/proxmox';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { until } from './until';

const EACH = 25;
const FIRST_DELAY_MS = 1_000;
const CAP_MS = 4_000;
const XAPI_OPTIONS = { eventTimeoutS: 2, taskPollMs: 50, reconnectMinMs: FIRST_DELAY_MS, reconnectMaxMs: CAP_MS };
const PVE_OPTIONS = { realm: 'pam', pollIntervalMs: 300, taskPollMs: 50, reconnectDelayMs: FIRST_DELAY_MS, reconnectMaxMs: CAP_MS };

let xapis: XapiSimulator[] = [];
let pves: ProxmoxSimulator[] = [];
let home: string;
const secrets = new MemorySecretStore();
let core: PolyvisorCore | undefined;
/** server id → its simulator's port (log lines name servers by address) */
const portOf = new Map<string, number>();
const idOfPort = new Map<number, string>();
/** failed retries as the core logged them: port and time */
const attempts: Array<{ port: number; at: number }> = [];
/** every connection state change: server id, state, time */
const changes: Array<{ id: string; state: ConnectionState; at: number }> = [];

function openCore(connectAtOnce?: number): Promise<PolyvisorCore> {
  return createAppCore('web', {
    home,
    secrets,
    providers: [xenServerProviderFactory, proxmoxProviderFactory],
    inventoryBatchMs: 50,
    log: (_level, message) => {
      const m = /^(?:XenServer|Proxmox VE) [^:]+:(\d+): reconnect attempt \d+ failed/.exec(message);
      if (m) attempts.push({ port: Number(m[1]), at: Date.now() });
    },
  }).then(async (c) => {
    c.on('server:changed', (v) => changes.push({ id: v.id, state: v.state, at: Date.now() }));
    if (connectAtOnce !== undefined) await c.invoke('settings:set', { connectAtOnce });
    return c;
  });
}

async function addTrusted(c: PolyvisorCore, draft: Record<string, unknown>): Promise<ServerView> {
  const added = await c.invoke('servers:add', draft as never);
  const first = await c.invoke('servers:connect', added.id);
  if (first.state === 'connected') return first;
  return c.invoke('certs:accept', added.id, first.error!.certificate!.fingerprint256);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const xapiSessions = (sim: XapiSimulator) => sim.db.records('session').size;

beforeAll(async () => {
  xapis = await Promise.all(Array.from({ length: EACH }, (_, i) => startXapiSimulator({ generate: { hosts: 1, vms: 2, snapshots: 0 }, poolName: `pool-${i}` })));
  pves = await Promise.all(Array.from({ length: EACH }, () => startProxmoxSimulator({ generate: { nodes: 1, vms: 2, cts: 1 } })));
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-storm-'));
  core = await openCore();
  for (let i = 0; i < EACH; i += 5) {
    const batch = [
      ...xapis.slice(i, i + 5).map((s) => addTrusted(core!, { type: 'xenserver', name: `xapi-${s.port}`, host: s.host, port: s.port, username: 'root', password: 'password', rememberPassword: true, autoConnect: true, options: XAPI_OPTIONS })),
      ...pves.slice(i, i + 5).map((s) => addTrusted(core!, { type: 'proxmox', name: `pve-${s.port}`, host: s.host, port: s.port, username: 'root', password: 'password', rememberPassword: true, autoConnect: true, options: PVE_OPTIONS })),
    ];
    for (const view of await Promise.all(batch)) {
      expect(view.state).toBe('connected');
      portOf.set(view.id, view.port);
      idOfPort.set(view.port, view.id);
    }
  }
}, 300_000);

afterAll(async () => {
  await core?.stop();
  await Promise.all([...xapis.map((s) => s.stop()), ...pves.map((s) => s.stop())]);
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('fifty servers dropped at once', () => {
  it('retry spread out (full jitter) and all come back, each seen logging in again by its simulator', async () => {
    const c = core!;
    const sessionsBefore = xapis.map(xapiSessions);
    const loginsBefore = pves.map((s) => s.stats().passwordLogins);
    const droppedAt = Date.now();
    // the longest the event loop (core and simulators alike) stood still during the outage
    let longestStall = 0;
    let tick = Date.now();
    const stallTimer = setInterval(() => {
      longestStall = Math.max(longestStall, Date.now() - tick - 20);
      tick = Date.now();
    }, 20);
    await Promise.all([...xapis.map((s) => s.down()), ...pves.map((s) => s.down())]);

    // the outage lasts until every server has failed at least two retries
    await until(
      'two failed retries per server',
      () => [...portOf.values()].every((port) => attempts.filter((a) => a.port === port && a.at >= droppedAt).length >= 2),
      120_000,
    );
    const upAt = Date.now();
    clearInterval(stallTimer);
    await Promise.all([...xapis.map((s) => s.up()), ...pves.map((s) => s.up())]);
    await until('all fifty connected again', async () => (await c.invoke('servers:list')).every((v) => v.state === 'connected'), 120_000);
    const backAt = Date.now();

    // the simulators' own view: each was logged into again after it came back
    xapis.forEach((s, i) => expect(xapiSessions(s), `XAPI ${s.port}`).toBeGreaterThan(sessionsBefore[i]));
    pves.forEach((s, i) => expect(s.stats().passwordLogins, `PVE ${s.port}`).toBeGreaterThan(loginsBefore[i]));
    // and every tree is live: the guests each simulator holds
    const nodes = await c.invoke('inventory:get');
    for (const [id, port] of portOf) {
      const guests = nodes.filter((n) => n.serverId === id && (n.kind === 'vm' || n.kind === 'container') && !n.controlDomain).length;
      const sim = xapis.find((s) => s.port === port);
      const expected = sim
        ? [...sim.db.records('VM').values()].filter((r) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain).length
        : [...pves.find((s) => s.port === port)!.state.guests.values()].filter((g) => !g.template).length;
      expect(guests, `server on ${port}`).toBe(expected);
    }

    // the spread: each server's first retry after it noticed the drop, relative to that moment
    const firstDelays: number[] = [];
    for (const [id, port] of portOf) {
      const lostAt = changes.find((ch) => ch.id === id && ch.state === 'reconnecting' && ch.at >= droppedAt)!.at;
      const first = attempts.find((a) => a.port === port && a.at >= lostAt)!.at;
      firstDelays.push(first - lostAt);
    }
    firstDelays.sort((a, b) => a - b);
    const firstAttempts = [...portOf.values()].map((port) => attempts.find((a) => a.port === port && a.at >= droppedAt)!.at - droppedAt);
    const busiest100ms = Math.max(...firstAttempts.map((t) => firstAttempts.filter((u) => u >= t && u < t + 100).length));
    const comeback = [...portOf.keys()].map((id) => changes.find((ch) => ch.id === id && ch.state === 'connected' && ch.at >= upAt)!.at - upAt).sort((a, b) => a - b);
    console.log(
      `[reconnect storm] 50 servers: first retry after the drop p10/p50/p90 = ${quantile(firstDelays, 0.1)}/${quantile(firstDelays, 0.5)}/${quantile(firstDelays, 0.9)} ms ` +
        `(window ${FIRST_DELAY_MS} ms); at most ${busiest100ms} first retries in any 100 ms; ` +
        `back after the ports opened p10/p50/p90/max = ${quantile(comeback, 0.1)}/${quantile(comeback, 0.5)}/${quantile(comeback, 0.9)}/${comeback[comeback.length - 1]} ms; ` +
        `all back ${backAt - upAt} ms after (cap ${CAP_MS} ms); ${attempts.filter((a) => a.at >= droppedAt && a.at < upAt).length} failed retries during the outage; longest event-loop stall meanwhile ${longestStall} ms`,
    );
    // spread over the first window, not in one burst (lock-step retries would put all fifty within a few ms)
    expect(quantile(firstDelays, 0.9) - quantile(firstDelays, 0.1)).toBeGreaterThan(FIRST_DELAY_MS * 0.4);
    expect(busiest100ms).toBeLessThan(25);
    // nobody waits longer than the capped delay (plus a connect on a loaded machine) once the servers are back
    expect(comeback[comeback.length - 1]).toBeLessThan(CAP_MS + 20_000);
  }, 300_000);

  it('a restarted app connects the fifty at most connectAtOnce at a time', async () => {
    await core!.stop();
    core = undefined;
    const c = await openCore(6);
    core = c;
    changes.length = 0;
    await c.start();
    const list = await c.invoke('servers:list');
    expect(list.filter((v) => v.state === 'connected')).toHaveLength(50);
    let inFlight = 0;
    let most = 0;
    const connecting = new Set<string>();
    for (const ch of changes) {
      if (ch.state === 'connecting') connecting.add(ch.id);
      else connecting.delete(ch.id);
      inFlight = connecting.size;
      most = Math.max(most, inFlight);
    }
    console.log(`[bounded start] 50 servers, connectAtOnce 6: at most ${most} connecting at once; all connected in ${changes[changes.length - 1].at - changes[0].at} ms`);
    expect(most).toBeLessThanOrEqual(6);
    expect(most).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
