// Large XAPI answers are parsed while the app keeps answering (issue 17), over either
// transport (one test file each). A pool whose VMs each carry a 100 kB other_config
// entry is served by the simulator in its own process. Connecting reads the whole
// VM.get_all_records (100 kB per VM); the VMs renamed on the peer while it loads come
// back in the first event.from after the load (its token is taken before the load) as
// one event batch of 100 kB per rename, parsed whole: the largest answer XAPI gives in
// one piece. Meanwhile a WebSocket client of the web host (what a page is) asks
// app:info every 25 ms; the core's event-loop delay (perf_hooks) and those round-trips
// are measured until every rename is in the inventory. Parsed on the event loop, the
// batch holds it for seconds; in the parse worker the page keeps its answers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startWebHost, type WebHost } from '../../../electron/web/host';
import { startXapiSimProcess, type SimProcess } from '../../peers/xapi-sim-process';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { measuredResponsiveness } from '../responsiveness';

const NOTES_BYTES = 100_000;

export interface LargeAnswerRun {
  transport: 'jsonrpc' | 'xmlrpc';
  /** VMs of the pool, each with NOTES_BYTES of other_config */
  vms: number;
  /** VMs renamed while the pool loads: the size of the first event batch */
  renamed: number;
}

export function largeAnswerSuite(run: LargeAnswerRun): void {
  const { vms: VMS, renamed: RENAMED } = run;
  const recordsMb = Math.round((VMS * NOTES_BYTES) / 1e6);
  const batchMb = Math.round((RENAMED * NOTES_BYTES) / 1e6);
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

  /**
   * Raw JSON-RPC to the simulator, not through Polyvisor: a few kept-alive connections, each
   * checked against its certificate's fingerprint. A kept-alive socket the simulator closed
   * (its keep-alive timer fires late while it serializes a large answer) resets the next
   * request sent on it: that one is sent again, as Node's documentation advises (reusedSocket).
   */
  let simAgent: https.Agent | undefined;
  async function rpc(method: string, params: unknown[]): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await rpcOnce(method, params);
      } catch (err) {
        if (!(err instanceof ResetReusedSocket) || attempt === 3) throw err;
      }
    }
  }

  class ResetReusedSocket extends Error {}

  function rpcOnce(method: string, params: unknown[]): Promise<unknown> {
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
      req.on('error', (err: NodeJS.ErrnoException) => reject(req.reusedSocket && err.code === 'ECONNRESET' ? new ResetReusedSocket(err.message) : err));
      req.end(body);
    });
  }

  describe(`large XAPI answers over ${run.transport}`, () => {
    it(`a ${recordsMb} MB get_all_records and a ${batchMb} MB event batch are parsed while the core keeps answering the page`, async () => {
      const session = (await rpc('session.login_with_password', ['root', 'password', '2.21', 'test'])) as string;
      const records = (await rpc('VM.get_all_records', [session])) as Record<string, { is_a_template: boolean; is_control_domain: boolean }>;
      const refs = Object.entries(records).filter(([, r]) => !r.is_a_template && !r.is_control_domain).map(([ref]) => ref).slice(0, RENAMED);

      const what = `${run.transport}: connect (~${recordsMb} MB VM.get_all_records) and ${RENAMED} renames (~${batchMb} MB event batch)`;
      const { result: server } = await measuredResponsiveness(host, what, async () => {
        const added = await core.invoke('servers:add', {
          type: 'xenserver',
          name: 'Large answers',
          host: sim.host,
          port: sim.port,
          username: 'root',
          password: 'password',
          autoConnect: false,
          options: { transport: run.transport },
        });
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
}
