// Full inventory of a generated Proxmox cluster (16 nodes, 5,000 guests, every
// 10th with two snapshots): connect → reset delta, median of a few runs, and the
// provider's peak memory; and the size of the largest answers, which the size
// limit is chosen from. The simulator runs in a child process so only the
// provider's own work is measured here. Every wait has a deadline and says what
// it was waiting for.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../electron/core/providers/common/concurrency';
import { proxmoxProviderFactory } from '../electron/core/providers/proxmox';
import type { InventoryDelta } from '../shared/model';

const NODES = 16;
const VMS = 4000;
const CTS = 1000;
const RUNS = 3;
/** generous: a 2-core machine running other peers meanwhile */
const WAIT_MS = 180_000;

/** `p`, or a failure naming what did not happen within `ms`. */
function within<T>(p: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  return withTimeout(p, ms, () => new Error(`proxmox bench: no ${what} within ${Math.round(ms / 1000)} s`));
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function startSimulator(): Promise<{ child: ChildProcess; port: number; fingerprint: string; pem: string; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pv-pve-bench-'));
  const certFile = path.join(dir, 'cert.pem');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'test/sim/proxmox/cli.ts'), '--port', '0', '--generate', `nodes=${NODES},vms=${VMS},cts=${CTS}`, '--cert-out', certFile],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const port = await within(new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m && /fingerprint: ([0-9A-F:]+)/.test(out)) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  }), 'simulator listening (its "listening on" line)');
  const fingerprint = /fingerprint: ([0-9A-F:]+)/.exec(out)![1];
  return { child, port, fingerprint, pem: readFileSync(certFile, 'utf8'), dir };
}

/** Bytes of one GET answer, as the server sends it (logged in as root). */
async function answerBytes(port: number, pem: string, path: string): Promise<number> {
  const request = (method: string, p: string, body: string, headers: Record<string, string>) =>
    within(
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port, method, path: `/api2/json${p}`, ca: pem, checkServerIdentity: () => undefined, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      }),
      `answer to ${method} ${p}`,
    );
  const login = await request('POST', '/access/ticket', 'username=root%40pam&password=password', { 'Content-Type': 'application/x-www-form-urlencoded' });
  const ticket = (JSON.parse(login.body.toString()) as { data: { ticket: string } }).data.ticket;
  const res = await request('GET', path, '', { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` });
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.body.length;
}

const sim = await startSimulator();
const EXPECTED_SNAPSHOTS = 1000; // every 10th guest has two (see generateCluster)
const times: number[] = [];
const completeTimes: number[] = [];
const loadCpu: number[] = [];
const pollCpu: number[] = [];
const POLL_MS = 1000;
let peakRss = 0;
let peakHeap = 0;
let nodesInReset = 0;
const gc = (globalThis as { gc?: () => void }).gc;
try {
  for (let run = 0; run < RUNS; run++) {
    gc?.();
    const baseHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed - baseHeap);
    }, 10);
    const provider = proxmoxProviderFactory.create({
      serverId: 'bench',
      host: '127.0.0.1',
      port: sim.port,
      username: 'root',
      password: 'password',
      options: { realm: 'pam', pollIntervalMs: POLL_MS },
      tls: { pinnedFingerprint: sim.fingerprint, pinnedPem: sim.pem },
    });
    let reset: InventoryDelta | undefined;
    const snapshots = new Set<string>();
    let complete: () => void = () => {};
    const allSnapshots = new Promise<void>((resolve) => (complete = resolve));
    provider.on('inventory', (d) => {
      if (d.reset) reset = d;
      for (const n of d.upsert) if (n.kind === 'snapshot') snapshots.add(n.id);
      if (snapshots.size >= EXPECTED_SNAPSHOTS) complete();
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await within(provider.connect(), 'connected provider (reset delta)');
    const elapsed = performance.now() - t0;
    await within(allSnapshots, `all ${EXPECTED_SNAPSHOTS} snapshots in the deltas (seen ${snapshots.size})`);
    const full = performance.now() - t0;
    const cpuLoad = process.cpuUsage(cpu0);
    loadCpu.push((cpuLoad.user + cpuLoad.system) / 1000);
    // steady state: nothing changes, the provider polls once a second
    let deltasWhileIdle = 0;
    provider.on('inventory', () => deltasWhileIdle++);
    const cpu1 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 5 * POLL_MS));
    const cpuIdle = process.cpuUsage(cpu1);
    pollCpu.push((cpuIdle.user + cpuIdle.system) / 1000 / 5);
    clearInterval(sampler);
    if (!reset) throw new Error('no reset delta');
    nodesInReset = reset.upsert.length;
    times.push(elapsed);
    completeTimes.push(full);
    console.log(
      `run ${run + 1}: reset after ${elapsed.toFixed(0)} ms (${nodesInReset} nodes), all ${EXPECTED_SNAPSHOTS} snapshots after ${full.toFixed(0)} ms, ` +
        `provider CPU ${loadCpu.at(-1)!.toFixed(0)} ms; idle poll ≈ ${pollCpu.at(-1)!.toFixed(0)} ms CPU each, ${deltasWhileIdle} deltas while idle`,
    );
    await within(provider.disconnect(), 'disconnect');
  }
  const guests = VMS + CTS;
  const resourcesBytes = await answerBytes(sim.port, sim.pem, '/cluster/resources');
  const snapshotListBytes = await answerBytes(sim.port, sim.pem, '/nodes/node1/qemu/100/snapshot');
  const perGuest = resourcesBytes / (guests + NODES * 3);
  console.log(
    `answer sizes: GET /cluster/resources ${(resourcesBytes / 2 ** 20).toFixed(2)} MiB for ${guests} guests (${perGuest.toFixed(0)} bytes per entry) ` +
      `→ ~${((perGuest * 50_000) / 2 ** 20).toFixed(0)} MiB for 50,000 guests; a snapshot list with two snapshots ${snapshotListBytes} bytes`,
  );
} finally {
  sim.child.kill('SIGTERM');
  rmSync(sim.dir, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `proxmox: ${NODES} nodes / ${VMS + CTS} guests: connect → reset delta median ${median(times).toFixed(0)} ms ` +
    `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); ` +
    `→ all snapshot lists (${VMS + CTS} requests) median ${median(completeTimes).toFixed(0)} ms, provider CPU median ${median(loadCpu).toFixed(0)} ms; ` +
    `unchanged poll ≈ ${median(pollCpu).toFixed(0)} ms CPU; ` +
    `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (provider process), peak heap growth ${(peakHeap / 2 ** 20).toFixed(0)} MiB`,
);
const CONNECT_GOAL_MS = 1000;
console.log(`connect → tree (reset delta) median ${median(times).toFixed(0)} ms, goal ≤ ${CONNECT_GOAL_MS} ms: ${median(times) <= CONNECT_GOAL_MS ? 'met' : 'NOT met'}`);
