// Threshold rules on XAPI (issue 15): the core's CPU per minute while one rule watches
// every VM of a generated pool (16 hosts, each member answering for its own performance
// data; the simulator in its own process), evaluated every 10 s — before: each VM's
// 10-minute series asked on its own every round (ThresholdWatchOptions.batch=false);
// after: one rrd_updates per host per round, only what is newer than the readings taken
// in. Measured in the steady state after the rule's first 10 s (which read the 10-minute
// history once; their CPU shown apart), against the same core idle with no rule.
//
//   npx tsx bench/thresholds.bench.ts [--vms 1000,10000 --seconds 60]

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startXapiSimProcess } from '../test/peers/xapi-sim-process';
import { createAppCore, type PolyvisorCore } from '../electron/core/app-core';
import { MemorySecretStore } from '../electron/core/secrets/memory-secret-store';


function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const SIZES = arg('vms', '1000,10000').split(',').map(Number);
const SECONDS = Number(arg('seconds', '60'));
const ROUND_MS = 10_000;
const ms = (n: number) => `${n.toFixed(0)} ms`;


async function connect(core: PolyvisorCore, host: string, port: number): Promise<void> {
  const server = await core.invoke('servers:add', { type: 'xenserver', name: 'Thresholds bench', host, port, username: 'root', password: 'password', autoConnect: false });
  const first = await core.invoke('servers:connect', server.id);
  if (first.state === 'connected') return;
  const fp = first.error?.certificate?.fingerprint256;
  if (!fp) throw new Error(`connect failed: ${JSON.stringify(first.error)}`);
  const accepted = await core.invoke('certs:accept', server.id, fp);
  if (accepted.state !== 'connected') throw new Error(`connect failed: ${JSON.stringify(accepted.error)}`);
}

async function cpuOver(seconds: number): Promise<number> {
  const start = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** One core watching every VM with one rule; the core's CPU per minute above idle. */
async function measure(sim: { host: string; port: number }, batch: boolean): Promise<{ perMinute: number; firstRoundMs: number; vms: number }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-bench-thresholds-'));
  const core = await createAppCore('web', { home, secrets: new MemorySecretStore(), version: 'bench', thresholds: { intervalMs: ROUND_MS, batch } });
  try {
    await core.start();
    await connect(core, sim.host, sim.port);
    const vms = (await core.invoke('inventory:get')).filter((n) => n.kind === 'vm' && n.state === 'running' && !n.controlDomain).length;
    await new Promise((r) => setTimeout(r, 5000));
    const idleMs = await cpuOver(SECONDS);
    // the rule's first round reads every VM's 10-minute history: its CPU is measured on its own, then the steady state
    await core.invoke('thresholds:create', { name: 'Any VM pegged', metric: 'cpu', comparison: 'above', value: 99, durationSeconds: 300, scope: { kind: 'all' }, kinds: ['vm'], severity: 'minor' });
    const firstRoundMs = await cpuOver(ROUND_MS / 1000);
    const watchingMs = await cpuOver(SECONDS);
    return { perMinute: ((watchingMs - idleMs) * 60) / SECONDS, firstRoundMs, vms };
  } finally {
    await core.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

for (const size of SIZES) {
  const sim = await startXapiSimProcess({ hosts: 16, vms: size, snapshots: 0, allRunning: true, memberHosts: true, poolName: 'Thresholds bench' });
  try {
    for (const batch of [false, true]) {
      const r = await measure(sim, batch);
      const label = batch ? 'after: one rrd_updates per host per round' : 'before: one 10-minute query per VM per round';
      console.log(`${String(r.vms).padStart(6)} running VMs, ${label.padEnd(46)} core CPU ${ms(r.perMinute)} per minute = ${((r.perMinute / 60_000) * 100).toFixed(2)} % of one core (first 10 s with the rule: ${ms(r.firstRoundMs)} CPU)`);
    }
  } finally {
    await sim.stop();
  }
}
// a keep-alive socket of the stopped core must not hold the bench open
process.exit(0);
