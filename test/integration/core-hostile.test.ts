// Issue 11, finding 2, at the level of the whole app: one trusted server turns
// hostile (an answer far over the size limit, then a stall) while the core also
// holds a healthy XAPI pool and a healthy Proxmox cluster. The hostile one shows a
// typed error in its tree node; the process lives, its memory stays bounded, and the
// others keep receiving live changes from their peers.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { MiB } from '../../electron/core/providers/common/limits';
import { proxmoxProviderFactory } from '../../electron/core/providers/proxmox';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startHostileProxy, type HostileProxy } from '../peers/hostile-proxy';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';

const XAPI_OPTIONS = { eventTimeoutS: 2, taskPollMs: 50, reconnectMinMs: 100, reconnectMaxMs: 400 };

let healthy: XapiSimulator;
let victim: XapiSimulator;
let pve: ProxmoxSimulator;
let proxy: HostileProxy;
let home: string;
let core: PolyvisorCore;
const crashes: unknown[] = [];
const onCrash = (e: unknown) => crashes.push(e);

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function addTrusted(draft: Parameters<PolyvisorCore['invoke']>[1] & object): Promise<ServerView> {
  const added = await core.invoke('servers:add', draft as never);
  const first = await core.invoke('servers:connect', added.id);
  if (first.state === 'connected') return first;
  expect(first.error?.code).toBe('CERT_UNTRUSTED');
  return core.invoke('certs:accept', added.id, first.error!.certificate!.fingerprint256);
}

const nodeNamed = async (serverId: string, name: string) => (await core.invoke('inventory:get')).find((n) => n.serverId === serverId && n.name === name);

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  [healthy, victim, pve] = await Promise.all([
    startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 0 }, poolName: 'healthy pool' }),
    startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 0 }, poolName: 'victim pool' }),
    startProxmoxSimulator(),
  ]);
  proxy = await startHostileProxy({ upstream: { host: victim.host, port: victim.port, tls: true }, listen: { tls: true } });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-hostile-core-'));
  core = await createAppCore('web', {
    home,
    secrets: new MemorySecretStore(),
    providers: [xenServerProviderFactory, proxmoxProviderFactory],
    inventoryBatchMs: 10,
    // the size limit must trip long before the deadline even on a loaded machine; a stall trips the idle timeout
    limits: { maxBufferedBytes: 16 * MiB, maxStreamedBytes: 16 * MiB, idleTimeoutMs: 5_000, requestDeadlineMs: 120_000 },
  });
}, 60_000);

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await core?.stop();
  await proxy?.close();
  await Promise.all([healthy?.stop(), victim?.stop(), pve?.stop()]);
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('one hostile server among healthy ones', () => {
  it('is cut off with a typed error while the others stay live', async () => {
    const good = await addTrusted({ type: 'xenserver', host: healthy.host, port: healthy.port, username: 'root', password: 'password', options: XAPI_OPTIONS });
    const cluster = await addTrusted({
      type: 'proxmox',
      host: pve.host,
      port: pve.port,
      username: 'root',
      password: 'password',
      options: { realm: 'pam', pollIntervalMs: 200, taskPollMs: 25 },
    });
    expect(good.state).toBe('connected');
    expect(cluster.state).toBe('connected');

    // the hostile server answers its inventory with 200 MB (far over the 16 MiB limit given to this core)
    proxy.setRules([{ match: (r) => r.body.includes('get_all_records'), behaviour: { kind: 'oversize', bytes: 200 * MiB, contentType: 'application/json' } }]);
    const rssBefore = process.memoryUsage().rss;
    const bad = await addTrusted({ type: 'xenserver', host: victim.host, port: proxy.port, username: 'root', password: 'password', options: XAPI_OPTIONS });
    expect(bad.state).toBe('error');
    expect(bad.error?.code).toBe('RESPONSE_TOO_LARGE');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(120 * MiB);
    const badNode = (await core.invoke('inventory:get')).find((n) => n.kind === 'server' && n.serverId === bad.id);
    expect(badNode?.props).toMatchObject({ connection: 'error' });

    // then it stalls in the middle of its answer (the providers' own hostile tests cover the trickle against the deadline)
    proxy.setRules([{ match: (r) => r.body.includes('get_all_records'), behaviour: { kind: 'stall', contentType: 'application/json' } }]);
    const slow = await core.invoke('servers:connect', bad.id);
    expect(slow.error?.code).toBe('TIMEOUT');

    // meanwhile the healthy ones follow their peers' changes
    const vm = [...healthy.db.records('VM').entries()].find(([, r]) => !r.is_a_template && !r.is_control_domain && !r.is_a_snapshot)!;
    healthy.db.set('VM', vm[0], 'name_label', 'renamed while another server was hostile');
    await until('the healthy pool to show the rename', () => nodeNamed(good.id, 'renamed while another server was hostile'));
    const guest = [...pve.state.guests.values()][0];
    guest.name = 'pve-renamed-meanwhile';
    await until('the Proxmox cluster to show the rename', () => nodeNamed(cluster.id, 'pve-renamed-meanwhile'));

    expect((await core.invoke('servers:list')).filter((s) => s.state === 'connected').map((s) => s.id).sort()).toEqual([good.id, cluster.id].sort());
    expect(crashes).toEqual([]);
  }, 90_000);
});
