// The guests facet on a real pool database (state4.xml, XenServer 6.x): what a real
// pool offers the New VM wizard (its hidden template and guest installer network
// left out, its ISO libraries, its default SR with the space it really has), a VM
// made from one of its built-in templates, the addresses its guest agents report,
// a custom template whose disk must move to another SR (VM.copy), and a running VM
// that cannot be deleted without forcing it off. Read back from the simulator's store.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolyvisorError } from '../../../shared/errors';
import type { ProviderGuests } from '../../../electron/core/providers/provider';
import type { InventoryNode } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { XAPI_DB_DIR } from '../../shared-dir';
import { Harness, reporter, TRANSPORTS } from './harness';

const GiB = 1024 ** 3;

describe.each(TRANSPORTS)('XenServer guests on a real pool database over %s', (transport) => {
  let sim: XapiSimulator;
  let harness: Harness;
  let guests: ProviderGuests;
  const rec = (cls: string, ref: string) => sim.db.get(cls, ref)!;
  const refOf = (id: string) => id.slice(id.indexOf(':OpaqueRef:') + 1);
  const diskVdis = (vm: string) => (rec('VM', vm).VBDs as string[]).map((b) => rec('VBD', b)).filter((b) => b.type === 'Disk').map((b) => b.VDI as string);
  const vmNamed = (name: string) => harness.ofKind('vm').find((n) => n.name === name)!;
  const defaultSr = () => [...sim.db.records('pool').values()][0]!.default_SR as string;

  beforeAll(async () => {
    sim = await startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state4.xml'), taskDurationMs: 40, jsonRpc: transport === 'jsonrpc' });
    harness = new Harness(sim, { transport });
    await harness.provider.connect();
    guests = harness.provider.guests!;
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('offers what the pool has, without what XenCenter hides', async () => {
    const options = await guests.createOptions();
    const names = options.templates.map((t) => t.name);
    expect(names).not.toContain('XenSource P2V Server');
    const marked = (r: Record<string, unknown>) => ['HideFromXenCenter', 'xensource_internal'].some((k) => (r.other_config as Record<string, unknown>)[k] !== undefined);
    const visible = [...sim.db.records('VM').values()].filter((r) => r.is_a_template && !r.is_a_snapshot && !marked(r));
    expect(names).toHaveLength(visible.length);
    expect(options.networks.map((n) => n.name).sort()).toEqual(['Pool-wide network associated with eth0', 'Pool-wide network associated with eth1']);
    const sr = rec('SR', defaultSr());
    expect(options.storages[0]).toMatchObject({ id: defaultSr(), name: 'NetApp virtual disk storage', isDefault: true, freeBytes: Number(sr.physical_size) - Number(sr.physical_utilisation) });
    const libraries = new Set(options.isos.map((i) => i.storageName));
    // the tools SR is marked xensource_internal: XenCenter inserts its ISO with its own Install Tools command
    expect([...libraries].sort()).toEqual(['Alex ISO Store', 'NFS ISO library']);
    expect(options.storages.map((s) => s.name)).not.toContain('DVD drives');
  });

  it('makes a VM from a built-in template of the dump on the pool\'s default SR', async () => {
    const options = await guests.createOptions();
    const template = options.templates.find((t) => t.install.includes('iso') && t.disks?.length === 1)!;
    const { resultId } = await guests.create({ templateId: template.id, name: `from ${template.name}`, disks: [{ sizeBytes: 9 * GiB }], networks: [{ networkId: options.networks[0]!.id }] }, reporter());
    const vm = refOf(resultId!);
    const [vdi] = diskVdis(vm);
    expect(rec('VDI', vdi!)).toMatchObject({ SR: defaultSr(), virtual_size: 9 * GiB });
    expect((rec('VM', vm).VIFs as string[]).map((v) => rec('VIF', v).network)).toEqual([options.networks[0]!.id]);
    expect(rec('VM', vm).is_a_template).toBe(false);
  });

  it('reads each NIC\'s addresses from the guest agent\'s report', async () => {
    const props = await guests.properties(vmNamed('Windows Server 2003 x64 (1)'));
    expect(props.nics.map((n) => [n.device, n.ips])).toEqual([
      ['0', ['10.80.238.237']],
      ['1', ['10.80.238.246']],
    ]);
  });

  it('copies a custom template whose disk must go to another SR (VM.copy), leaving the template\'s own disk', async () => {
    // the VM made above (its disk on the default SR) becomes a custom template; its copies go to local storage
    const source = await harness.until(() => harness.ofKind('vm').find((n) => n.name.startsWith('from ')), 15_000, 'the VM made from a built-in template');
    const local = [...sim.db.records('SR')].find(([, r]) => r.name_label === 'Local storage')![0];
    const { resultId } = await harness.provider.runAction(source, 'to_template', {}, reporter());
    const template = await harness.until(() => harness.nodes.get(resultId!), 15_000, 'the new template');
    const templateDisks = diskVdis(template.nativeRef);
    const sizes = templateDisks.map((v) => Number(rec('VDI', v).virtual_size));
    const made = await guests.create({ templateId: template.nativeRef, name: 'moved to local storage', disks: [{ sizeBytes: sizes[0]!, storageId: local }] }, reporter());
    const vm = refOf(made.resultId!);
    const disks = diskVdis(vm);
    expect(disks).toHaveLength(templateDisks.length);
    for (const vdi of disks) {
      expect(rec('VDI', vdi).SR).toBe(local);
      expect((rec('VDI', vdi).sm_config as Record<string, unknown>)['vhd-parent']).toBeUndefined();
      expect(templateDisks).not.toContain(vdi);
    }
    for (const vdi of templateDisks) expect(rec('VDI', vdi).SR).toBe(defaultSr());
  });

  it('refuses to delete a running VM unless forced (the server\'s VM_BAD_POWER_STATE), and leaves it whole', async () => {
    const running: InventoryNode = harness.ofKind('vm').find((n) => n.state === 'running' && !n.controlDomain)!;
    const disks = diskVdis(running.nativeRef);
    const err = await harness.provider.runAction(running, 'destroy', {}, reporter()).then(
      () => undefined,
      (e: unknown) => e as PolyvisorError,
    );
    expect(err?.info).toMatchObject({ serverCode: 'VM_BAD_POWER_STATE', serverParams: [running.nativeRef, 'halted', 'running'] });
    expect(rec('VM', running.nativeRef).power_state).toBe('Running');
    for (const vdi of disks) expect(sim.db.get('VDI', vdi)).toBeDefined();
  });
});
