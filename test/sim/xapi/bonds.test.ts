// Bond.create / Bond.destroy in the XAPI simulator as xapi does them (Xapi_bond): two
// physical PIFs of one host become the slaves of a new bond master PIF on the network,
// in the chosen mode; members already bonded, tagged, alone or on two hosts are refused
// with Api_errors' codes; destroy frees the members. Read back from the simulator's records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login } from './rpc-client';

let sim: XapiSimulator;
let session: string;
const NULL = 'OpaqueRef:NULL';

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 2, vms: 2, snapshots: 0 }, tls: false, taskDurationMs: 20 });
  session = await login(sim.url);
});
afterAll(() => sim?.stop());

/** Two more physical NICs on each host (eth8, eth9), untagged and unbonded, as a host with four NICs has. */
function physicalPifs(host: string): string[] {
  const [template] = [...sim.db.records('PIF').values()].filter((p) => p.host === host && p.physical);
  const { uuid: _uuid, ...fields } = template!;
  return ['eth8', 'eth9'].map((device, i) => sim.db.add('PIF', { ...fields, device, MAC: `aa:bb:cc:00:0${i}:${host.slice(-2)}`, network: NULL, bond_slave_of: NULL, bond_master_of: [], VLAN: -1, VLAN_slave_of: [], VLAN_master_of: NULL, management: false }));
}

describe('Bond.create / Bond.destroy', () => {
  it('bonds two NICs of a host on a network, in the chosen mode, and destroy frees them', async () => {
    const [host, other] = [...sim.db.records('host').keys()];
    const members = physicalPifs(host!);
    physicalPifs(other!);
    const network = expectOk(await jsonCall(sim.url, 'network.create', [session, { name_label: 'Bond 8+9', name_description: '', MTU: 1500, other_config: {} }])) as string;
    const bond = expectOk(await jsonCall(sim.url, 'Bond.create', [session, network, members, '', 'active-backup', {}])) as string;
    const record = sim.db.get('Bond', bond)!;
    expect(record).toMatchObject({ mode: 'active-backup', slaves: members });
    const master = sim.db.get('PIF', String(record.master))!;
    expect(master).toMatchObject({ device: 'bond0', host, network, physical: false, MAC: sim.db.get('PIF', members[0]!)!.MAC });
    for (const m of members) expect(sim.db.get('PIF', m)!.bond_slave_of).toBe(bond);

    const again = await jsonCall(sim.url, 'Bond.create', [session, network, members, '', 'lacp', {}]);
    expect(again).toEqual({ ok: false, description: ['PIF_ALREADY_BONDED', members[0]] });

    expectOk(await jsonCall(sim.url, 'Bond.destroy', [session, bond]));
    expect(sim.db.get('Bond', bond)).toBeUndefined();
    expect(sim.db.get('PIF', String(record.master))).toBeUndefined();
    for (const m of members) expect(sim.db.get('PIF', m)!.bond_slave_of).toBe(NULL);
  });

  it('refuses one member, members on two hosts and a VLAN PIF with xapi’s codes', async () => {
    const hosts = [...sim.db.records('host').keys()];
    const free = (host: string) => [...sim.db.records('PIF')].filter(([, p]) => p.host === host && p.physical && p.bond_slave_of === NULL && Number(p.VLAN) < 0).map(([ref]) => ref);
    const network = expectOk(await jsonCall(sim.url, 'network.create', [session, { name_label: 'b', name_description: '', MTU: 1500, other_config: {} }])) as string;
    const a = free(hosts[0]!);
    const b = free(hosts[1]!);
    expect(await jsonCall(sim.url, 'Bond.create', [session, network, [a[0]], '', 'balance-slb', {}])).toEqual({ ok: false, description: ['PIF_BOND_NEEDS_MORE_MEMBERS'] });
    expect(await jsonCall(sim.url, 'Bond.create', [session, network, [a[0], b[0]], '', 'balance-slb', {}])).toEqual({ ok: false, description: ['PIF_CANNOT_BOND_CROSS_HOST'] });
    const vlanNet = expectOk(await jsonCall(sim.url, 'network.create', [session, { name_label: 'v', name_description: '', MTU: 1500, other_config: {} }])) as string;
    const vlan = expectOk(await jsonCall(sim.url, 'VLAN.create', [session, a[0], 12, vlanNet])) as string;
    const vlanPif = String(sim.db.get('VLAN', vlan)!.untagged_PIF);
    expect(await jsonCall(sim.url, 'Bond.create', [session, network, [vlanPif, a[1]], '', 'balance-slb', {}])).toEqual({ ok: false, description: ['PIF_IS_VLAN', vlanPif] });
    expect([...sim.db.records('Bond').values()]).toHaveLength(0);
  });
});
