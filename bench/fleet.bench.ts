// The fleet bench (issue 17): 100 saved servers of mixed types started locally and 50,000
// guests, measured in one run against the goals for this 2-core machine.
//   npm run bench -- fleet [--scale 0.1]      (or FLEET_SCALE=0.1; FLEET_EVENTS_PER_SECOND;
//   FLEET_CPU_PROFILE=<file>: the core's CPU profile from its start until the tree is complete;
//   FLEET_CONNECT_AT_ONCE=<n>: the connectAtOnce setting (servers connecting at once; default DEFAULT_CONNECT_AT_ONCE);
//   FLEET_CORE_CHURN_PROFILE=<file>: the core's while the events arrive;
//   FLEET_RENDERER_PROFILE=<file>: the page's CPU profile while the events arrive — build the
//   renderer with `--minify false` into POLYVISOR_RENDERER_OUT for readable names)
// The simulators run in child processes (several pools per process: 100 processes do not
// fit 2 cores), vcsim is a Go process per instance, Docker is one real dockerd with real
// containers. The core runs in this process (as the web host runs it), so the event-loop
// delay measured here is the core's; the renderer is the built app in Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import type { ServerDraft, ServerView } from '../shared/contract';
import type { InventoryNode } from '../shared/model';
import { createAppCore, type PolyvisorCore } from '../electron/core/app-core';
import { MemorySecretStore } from '../electron/core/secrets/memory-secret-store';
import { startWebHost } from '../electron/web/host';
import { PinStore } from '../electron/core/tls/pin-store';
import { fetchPresentedCertificate } from '../electron/core/tls/probe';
import { dockerdUnavailableReason } from '../test/peers/dockerd';
import { vcsimUnavailableReason } from '../test/peers/vcsim';
import { CHROMIUM_ARGS, ensureRendererBuilt, keystroke, percentiles, staticDir, typeAndErase } from './lib/web-stack';
import { fleetPlan } from './fleet/plan';
import { startSimGroup, type SimGroup } from './fleet/sim-groups';
import { startDockerWithContainers, startVcsims } from './fleet/real-peers';
import { coreBreakdown, MemoryWatch, mib } from './fleet/memory';
import { WATCH_PAGE, pageMarks, seenAt, visibleGuestRows, watchRow } from './fleet/page-watch';
import { GoalReport } from './fleet/goal-report';
import { shareRate } from './fleet/pacer';
import { startCoreProfile } from './fleet/core-profile';
import { startProfile } from './lib/cpu-profile';
import { FamilyTimes } from './fleet/family-times';

const scaleArg = process.argv.indexOf('--scale');
const scale = Number(scaleArg >= 0 ? process.argv[scaleArg + 1] : (process.env.FLEET_SCALE ?? 1));
const EVENTS_PER_SECOND = Number(process.env.FLEET_EVENTS_PER_SECOND ?? 1000);
const PROBES = Math.max(30, Math.round(100 * scale));
/** a power change not on screen by then counts as missed */
const PROBE_TIMEOUT_MS = 30_000;
/** the probes stop after this long even if fewer than PROBES were made (a loaded fleet can miss many) */
const PROBE_PHASE_MS = Number(process.env.FLEET_PROBE_PHASE_S ?? 180) * 1000;
/** the VM name every simulated XAPI pool has, left out of the churn: the probes flip it */
const PROBE_NAME = 'vm-00007';
/** how long to wait, after the start's attempts, for servers the core retries */
const STRAGGLER_WAIT_MS = 180_000;
const wall = () => performance.timeOrigin + performance.now();
const stoppers: Array<() => Promise<void>> = [];
const home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-fleet-'));
const report = new GoalReport();
let heading = `fleet at scale ${scale}`;
let shuttingDown: Promise<void> | null = null;

