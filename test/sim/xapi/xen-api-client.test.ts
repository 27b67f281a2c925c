// Xen Orchestra's own client (npm `xen-api`) against the simulator, over
// JSON-RPC and XML-RPC: it must see exactly the objects of the dump (checked
// against an independent read of the file) and receive events for changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error xen-api ships no type declarations
import { Xapi } from 'xen-api';
import { startXapiSimulator, type XapiSimulator } from './index';
import { readRows } from './fixture-read';
import path from 'node:path';
import { XAPI_DB_DIR } from '../../shared-dir';

const FIXTURE = 'state4.xml';

interface XoObject {
  $ref: string;
  $type: string;
  name_label: string;
  power_state: string;
  is_a_template: boolean;
  is_a_snapshot: boolean;
}

const expectedVms = () =>
  readRows(FIXTURE)
    .get('VM')!
    .map((r) => ({ ref: r.ref, name: r.name__label, power: r.power_state }))
    .sort((a, b) => a.ref.localeCompare(b.ref));

async function connect(sim: XapiSimulator, transport: 'json-rpc' | 'xml-rpc' | 'auto', tls = false) {
  const xapi = new Xapi({
    url: sim.url,
    auth: { user: 'root', password: 'password' },
    transport,
    // test only: the simulator's certificate is self-signed
    allowUnauthorized: tls,
    debounce: 20,
  });
  await xapi.connect();
  void xapi.watchEvents();
  await xapi.objectsFetched;
  return xapi;
}

function vmsOf(xapi: { objects: { all: Record<string, XoObject> } }) {
  return Object.values(xapi.objects.all)
    .filter((o) => o.$type === 'VM')
    .map((o) => ({ ref: o.$ref, name: o.name_label, power: o.power_state }))
    .sort((a, b) => a.ref.localeCompare(b.ref));
}

function waitFor(xapi: { objects: { all: Record<string, XoObject> } }, pred: () => boolean, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (pred()) resolve();
      else if (Date.now() - t0 > ms) reject(new Error('timed out waiting for the client cache'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe.each(['json-rpc', 'xml-rpc'] as const)('xen-api client over %s', (transport) => {
  let sim: XapiSimulator;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let xapi: any;

  beforeAll(async () => {
    sim = await startXapiSimulator({ db: path.join(XAPI_DB_DIR, FIXTURE), tls: false, taskDurationMs: 100 });
    xapi = await connect(sim, transport);
  });
  afterAll(async () => {
    await xapi?.disconnect();
    await sim?.stop();
  });

  it('sees every VM of the dump with its name and power state', () => {
    const expected = expectedVms();
    expect(expected.length).toBeGreaterThan(50);
    expect(vmsOf(xapi)).toEqual(expected);
  });

  // counted through get_all_records: the client's cache is keyed by uuid, and
  // real dumps hold duplicate uuids (state4 has two VDIs with one uuid)
  it('gets as many records per class as the dump has rows', async () => {
    const rows = readRows(FIXTURE);
    for (const [table, cls] of [
      ['SR', 'SR'],
      ['VDI', 'VDI'],
      ['VBD', 'VBD'],
      ['host', 'host'],
      ['network', 'network'],
      ['PIF', 'PIF'],
      ['pool', 'pool'],
    ] as const) {
      const records = await xapi.getAllRecords(cls);
      expect(records.length, table).toBe(rows.get(table)!.length);
    }
  });

  it('receives a mod event after a rename through the API', async () => {
    const vm = vmsOf(xapi).find((v) => v.power === 'Halted')!;
    await xapi.call('VM.set_name_label', vm.ref, `renamed over ${transport}`);
    await waitFor(xapi, () => xapi.getObjectByRef(vm.ref).name_label === `renamed over ${transport}`);
    expect(sim.db.get('VM', vm.ref)!.name_label).toBe(`renamed over ${transport}`);
  });

  it('runs an Async task to completion and sees the power change (callAsync)', async () => {
    const vm = (Object.values(xapi.objects.all) as XoObject[]).find(
      (o) => o.$type === 'VM' && !o.is_a_template && o.power_state === 'Halted',
    )!;
    await xapi.callAsync('VM.start', vm.$ref, false, false);
    await waitFor(xapi, () => xapi.getObjectByRef(vm.$ref).power_state === 'Running');
    await xapi.callAsync('VM.hard_shutdown', vm.$ref);
    await waitFor(xapi, () => xapi.getObjectByRef(vm.$ref).power_state === 'Halted');
  });

  it('gets the XAPI error code of a failing call', async () => {
    const vm = vmsOf(xapi).find((v) => v.power === 'Halted' && !sim.db.get('VM', v.ref)!.is_a_template)!;
    await expect(xapi.call('VM.clean_shutdown', vm.ref)).rejects.toMatchObject({
      code: 'VM_BAD_POWER_STATE',
      params: [vm.ref, 'running', 'halted'],
    });
    await expect(xapi.callAsync('VM.pause', vm.ref)).rejects.toMatchObject({ code: 'VM_BAD_POWER_STATE' });
  });
});

describe('xen-api client transport selection', () => {
  it('falls back to XML-RPC on a host without JSON-RPC', async () => {
    const sim = await startXapiSimulator({ db: path.join(XAPI_DB_DIR, FIXTURE), tls: false, jsonRpc: false });
    try {
      const xapi = await connect(sim, 'auto');
      expect(vmsOf(xapi)).toEqual(expectedVms());
      await xapi.disconnect();
    } finally {
      await sim.stop();
    }
  });

  it('connects over HTTPS to the self-signed certificate', async () => {
    const sim = await startXapiSimulator({ db: path.join(XAPI_DB_DIR, FIXTURE) });
    try {
      expect(sim.url).toMatch(/^https:/);
      const xapi = await connect(sim, 'auto', true);
      expect(vmsOf(xapi)).toEqual(expectedVms());
      await xapi.disconnect();
    } finally {
      await sim.stop();
    }
  });
});
