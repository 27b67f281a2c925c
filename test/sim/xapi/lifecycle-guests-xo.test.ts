// Xen Orchestra's own client (npm `xen-api`) making and changing VMs in the
// simulator, over JSON-RPC and XML-RPC: its object cache (fed by event.from) must
// see what each call did, and its errors must carry xapi's code and parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error xen-api ships no type declarations
import { Xapi } from 'xen-api';
import { startXapiSimulator, type XapiSimulator } from './index';

const GiB = 1024 ** 3;
type XoRecord = Record<string, unknown> & { $ref: string; $type: string };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type XoClient = any;

function waitFor(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (pred()) resolve();
      else if (Date.now() - t0 > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe.each(['json-rpc', 'xml-rpc'] as const)('xen-api client making VMs over %s', (transport) => {
  let sim: XapiSimulator;
  let xapi: XoClient;
  const objects = (type: string): XoRecord[] => (Object.values(xapi.objects.all) as XoRecord[]).filter((o) => o.$type === type);
  const cached = (ref: string): XoRecord | undefined => xapi.getObjectByRef(ref, undefined);

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 0, isoLibrary: true }, tls: false, taskDurationMs: 40 });
    xapi = new Xapi({ url: sim.url, auth: { user: 'root', password: 'password' }, transport, debounce: 20 });
    await xapi.connect();
    void xapi.watchEvents();
    await xapi.objectsFetched;
  });
  afterAll(async () => {
    await xapi?.disconnect();
    await sim?.stop();
  });

  it('clones a template, provisions it from its disks XML, and sees the new disk', async () => {
    const template = objects('VM').find((o) => o.name_label === 'Ubuntu Noble 24.04')!;
    const sr = objects('SR').find((o) => o.type === 'nfs')!;
    const vm = (await xapi.callAsync('VM.clone', template.$ref, `xo ${transport}`)) as string;
    const xml = String((sim.db.get('VM', vm)!.other_config as Record<string, unknown>).disks).replace('sr=""', `sr="${sr.uuid}"`);
    await xapi.call('VM.remove_from_other_config', vm, 'disks');
    await xapi.call('VM.add_to_other_config', vm, 'disks', xml);
    await xapi.callAsync('VM.provision', vm);
    await waitFor(() => cached(vm)?.is_a_template === false && (cached(vm)!.VBDs as string[]).length === 1, 'the provisioned VM in the cache');
    const vbd = cached((cached(vm)!.VBDs as string[])[0]!)!;
    const vdi = sim.db.get('VDI', vbd.VDI as string)!;
    expect(vdi.SR).toBe(sr.$ref);
    expect(vdi.virtual_size).toBe(10 * GiB);
  });

  it('sets a running VM\'s dynamic range and sees it; an out-of-order range is MEMORY_CONSTRAINT_VIOLATION and changes nothing', async () => {
    const vm = objects('VM').find((o) => o.power_state === 'Running' && !o.is_control_domain)!;
    const max = Number(sim.db.get('VM', vm.$ref)!.memory_static_max);
    await xapi.call('VM.set_memory_dynamic_range', vm.$ref, max / 2, max);
    await waitFor(() => Number(cached(vm.$ref)!.memory_dynamic_min) === max / 2, 'the new dynamic minimum in the cache');
    await expect(xapi.call('VM.set_memory_dynamic_range', vm.$ref, max, max / 2)).rejects.toMatchObject({
      code: 'MEMORY_CONSTRAINT_VIOLATION',
      params: ['Memory limits must satisfy: static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max'],
    });
    expect(sim.db.get('VM', vm.$ref)!.memory_dynamic_min).toBe(max / 2);
  });

  it('inserts an ISO in a new CD drive and ejects it; ejecting again is VBD_IS_EMPTY', async () => {
    const vm = objects('VM').find((o) => o.power_state === 'Halted' && !o.is_a_template)!;
    const iso = objects('VDI').find((o) => String(o.name_label).endsWith('.iso'))!;
    const cd = (await xapi.call('VBD.create', {
      VM: vm.$ref,
      VDI: 'OpaqueRef:NULL',
      userdevice: '3',
      bootable: false,
      mode: 'RO',
      type: 'CD',
      unpluggable: true,
      empty: true,
      other_config: {},
      qos_algorithm_type: '',
      qos_algorithm_params: {},
    })) as string;
    await xapi.call('VBD.insert', cd, iso.$ref);
    await waitFor(() => cached(cd)?.VDI === iso.$ref, 'the inserted ISO in the cache');
    await xapi.call('VBD.eject', cd);
    await waitFor(() => cached(cd)?.empty === true, 'the ejected drive in the cache');
    await expect(xapi.call('VBD.eject', cd)).rejects.toMatchObject({ code: 'VBD_IS_EMPTY', params: [cd] });
  });

  it('copies a halted VM to an SR (a new VM with its own disk) and destroys it, its disk left behind', async () => {
    const vm = objects('VM').find((o) => o.power_state === 'Halted' && !o.is_a_template && (o.VBDs as string[]).length > 0)!;
    const sr = objects('SR').find((o) => o.type === 'nfs')!;
    const copy = (await xapi.callAsync('VM.copy', vm.$ref, `copy ${transport}`, sr.$ref)) as string;
    await waitFor(() => cached(copy) !== undefined, 'the copy in the cache');
    const disk = (sim.db.get('VM', copy)!.VBDs as string[]).map((b) => sim.db.get('VBD', b)!).find((b) => b.type === 'Disk')!.VDI as string;
    await xapi.callAsync('VM.destroy', copy);
    await waitFor(() => cached(copy) === undefined, 'the copy gone from the cache');
    expect(sim.db.get('VDI', disk)).toBeDefined();
  });
});