/** Stops every peer once, whether the run ended, threw, or was told to stop. */
function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const stop of stoppers.reverse()) await stop().catch((err: unknown) => console.error(`stopping: ${(err as Error).message}`));
    rmSync(home, { recursive: true, force: true });
  })();
  return shuttingDown;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    report.print(`${heading}; load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`, `stopped by ${signal}`);
    void shutdown().finally(() => process.exit(130));
  });
}

async function startPeers() {
  const plan = fleetPlan(scale);
  const vcsimWhy = vcsimUnavailableReason();
  const dockerWhy = dockerdUnavailableReason();
  if (vcsimWhy) console.log(`vcsim left out: ${vcsimWhy}`);
  if (dockerWhy) console.log(`dockerd left out: ${dockerWhy}`);
  const t = performance.now();
  const tracked = <T extends { stop(): Promise<void> }>(p: Promise<T>) => p.then((x) => (stoppers.push(() => x.stop()), x));
  const settled = await Promise.allSettled([
    Promise.all(plan.groups.map((g) => tracked(startSimGroup(g)))),
    vcsimWhy ? Promise.resolve([]) : startVcsims(plan.vcsims).then((list) => (list.forEach((v) => stoppers.push(() => v.sim.stop())), list)),
    dockerWhy ? Promise.resolve(null) : tracked(startDockerWithContainers(plan.containers)),
  ] as const);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const [groups, vcsims, docker] = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
    SimGroup[],
    Awaited<ReturnType<typeof startVcsims>>,
    Awaited<ReturnType<typeof startDockerWithContainers>> | null,
  ];
  console.log(`peers up in ${((performance.now() - t) / 1000).toFixed(0)} s: ${groups.length} simulator processes, ${vcsims.length} vcsim, ${docker ? 1 : 0} dockerd`);
  return { plan, groups, vcsims, docker };
}

/** The saved servers, their certificates pinned as a user accepting them would (trust on first use). */
async function saveProfile(peers: Awaited<ReturnType<typeof startPeers>>, secrets: MemorySecretStore): Promise<Map<string, { group: SimGroup; pool: number }>> {
  const drafts: ServerDraft[] = [];
  const tls: Array<{ host: string; port: number; fingerprint256: string }> = [];
  const xapiPools = new Map<string, { group: SimGroup; pool: number }>();
  for (const group of peers.groups) {
    group.servers.forEach((s, pool) => {
      tls.push(s);
      if (s.kind === 'xapi') {
        xapiPools.set(s.name, { group, pool });
        drafts.push({ type: 'xenserver', name: s.name, host: s.host, port: s.port, username: 'root', password: 'password' });
      } else drafts.push({ type: 'proxmox', name: s.name, host: s.host, port: s.port, username: 'root', password: 'password', options: { realm: 'pam' } });
    });
  }
  for (const { spec, sim } of peers.vcsims) {
    tls.push(sim);
    drafts.push({ type: 'vsphere', name: spec.name, host: sim.host, port: sim.port, username: sim.username, password: sim.password });
  }
  if (peers.docker) drafts.push({ type: 'docker', name: 'Docker engine', host: `unix://${peers.docker.socketPath}`, username: '' });

  const pins = await PinStore.open(home);
  for (const s of tls) {
    const cert = await fetchPresentedCertificate(s.host, s.port);
    if (cert.fingerprint256 !== s.fingerprint256) throw new Error(`${s.host}:${s.port} presented ${cert.fingerprint256}, not its own ${s.fingerprint256}`);
    await pins.pin(cert);
  }
  pins.close();
  const setup = await createAppCore('web', { home, secrets, version: 'bench' });
  for (const d of drafts) await setup.invoke('servers:add', { ...d, autoConnect: true, rememberPassword: true });
  if (process.env.FLEET_CONNECT_AT_ONCE) await setup.invoke('settings:set', { connectAtOnce: Number(process.env.FLEET_CONNECT_AT_ONCE) });
  await setup.stop();
  return xapiPools;
}

