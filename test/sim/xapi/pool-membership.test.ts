// pool.join and pool.eject between two simulators, driven by Xen Orchestra's own client
// (npm `xen-api`): the join is called on the standalone host with the master's address
// and credentials, the master's event stream brings the new host (and its local SR) to a
// second client watching the pool, and the eject takes them away again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error xen-api ships no type declarations
import { Xapi } from 'xen-api';
import { startXapiSimulator, type XapiSimulator } from './index';
import { makeStandalone } from './standalone';

interface XoObject {
  $ref: string;
  $type: string;
  uuid: string;
  name_label: string;
}
interface XoClient {
  objects: { all: Record<string, XoObject> };
  call(method: string, ...args: unknown[]): Promise<unknown>;
  disconnect(): Promise<void>;
}

async function connect(sim: XapiSimulator): Promise<XoClient> {
  // test only: the simulators' certificates are self-signed
  const xapi = new Xapi({ url: sim.url, auth: { user: 'root', password: 'password' }, allowUnauthorized: true, debounce: 20 });
  await xapi.connect();
  void xapi.watchEvents();
  await xapi.objectsFetched;
  return xapi as XoClient;
}

async function until(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hostUuids = (xo: XoClient) => Object.values(xo.objects.all).filter((o) => o.$type === 'host').map((o) => o.uuid);

describe('pool.join and pool.eject through Xen Orchestra\'s client', () => {
  let master: XapiSimulator;
  let lone: XapiSimulator;
  let pool: XoClient;

  beforeAll(async () => {
    master = await startXapiSimulator({ generate: { hosts: 2, vms: 0, snapshots: 0 }, taskDurationMs: 50 });
    lone = await startXapiSimulator({ host: '127.0.0.2', port: master.port, generate: { hosts: 1, vms: 1, snapshots: 0, localStorage: true }, taskDurationMs: 50 });
    makeStandalone(lone.db, { name: 'lone-host', address: lone.host });
    pool = await connect(master);
  });
  afterAll(async () => {
    await pool?.disconnect().catch(() => undefined);
    await Promise.all([master?.stop(), lone?.stop()]);
  });

  it('joins: the pool\'s event stream brings the host; a client of the joined host is sent on to the master', async () => {
    const uuid = (lone.db.records('host').values().next().value as { uuid: string }).uuid;
    const joining = await connect(lone);
    await expect(joining.call('pool.join', '127.0.0.1', 'root', 'wrong')).rejects.toMatchObject({ code: 'SESSION_AUTHENTICATION_FAILED' });
    await joining.call('pool.join', '127.0.0.1', 'root', 'password');
    await joining.disconnect();
    await until(() => hostUuids(pool).includes(uuid), 'the joined host in the pool client');
    expect(hostUuids(pool)).toHaveLength(3);
    // xen-api follows HOST_IS_SLAVE to the master as it does with a real member
    const redirected = await connect(lone);
    try {
      expect(hostUuids(redirected).sort()).toEqual(hostUuids(pool).sort());
    } finally {
      await redirected.disconnect();
    }
  });

  it('ejects: the host and its local SR leave the pool client\'s objects', async () => {
    const uuid = (lone.db.records('host').values().next().value as { uuid: string }).uuid;
    const host = Object.values(pool.objects.all).find((o) => o.$type === 'host' && o.uuid === uuid)!;
    const srs = () => Object.values(pool.objects.all).filter((o) => o.$type === 'SR').map((o) => o.name_label);
    expect(srs().some((name) => name.startsWith('Local storage'))).toBe(true);
    await pool.call('pool.eject', host.$ref);
    await until(() => !hostUuids(pool).includes(uuid), 'the ejected host gone from the pool client');
    expect(srs().some((name) => name.startsWith('Local storage'))).toBe(false);
  });
});
