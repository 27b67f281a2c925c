// XAPI inventory benchmark: connect + full inventory of a generated pool
// (64 hosts, 10,000 VMs, 20,000 snapshots) by our provider and by Xen Orchestra's
// `xen-api` client, against the same simulator in one run.
//
// Each measurement runs in a fresh child process (this file with `--client`), so
// their memory is their own and one run cannot warm the other. Polyvisor's child is an
// esbuild bundle run in plain Node, as the app and the CLI run (xapi-polyvisor-client.ts):
// no TypeScript is compiled on its clock or in its parse workers. Every client's modules
// are loaded before its clock starts. The simulator runs
// here, serving both. The sim's certificate is given to xen-api as an extra CA
// (NODE_EXTRA_CA_CERTS) and to ours through TlsTrust.extraCa: both verify TLS.
//
//   npx tsx bench/xapi.bench.ts [--runs 3] [--hosts 64 --vms 10000 --snapshots 20000]
//
// xen-api is measured twice: as Xen Orchestra runs it (it loads every class), and
// told to watch only the five classes our inventory reads (same bytes on the wire).
// The floor is the same HTTP requests as Polyvisor's load (login, the event token,
// one get_all_records per watched class, all at once), each answer read whole and
// JSON.parse'd: what no JSON-RPC client can beat on this machine.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WATCHED_CLASSES } from '../electron/core/providers/xenserver/records';
import { median } from './lib/median';
import { bundleXapiClient } from './lib/xapi-client-bundle';
import { cpuMsSince, heapAfterGc, mb, MINUTE, peakRssMb, report, within, type Measurement } from './lib/xapi-measure';

/**
 * xen-api: as Xen Orchestra uses it (every class); xen-api/5: told to watch only our five classes;
 * floor: the same HTTP requests as Polyvisor's load, each answer read whole and JSON.parse'd, nothing else.
 */
type ClientName = 'polyvisor' | 'xen-api' | 'xen-api/5' | 'floor';
const CLIENTS: ClientName[] = ['polyvisor', 'floor', 'xen-api', 'xen-api/5'];

