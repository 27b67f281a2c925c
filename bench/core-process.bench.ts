// The web host's own event loop during a fleet-like start, with the core in the host's
// process and in a process of its own (issue 17). Several XAPI simulator pools (each in
// its own process) are added and connected at once through the contract, with a page's
// WebSocket connected to the web host. For
// each run: the time until all are connected, the host's event-loop delay p99 and
// longest hold, the CPU time the host process spent (its parse workers included), and
// the round trips of the page's app:info asked every 25 ms meanwhile.
//   npm run bench -- core-process [--pools 4] [--vms 2000]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createAppCore, type PolyvisorCore } from '../electron/core/app-core';
import { forkCoreProcess } from '../electron/core/host/fork-transport';
import { RemoteCore } from '../electron/core/host/remote-core';
import { MemorySecretStore } from '../electron/core/secrets/memory-secret-store';
import { startWebHost } from '../electron/web/host';
import { WEB_API_PATH, WEB_TOKEN_PARAM } from '../shared/wire';
import { startXapiSimProcess, type SimProcess } from '../test/peers/xapi-sim-process';
import { watchLoopGaps } from './lib/loop-gaps';
import { addAndConnect } from './lib/web-stack';

const { values } = parseArgs({ options: { pools: { type: 'string', default: '4' }, vms: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '2' } } });
const POOLS = Number(values.pools);
const VMS = Number(values.vms);
const ROUNDS = Number(values.rounds);
const testEntry = path.resolve(import.meta.dirname, '../test/peers/core-process-entry.ts');

const pct = (xs: number[], p: number) => ([...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)] ?? NaN).toFixed(0);

async function oneStart(sims: SimProcess[], split: boolean): Promise<string> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'pv-core-process-bench-'));
  const core: PolyvisorCore = split
    ? await RemoteCore.start({ launch: forkCoreProcess({ entry: testEntry }), init: { mode: 'web', home, version: 'bench', consoleOrigins: [], testKeychain: { available: true } } })
    : await createAppCore('web', { home, secrets: new MemorySecretStore(), version: 'bench' });
  const host = await startWebHost({ core, staticDir: home });
  const url = new URL(host.url);
  const page = new WebSocket(`ws://${url.host}${WEB_API_PATH}?${WEB_TOKEN_PARAM}=${host.token}`, { origin: url.origin });
  await new Promise((resolve, reject) => page.once('open', resolve).once('error', reject));
  // the page asks app:info every 25 ms (through the host to the core) and times each answer
  const sentAt = new Map<number, number>();
  const trips: number[] = [];
  page.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as { type: string; id?: number };
    const at = m.type === 'reply' && m.id !== undefined ? sentAt.get(m.id) : undefined;
    if (at !== undefined) trips.push(performance.now() - at);
  });
  let nextId = 1;
  const asking = setInterval(() => {
    sentAt.set(nextId, performance.now());
    page.send(JSON.stringify({ type: 'invoke', id: nextId++, channel: 'app:info', args: [] }));
  }, 25);
  const cpu0 = process.cpuUsage();
  const gaps = watchLoopGaps();
  const t0 = performance.now();
  await Promise.all(sims.map((sim, i) => addAndConnect(core, { type: 'xenserver', name: `Pool ${i + 1}`, host: sim.host, port: sim.port, username: 'root', password: 'password' })));
  const wall = performance.now() - t0;
  clearInterval(asking);
  const loop = gaps.stop();
  const cpu = process.cpuUsage(cpu0);
  const nodes = (await core.invoke('inventory:get')).length;
  page.close();
  await host.close();
  await core.stop();
  rmSync(home, { recursive: true, force: true });
  return (
    `${split ? 'core process ' : 'in the host  '}: ${POOLS} pools, ${nodes} nodes connected in ${Math.round(wall)} ms; host event-loop delay p99 ${loop.p99Ms.toFixed(1)} ms, ` +
    `longest hold ${loop.longestMs.toFixed(0)} ms (its CPU ${loop.longestCpuMs.toFixed(0)} ms), holds > 50 ms: ${loop.over50}; host CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms; page app:info round trip p50 ${pct(trips, 0.5)} / p99 ${pct(trips, 0.99)} ms over ${trips.length}`
  );
}

const sims = await Promise.all(Array.from({ length: POOLS }, (_, i) => startXapiSimProcess({ hosts: 4, vms: VMS, snapshots: 1, poolName: `Pool ${i + 1}` })));
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const split of [false, true]) console.log(`round ${round} ${await oneStart(sims, split)}`);
  }
} finally {
  await Promise.all(sims.map((s) => s.stop()));
}
