// metrics:query through the core against the XAPI simulator: the channel's arguments
// are checked, a node resolves to its server's provider, a VM answers its series, a
// halted VM's live view and a kind the platform keeps no data for (a pool) say why
// there is none, and a disconnected server says so.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { waitFor } from './provider-mirror';

let sim: XapiSimulator;
let home: string;
let core: PolyvisorCore;
let serverId: string;

const node = async (check: (n: InventoryNode) => boolean) => waitFor(async () => (await core.invoke('inventory:get')).find(check), 'a node in the tree', 30_000);
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => toErrorInfo(e));

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 1, vms: 2, snapshots: 0 } });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-core-metrics-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
  const server = await core.invoke('servers:add', { type: 'xenserver', name: 'pool', host: sim.host, port: sim.port, username: 'root', password: 'password', rememberPassword: true });
  serverId = server.id;
  // trust on first use: the connection shows the certificate, the user accepts it
  await failure(core.invoke('servers:connect', serverId));
  await core.invoke('certs:accept', serverId, sim.fingerprint256);
});

afterAll(async () => {
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('metrics:query through the core', () => {
  it("answers a running VM's series and says why others have none", async () => {
    const running = await node((n) => n.kind === 'vm' && n.state === 'running');
    const answer = await core.invoke('metrics:query', running.id, '10m');
    expect(answer).toMatchObject({ nodeId: running.id, timeframe: '10m', stepSeconds: 5 });
    expect(answer.series.find((s) => s.id === 'cpu0')?.values.length).toBe(answer.times.length);

    const halted = await node((n) => n.kind === 'vm' && n.state === 'halted');
    expect(await core.invoke('metrics:query', halted.id, '10m')).toMatchObject({ series: [], empty: 'not-running' });
    const pool = await node((n) => n.kind === 'pool');
    expect(await core.invoke('metrics:query', pool.id, '1h')).toMatchObject({ series: [], empty: 'no-metrics' });
  });

  it('checks its arguments and names what is missing', async () => {
    expect(await failure(core.dispatch('metrics:query', ['x', '2h']))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('timeframe') });
    expect(await failure(core.invoke('metrics:query', 'no-such-node', '1h'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says the server is not connected', async () => {
    const running = await node((n) => n.kind === 'vm' && n.state === 'running');
    await core.invoke('servers:disconnect', serverId);
    const error = await failure(core.invoke('metrics:query', running.id, '1h'));
    // the tree keeps the node while disconnected, or drops it: either way no data is made up
    expect(['CONNECTION_FAILED', 'NOT_FOUND']).toContain(error?.code);
  });
});