const CLASSES = ['pool', 'host', 'host_metrics', 'VM', 'VM_guest_metrics'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

// ---------------------------------------------------------------- child side

async function measureXenApi(url: URL, allClasses: boolean): Promise<Measurement> {
  const xenApiModule: string = 'xen-api'; // untyped package
  const { createClient } = (await import(xenApiModule)) as {
    createClient(opts: object): {
      connect(): Promise<void>;
      disconnect(): Promise<void>;
      objectsFetched: Promise<void>;
      objects: { size: number };
    };
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const xapi = createClient({
    url: url.origin,
    auth: { user: 'root', password: 'password' },
    allowUnauthorized: false,
    ...(allClasses ? {} : { watchEvents: CLASSES }),
  });
  await within(MINUTE, 'xen-api to log in', xapi.connect());
  await within(10 * MINUTE, 'xen-api to fetch every object', xapi.objectsFetched);
  const ms = performance.now() - started;
  const cpuMs = cpuMsSince(cpu);
  const heap = await heapAfterGc();
  const objects = xapi.objects.size;
  await within(MINUTE, 'xen-api to disconnect', xapi.disconnect());
  return { ms, cpuMs, objects, peakRssMb: peakRssMb(), heapAfterMb: mb(heap) };
}

async function measureFloor(url: URL, caPem: string): Promise<Measurement> {
  const { rawFloorLoad } = await import('./xapi-floor');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const objects = await within(10 * MINUTE, 'the floor client to fetch every record', rawFloorLoad(url, caPem, [...WATCHED_CLASSES]));
  const ms = performance.now() - started;
  const cpuMs = cpuMsSince(cpu);
  const heap = await heapAfterGc();
  return { ms, cpuMs, objects, peakRssMb: peakRssMb(), heapAfterMb: mb(heap) };
}

async function child(): Promise<void> {
  const client = arg('client', '') as ClientName;
  const url = new URL(arg('url', ''));
  const caPem = process.env.BENCH_CA_PEM ?? '';
  report(client === 'floor' ? await measureFloor(url, caPem) : await measureXenApi(url, client === 'xen-api'));
  process.exit(0);
}

// ---------------------------------------------------------------- parent side

/** `polyvisorClient`: the bundled Polyvisor client (run without a TypeScript loader, as the app is). */
function runChild(client: ClientName, url: string, caFile: string, caPem: string, polyvisorClient: string): Promise<Measurement> {
  const self = fileURLToPath(import.meta.url);
  const args = client === 'polyvisor' ? ['--expose-gc', polyvisorClient, '--polyvisor-client', '--url', url] : ['--import', 'tsx', '--expose-gc', self, '--client', client, '--url', url];
  const run = new Promise<Measurement>((resolve, reject) => {
    const proc = spawn(process.execPath, args, {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: client === 'polyvisor' || client === 'floor' ? '' : caFile, BENCH_CA_PEM: caPem },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // the child has its own deadlines; this one catches a child that hangs outside them
    const killer = setTimeout(() => proc.kill('SIGKILL'), 12 * MINUTE);
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('exit', (code, signal) => {
      clearTimeout(killer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as Measurement);
      else reject(new Error(`${client} run failed (${signal === 'SIGKILL' ? 'killed after 12 min' : `exit ${code}`}):\n${err.slice(-2000)}`));
    });
  });
  return within(13 * MINUTE, `the ${client} run to finish`, run);
}

async function parent(): Promise<void> {
  const runs = Number(arg('runs', '3'));
  const spec = { hosts: Number(arg('hosts', '64')), vms: Number(arg('vms', '10000')), snapshots: Number(arg('snapshots', '20000')) };
  const { startXapiSimulator } = await import('../test/sim/xapi');

  const t = performance.now();
  const sim = await within(5 * MINUTE, 'the simulator to generate the pool', startXapiSimulator({ generate: spec }));
  console.log(`simulator: ${spec.hosts} hosts, ${spec.vms} VMs, ${spec.snapshots} snapshots, ready in ${Math.round(performance.now() - t)} ms`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xapi-bench-'));
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, sim.certPem);
  const polyvisorClient = await within(5 * MINUTE, 'the Polyvisor client to be bundled', bundleXapiClient(dir));
  console.log(`load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const results: Record<ClientName, Measurement[]> = { polyvisor: [], floor: [], 'xen-api': [], 'xen-api/5': [] };
  try {
    for (let i = 0; i < runs; i++) {
      // alternate the order so neither always meets a warmer simulator
      const order = [...CLIENTS.slice(i % CLIENTS.length), ...CLIENTS.slice(0, i % CLIENTS.length)];
      for (const client of order) {
        const m = await runChild(client, sim.url, caFile, sim.certPem, polyvisorClient);
        results[client].push(m);
        console.log(
          `  run ${i + 1} ${client.padEnd(10)} ${Math.round(m.ms)} ms (CPU ${Math.round(m.cpuMs)} ms)  objects=${m.objects}  peak RSS ${m.peakRssMb} MB  heap after load ${m.heapAfterMb} MB`,
        );
      }
    }
  } finally {
    await within(MINUTE, 'the simulator to stop', sim.stop());
    rmSync(dir, { recursive: true, force: true });
  }

  const summary = (name: ClientName) => {
    const r = results[name];
    return {
      ms: median(r.map((m) => m.ms)),
      cpu: median(r.map((m) => m.cpuMs)),
      rss: median(r.map((m) => m.peakRssMb)),
      heap: median(r.map((m) => m.heapAfterMb)),
    };
  };
  console.log('\nconnect + full inventory (median of %d runs; load average now %s)', runs, os.loadavg().map((l) => l.toFixed(1)).join(' '));
  for (const client of CLIENTS) {
    const m = summary(client);
    console.log(`  ${client.padEnd(10)} ${String(Math.round(m.ms)).padStart(7)} ms (CPU ${Math.round(m.cpu)} ms)   peak RSS ${m.rss} MB   heap after load ${m.heap} MB`);
  }
  const ours = summary('polyvisor').ms;
  const ratio = ours / summary('xen-api').ms;
  console.log(`  ratio polyvisor / xen-api   = ${ratio.toFixed(2)} (goal ≤ 0.50: ${ratio <= 0.5 ? 'met' : 'NOT met'})`);
  const ratio5 = ours / summary('xen-api/5').ms;
  console.log(`  ratio polyvisor / xen-api/5 = ${ratio5.toFixed(2)} (same classes, same bytes; goal ≤ 0.60: ${ratio5 <= 0.6 ? 'met' : 'NOT met'})`);
  const floorRatio = ours / summary('floor').ms;
  console.log(`  ratio polyvisor / floor     = ${floorRatio.toFixed(2)} (the same requests, JSON.parse and nothing else; goal ≤ 1.5: ${floorRatio <= 1.5 ? 'met' : 'NOT met'})`);
  // on a machine others load too, the clients' own CPU time is the steadier comparison
  console.log(`  CPU ratio polyvisor / xen-api = ${(summary('polyvisor').cpu / summary('xen-api').cpu).toFixed(2)}`);
  console.log(`  CPU ratio polyvisor / floor   = ${(summary('polyvisor').cpu / summary('floor').cpu).toFixed(2)}`);
}

if (process.argv.includes('--client')) await child();
else await parent();
