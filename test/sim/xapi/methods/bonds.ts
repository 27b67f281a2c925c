// Bonds as xapi makes them (Xapi_bond.create / destroy), issue 16: two or more
// physical, unbonded, untagged PIFs of one host become the slaves of a new bond master
// PIF (device bondN, physical false) on the given network, with the first member's MAC
// unless one is given; destroy takes the master away and frees the members. Refusals
// with Api_errors' names: PIF_BOND_NEEDS_MORE_MEMBERS, PIF_CANNOT_BOND_CROSS_HOST,
// PIF_ALREADY_BONDED [pif], PIF_IS_VLAN [pif].
import type { SimCore } from '../core';
import { XapiFailure } from '../failure';
import { NULL_REF } from '../model';
import { SESSION } from './vm';

const BOND_MODES = ['balance-slb', 'active-backup', 'lacp'];

function nextBondDevice(core: SimCore, host: string): string {
  const taken = new Set([...core.db.records('PIF').values()].filter((p) => p.host === host).map((p) => String(p.device)));
  let n = 0;
  while (taken.has(`bond${n}`)) n++;
  return `bond${n}`;
}

export function registerBondMethods(core: SimCore): void {
  core.register({
    name: 'Bond.create',
    params: [SESSION, ['network ref', 'network'], ['PIF ref set', 'members'], ['string', 'MAC'], ['enum bond_mode', 'mode'], ['(string -> string) map', 'properties']],
    errors: ['PIF_BOND_NEEDS_MORE_MEMBERS', 'PIF_CANNOT_BOND_CROSS_HOST', 'PIF_ALREADY_BONDED', 'PIF_IS_VLAN'],
    async: true,
    run: ({ core: c }, [, network, membersArg, macArg, modeArg, properties]) => {
      const members = membersArg as string[];
      if (members.length < 2) throw new XapiFailure('PIF_BOND_NEEDS_MORE_MEMBERS');
      const records = members.map((ref) => ({ ref, pif: c.db.get('PIF', ref)! }));
      const host = String(records[0]!.pif.host);
      if (records.some((m) => String(m.pif.host) !== host)) throw new XapiFailure('PIF_CANNOT_BOND_CROSS_HOST');
      for (const m of records) {
        if (String(m.pif.bond_slave_of ?? NULL_REF) !== NULL_REF) throw new XapiFailure('PIF_ALREADY_BONDED', m.ref);
        if (Number(m.pif.VLAN) >= 0) throw new XapiFailure('PIF_IS_VLAN', m.ref);
      }
      const mode = BOND_MODES.includes(String(modeArg)) ? String(modeArg) : 'balance-slb';
      const bond = c.db.add('Bond', { master: NULL_REF, slaves: [], primary_slave: members[0], mode, properties: (properties as Record<string, string>) ?? {}, other_config: {}, links_up: members.length, auto_update_mac: !macArg });
      const master = c.db.add('PIF', {
        device: nextBondDevice(c, host),
        network: network as string,
        host,
        MAC: String(macArg || records[0]!.pif.MAC),
        MTU: c.db.get('network', network as string)?.MTU ?? 1500,
        VLAN: -1,
        physical: false,
        currently_attached: true,
        ip_configuration_mode: 'None',
        bond_master_of: [bond],
        bond_slave_of: NULL_REF,
        managed: true,
      });
      c.db.update('Bond', bond, { master, slaves: members });
      for (const m of records) c.db.update('PIF', m.ref, { bond_slave_of: bond });
      return bond;
    },
  });
  core.register({
    name: 'Bond.destroy',
    params: [SESSION, ['Bond ref', 'self']],
    errors: [],
    async: true,
    run: ({ core: c }, [, bond]) => {
      const record = c.db.get('Bond', bond as string)!;
      for (const slave of (record.slaves as string[]) ?? []) if (c.db.get('PIF', slave)) c.db.update('PIF', slave, { bond_slave_of: NULL_REF });
      if (c.db.get('PIF', String(record.master))) c.db.remove('PIF', String(record.master));
      c.db.remove('Bond', bond as string);
      return undefined;
    },
  });
}
