// Issue 17: with the core in its own process, the host's event loop stays free while the
// core reads and parses a ~300 MB XAPI answer (VM.get_all_records of 3,000 VMs with
// 100 kB of other_config each, served by the simulator in a third process). Meanwhile
// the host is asked every 25 ms for a static file by its web server (host-only work) and
// pings the core process over the transport; the host's event-loop delay is sampled.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkCoreProcess } from '../../../electron/core/host/fork-transport';
import { RemoteCore } from '../../../electron/core/host/remote-core';
import { startWebHost, type WebHost } from '../../../electron/web/host';
import { startXapiSimProcess, type SimProcess } from '../../peers/xapi-sim-process';
import { p99 } from '../responsiveness';

const VMS = 3_000;
const NOTES_BYTES = 100_000;
const EVERY_MS = 25;
/**
 * The host does nothing but relay: its loop and its own answers stay quick. Generous (on
 * this shared 2-core machine a process waits for a core now and then whatever it does),
 * yet the same load with the core in the host's process went over both: loop p99 123 ms
 * (max 599), static file p99 401 ms (max 2.4 s), against 37 and 75 ms split. The host's
 * CPU time is logged (6.1 s in-process, 2.9 s split, most of it these probes).
 */
const HOST_LOOP_P99_MS = 100;
const STATIC_P99_MS = 150;
/** the core process parses in its worker pool: it keeps answering too, if less tightly */
const PING_P99_MS = 250;

const entry = path.resolve(__dirname, '../../peers/core-process-entry.ts');

describe('the core in its own process, parsing a 300 MB XAPI answer', () => {
  let sim: SimProcess;
  let core: RemoteCore;
  let host: WebHost;
  let home: string;

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'pv-split-large-'));
    writeFileSync(path.join(home, 'index.html'), '<!doctype html><title>Polyvisor</title>');
    [sim, core] = await Promise.all([
      startXapiSimProcess({ hosts: 2, vms: VMS, snapshots: 0, poolName: 'Large answers', vmNotesBytes: NOTES_BYTES }, 180_000),
      RemoteCore.start({ launch: forkCoreProcess({ entry }), init: { mode: 'web', home, version: 'test', consoleOrigins: [], testKeychain: { available: true } } }),
    ]);
    host = await startWebHost({ core, staticDir: home });
  }, 240_000);

  afterAll(async () => {
    await host?.close();
    await core?.stop();
    await sim?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function getStatic(): Promise<number> {
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: host.port, path: '/index.html', agent: false }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`static file: HTTP ${res.statusCode}`))));
        })
        .on('error', reject);
    });
  }

  it(`the host answers its page and pings while the core process loads ${Math.round((VMS * NOTES_BYTES) / 1e6)} MB`, async () => {
    const statics: number[] = [];
    const pings: number[] = [];
    let running = true;
    const every = (measure: () => Promise<number>, into: number[]) =>
      (async () => {
        while (running) {
          const started = performance.now();
          into.push(await measure());
          await new Promise((r) => setTimeout(r, Math.max(0, EVERY_MS - (performance.now() - started))));
        }
      })();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const probes = [
      every(getStatic, statics),
      every(async () => {
        const s = performance.now();
        await core.ping();
        return performance.now() - s;
      }, pings),
    ];
    let serverId = '';
    try {
      const added = await core.invoke('servers:add', { type: 'xenserver', name: 'Large answers', host: sim.host, port: sim.port, username: 'root', password: 'password', autoConnect: false });
      serverId = added.id;
      const first = await core.invoke('servers:connect', added.id);
      expect(first.error?.certificate?.fingerprint256).toBe(sim.fingerprint256);
      const view = await core.invoke('certs:accept', added.id, sim.fingerprint256);
      expect(view.error).toBeUndefined();
      expect(view.state).toBe('connected');
    } finally {
      running = false;
      await Promise.all(probes);
      loop.disable();
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const hostCpuMs = (cpu.user + cpu.system) / 1000;
    const loopP99 = loop.percentile(99) / 1e6;
    console.log(
      `core process: connect (~${Math.round((VMS * NOTES_BYTES) / 1e6)} MB VM.get_all_records) ${Math.round(ms)} ms; host event-loop delay p99 ${loopP99.toFixed(1)} ms (max ${(loop.max / 1e6).toFixed(1)} ms), host CPU ${Math.round(hostCpuMs)} ms; ` +
        `static file p99 ${p99(statics).toFixed(1)} ms over ${statics.length} (max ${Math.max(...statics).toFixed(1)}); core ping p99 ${p99(pings).toFixed(1)} ms over ${pings.length} (max ${Math.max(...pings).toFixed(1)})`,
    );
    const vms = (await core.invoke('inventory:get')).filter((n) => n.kind === 'vm' && n.serverId === serverId && !n.controlDomain);
    expect(vms).toHaveLength(VMS);
    // asked all along: a host held for the whole load would have answered a handful
    expect(statics.length).toBeGreaterThan(ms / EVERY_MS / 4);
    expect(loopP99).toBeLessThan(HOST_LOOP_P99_MS);
    expect(p99(statics)).toBeLessThan(STATIC_P99_MS);
    expect(p99(pings)).toBeLessThan(PING_P99_MS);
  }, 900_000);
});
