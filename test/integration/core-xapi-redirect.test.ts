// A saved pool member redirects (HOST_IS_SLAVE) to its master: certificates are
// pinned per address, so the user trusts the member and then the master once,
// and from then on the connection is made without asking again.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';

let master: XapiSimulator;
let member: XapiSimulator;
let home: string;
let core: PolyvisorCore;

beforeAll(async () => {
  master = await startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0 }, poolName: 'Redirect pool' });
  member = await startXapiSimulator({ host: '127.0.0.2', port: master.port, slaveOf: { host: '127.0.0.1' } });
  await member.rotateCertificate(); // the member and the master present different certificates
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-redirect-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
});
afterAll(async () => {
  await core?.stop();
  await member?.stop();
  await master?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

it('pins the member, then the master it redirects to, then connects without asking', async () => {
  expect(member.fingerprint256).not.toBe(master.fingerprint256);
  const server = await core.invoke('servers:add', {
    type: 'xenserver', host: '127.0.0.2', port: master.port, username: 'root', password: 'password', rememberPassword: true,
    options: { eventTimeoutS: 5, reconnectMinMs: 100 },
  });

  const first = await core.invoke('servers:connect', server.id);
  expect(first.error?.code).toBe('CERT_UNTRUSTED');
  expect(first.error?.certificate?.fingerprint256).toBe(member.fingerprint256);

  const second = await core.invoke('certs:accept', server.id, member.fingerprint256);
  expect(second.error?.code).toBe('CERT_UNTRUSTED');
  expect(second.error?.redirectTo).toBe('127.0.0.1');
  expect(second.error?.certificate).toMatchObject({ host: '127.0.0.1', fingerprint256: master.fingerprint256 });

  const third = await core.invoke('certs:accept', server.id, master.fingerprint256);
  expect(third.error).toBeUndefined();
  expect(third.state).toBe('connected');

  await core.invoke('servers:disconnect', server.id);
  const again = await core.invoke('servers:connect', server.id);
  expect(again.state).toBe('connected');
  const pools = (await core.invoke('inventory:get')).filter((n) => n.kind === 'pool' && n.serverId === server.id);
  expect(pools.map((p) => p.name)).toEqual(['Redirect pool']);
});