/** Resolves with the server list once every server is connected, or when `ms` have passed. */
async function everyConnected(core: PolyvisorCore, ms: number): Promise<ServerView[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const list = await core.invoke('servers:list');
    if (list.every((s) => s.state === 'connected') || Date.now() > deadline) return list;
    await new Promise<void>((resolve) => {
      const off = core.on('server:changed', () => {
        off();
        clearTimeout(timer);
        resolve();
      });
      const timer = setTimeout(() => {
        off();
        resolve();
      }, Math.max(0, deadline - Date.now()));
    });
  }
}

const isGuest = (n: InventoryNode) => (n.kind === 'vm' || n.kind === 'container') && !n.controlDomain;

try {
  const peers = await startPeers();
  const secrets = new MemorySecretStore();
  const xapiPools = await saveProfile(peers, secrets);
  ensureRendererBuilt();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  stoppers.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript({ content: WATCH_PAGE });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const jsHeap = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;

  // ---- app start: the core on the saved profile, its web host, the page
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const startLoop = monitorEventLoopDelay({ resolution: 10 });
  const memory = new MemoryWatch();
  const t0 = wall();
  loop.enable();
  startLoop.enable();
  memory.start(1_000);
  const profileFile = process.env.FLEET_CPU_PROFILE;
  const profiling = profileFile ? await startCoreProfile() : null;
  const core = await createAppCore('web', { home, secrets, version: 'bench' });
  const families = new FamilyTimes(core, t0, wall);
  const host = await startWebHost({ core, staticDir });
  stoppers.push(async () => {
    await host.close();
    await core.stop();
  });
  const connecting = core.start();
  await page.goto(host.url);
  console.log(`page loaded ${((wall() - t0) / 1000).toFixed(1)} s after start`);
  await connecting;
  console.log(`the start's connection attempts settled ${((wall() - t0) / 1000).toFixed(1)} s after start`);
  // a server whose first attempt failed is retried by the core: give the stragglers time, then go on with those connected
  const servers = await everyConnected(core, STRAGGLER_WAIT_MS);
  const connectedAt = wall();
  const notConnected = servers.filter((s) => s.state !== 'connected');
  if (notConnected.length) console.log(`NOT connected ${((connectedAt - t0) / 1000).toFixed(0)} s after start: ${notConnected.map((s) => `${s.name} (${s.state}: ${s.error?.message ?? ''})`).join('; ')}`);
  const nodes = await core.invoke('inventory:get');
  const guests = nodes.filter(isGuest).length;
  const snapshots = nodes.filter((n) => n.kind === 'snapshot').length;
  console.log(`${servers.length - notConnected.length} of ${servers.length} servers connected ${((connectedAt - t0) / 1000).toFixed(1)} s after start: ${nodes.length} nodes, ${guests} guests, ${snapshots} snapshots`);
  const treeAt = (await (
    await page.waitForFunction(
      (expected) => {
        const s = document.querySelector('[data-testid=status-vms]')?.textContent ?? '';
        const total = Number((s.match(/\d[\d,]*/g) ?? []).pop()?.replace(/,/g, '') ?? NaN);
        return total === expected && performance.timeOrigin + performance.now();
      },
      guests,
      { polling: 'raf', timeout: 300_000 },
    )
  ).jsonValue()) as number;
  const ready = Math.max(connectedAt, treeAt) - t0;
  heading = `fleet at scale ${scale}: ${servers.length} servers, ${guests} guests, ${snapshots} snapshots`;
  report.add({
    what: `all ${servers.length} servers connected and the tree complete (hosts and guests; Proxmox VE snapshot lists follow)`,
    value: notConnected.length ? `${notConnected.length} never connected (${(ready / 1000).toFixed(1)} s for the rest)` : `${(ready / 1000).toFixed(1)} s`,
    goal: '≤ 15 s',
    met: !notConnected.length && ready <= 15_000,
  });
  startLoop.disable();
  console.log(`during the start (until the tree was complete): core event-loop delay p99 ${(startLoop.percentile(99) / 1e6).toFixed(1)} ms, max ${(startLoop.max / 1e6).toFixed(0)} ms`);
  if (profiling) console.log((await profiling.stop(profileFile!)).join('\n'));
  report.add({ what: 'servers live by family (first; last)', value: families.summary(), goal: '—' });
  report.add({ what: 'snapshot nodes, after the tree (Proxmox VE lists read in the background)', value: await families.snapshotsSettled(3_000, 120_000), goal: '—' });
  families.stop();

  // ---- settled memory: after a collection on both sides
  (globalThis as { gc?: () => void }).gc?.();
  await cdp.send('HeapProfiler.collectGarbage');
  const settled = await memory.sampleNow();
  const heap = await jsHeap();
  console.log(`settled: core ${mib(settled.core)}, Chromium ${mib(settled.chromium)} (renderer JS heap ${mib(heap)}), whole app ${mib(settled.total)}`);
  console.log(`settled: ${coreBreakdown(settled)}; at the peak so far: ${coreBreakdown(memory.peak)}`);
  report.add({ what: 'whole app memory, peak so far (core RSS + Chromium PSS)', value: `${mib(memory.peak.total)} (core ${mib(memory.peak.core)})`, goal: '≤ 1 GB', met: memory.peak.total <= 2 ** 30 });
  report.add({ what: 'whole app memory, settled', value: `${mib(settled.total)} (core ${mib(settled.core)}, renderer heap ${mib(heap)})`, goal: '≤ 1 GB', met: settled.total <= 2 ** 30 });
  report.add({ what: 'settled memory per guest (core RSS; Chromium PSS; renderer JS heap)', value: `${perGuestKib(settled.core, guests)}; ${perGuestKib(settled.chromium, guests)}; ${perGuestKib(heap, guests)}`, goal: '—' });

  // ---- filter keystrokes over the whole fleet
  await keystroke(page, '');
  const keys = percentiles(Object.values(await typeAndErase(page, 'vm-0004', 2)).flat());
  report.add({ what: `filter keystroke over ${guests} guests (p90; max)`, value: `${keys.p90.toFixed(1)} ms; ${keys.max.toFixed(1)} ms`, goal: '≤ 50 ms', met: keys.p90 <= 50 });

  // ---- events: churn across the XAPI pools, probes timed from the simulator to the screen
  await keystroke(page, PROBE_NAME);
  const idOf = new Map(servers.map((s) => [s.id, s.name]));
  const shares = shareRate(EVENTS_PER_SECOND, peers.plan.groups.map((g) => g.reduce((n, p) => n + (p.kind === 'xapi' ? p.vms : 0), 0)));
  const churnStart = wall();
  const churnLoop = monitorEventLoopDelay({ resolution: 10 });
  churnLoop.enable();
  peers.groups.forEach((g, i) => g.churn(shares[i]!, [PROBE_NAME]));
  const rendererProfileFile = process.env.FLEET_RENDERER_PROFILE;
  const rendererProfile = rendererProfileFile ? await startProfile(page) : null;
  const coreChurnFile = process.env.FLEET_CORE_CHURN_PROFILE;
  const coreChurnProfile = coreChurnFile ? await startCoreProfile() : null;
  const latencies: number[] = [];
  const missed: string[] = [];
  for (let i = 0; i < PROBES && wall() - churnStart < PROBE_PHASE_MS; i++) {
    const rows = await visibleGuestRows(page);
    const row = rows[i % rows.length];
    if (!row) throw new Error(`no "${PROBE_NAME}" row on screen to probe`);
    const serverId = row.key.split(':')[0]!;
    const target = xapiPools.get(idOf.get(serverId) ?? '');
    if (!target) throw new Error(`row ${row.key} is not a simulated XAPI pool's`);
    const expected = row.state === 'running' ? 'halted' : 'running';
    await watchRow(page, row.key, expected);
    const { at, state } = await target.group.toggle(target.pool, PROBE_NAME);
    // the screen was behind the simulator (an earlier probe still on its way): watch for what it is now
    if (state.toLowerCase() !== expected) await watchRow(page, row.key, state.toLowerCase());
    const seen = await seenAt(page, row.key, PROBE_TIMEOUT_MS);
    if (seen === null) missed.push(row.key);
    else latencies.push(seen - at);
  }
  const churnEnd = wall();
  if (coreChurnProfile) console.log(`the core while the events arrived:\n  ${(await coreChurnProfile.stop(coreChurnFile!)).join('\n  ')}`);
  if (rendererProfile) console.log(`the page while the events arrived:\n  ${(await rendererProfile.stop(rendererProfileFile, 20)).join('\n  ')}`);
  const events = (await Promise.all(peers.groups.map((g) => g.stopChurn()))).reduce((a, b) => a + b, 0);
  const rate = events / ((churnEnd - churnStart) / 1000);
  loop.disable();
  churnLoop.disable();
  memory.stop();

  const marks = await pageMarks(page);
  const late = marks.longTasks.filter((t) => t.at >= marks.firstRowAt);
  const duringChurn = late.filter((t) => t.at >= churnStart);
  console.log(
    `while the events arrived: core event-loop delay p99 ${(churnLoop.percentile(99) / 1e6).toFixed(1)} ms, ${duringChurn.length} renderer long tasks (longest ${Math.max(0, ...duringChurn.map((t) => t.ms)).toFixed(0)} ms); ` +
      `before them (start, load, keystrokes): ${late.length - duringChurn.length} long tasks`,
  );
  const lat = percentiles(latencies);
  const loopP99 = loop.percentile(99) / 1e6;
  report.add({ what: 'time to first paint of the tree (server rows; first guest row)', value: `${((marks.firstRowAt - t0) / 1000).toFixed(2)} s; ${((marks.firstGuestAt - t0) / 1000).toFixed(2)} s`, goal: '—' });
  console.log(`at the peak of the whole run: ${coreBreakdown(memory.peak)}, Chromium ${mib(memory.peak.chromium)}`);
  report.add({ what: 'whole app memory, peak over the whole run (core RSS + Chromium PSS)', value: `${mib(memory.peak.total)} (core ${mib(memory.peak.core)})`, goal: '≤ 1 GB', met: memory.peak.total <= 2 ** 30 });
  report.add({
    what: `event → screen at ${rate.toFixed(0)} events/s, ${latencies.length} probes seen (p50 / p95 / p99)`,
    value: `${lat.median.toFixed(0)} / ${lat.p95.toFixed(0)} / ${lat.p99.toFixed(0)} ms${missed.length ? `; ${missed.length} not on screen within ${PROBE_TIMEOUT_MS / 1000} s` : ''}`,
    goal: 'p95 ≤ 100 ms',
    met: !missed.length && lat.p95 <= 100,
  });
  report.add({ what: 'renderer long tasks after first paint (count; longest)', value: `${late.length}; ${Math.max(0, ...late.map((t) => t.ms)).toFixed(0)} ms`, goal: 'none > 50 ms', met: late.length === 0 });
  report.add({ what: 'core event-loop delay (p99; max)', value: `${loopP99.toFixed(1)} ms; ${(loop.max / 1e6).toFixed(0)} ms`, goal: 'p99 ≤ 50 ms', met: loopP99 <= 50 });
  report.print(`${heading}; load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);
} catch (err) {
  report.print(`${heading}; load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`, `failed: ${(err as Error).message}`);
  throw err;
} finally {
  await shutdown();
}

function perGuestKib(bytes: number, guests: number): string {
  return guests ? `${(bytes / guests / 1024).toFixed(1)} KiB` : '—';
}
