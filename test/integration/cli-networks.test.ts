// `polyvisor network …` and `polyvisor nic …` as real processes against the XAPI simulator
// loaded with state1.xml: networks listed as XenCenter shows them, a VLAN made and deleted
// (read back from the simulator's VLAN and PIF records), a VM's VIFs listed, moved, added
// and removed (read back from its VIF records), and usage errors before anything is sent.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { XAPI_DB_DIR } from '../shared-dir';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;

const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);
const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const isGuest = (vm: Record<string, unknown>) => !vm.is_control_domain && !vm.is_a_template && !vm.is_a_snapshot;

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-networks'), startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state1.xml'), taskDurationMs: 60 })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor network and nic against the XAPI simulator (state1.xml)', { timeout: 120_000 }, () => {
  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'lab', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('lists the networks XenCenter shows, with the bridge the simulator has', async () => {
    const listed = JSON.parse((await ok(['network', 'list', '--server', 'lab', '--json'])).stdout) as Array<{ id: string; name: string; place: string; bridge: string; type: string }>;
    expect(listed.map((n) => [n.name, n.place, n.type]).sort()).toEqual([
      ['Network 0', 'lab/Hottub', 'bridge'],
      ['Network 1', 'lab/Hottub', 'bridge'],
    ]);
    for (const n of listed) expect(n.bridge).toBe(sim.db.get('network', n.id.split(':network:')[1]!)!.bridge);
    expect((await ok(['network', 'list'])).stdout).toMatch(/^NAME\s+TYPE\s+VLAN\s+MTU\s+BRIDGE\s+WHERE/);
  });

  it('refuses a VLAN without its tag before anything is sent', async () => {
    const before = sim.db.records('network').size;
    const result = await cli(['network', 'create', '--server', 'lab', '--name', 'x', '--kind', 'vlan', '--device', 'eth0']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--vlan');
    expect(sim.db.records('network').size).toBe(before);
  });

  it('makes a VLAN on every host’s eth0 and shows it', async () => {
    await ok(['network', 'create', '--server', 'lab', '--name', 'DMZ', '--kind', 'vlan', '--vlan', '77', '--device', 'eth0']);
    const [ref] = [...sim.db.records('network')].find(([, r]) => r.name_label === 'DMZ')!;
    expect([...sim.db.records('PIF').values()].filter((p) => p.network === ref).map((p) => [p.device, p.VLAN])).toEqual([
      ['eth0', 77],
      ['eth0', 77],
    ]);
    const shown = JSON.parse((await ok(['network', 'show', 'DMZ', '--json'])).stdout) as { network: { vlan: number }; interfaces: unknown[] };
    expect(shown.network.vlan).toBe(77);
    expect(shown.interfaces).toHaveLength(2);
  });

  it('lists a VM’s NICs, moves one to the VLAN, adds and removes one — as the simulator’s VIF records then say', async () => {
    const [vmRef, vm] = [...sim.db.records('VM')].find(([, r]) => isGuest(r) && r.power_state === 'Running' && (r.VIFs as string[]).length > 0)!;
    const uuid = String(vm.uuid);
    const nics = JSON.parse((await ok(['nic', 'list', uuid, '--json'])).stdout) as Array<{ id: string; device: string; mac: string }>;
    expect(nics.map((n) => n.id).sort()).toEqual([...(vm.VIFs as string[])].sort());
    for (const n of nics) expect(n.mac).toBe(sim.db.get('VIF', n.id)!.MAC);
    const [dmz] = [...sim.db.records('network')].find(([, r]) => r.name_label === 'DMZ')!;

    await ok(['nic', 'set-network', uuid, nics[0]!.device, '--network', 'DMZ']);
    expect(sim.db.get('VIF', nics[0]!.id)!.network).toBe(dmz);

    await ok(['nic', 'add', uuid, '--network', 'Network 1']);
    const added = (sim.db.get('VM', vmRef)!.VIFs as string[]).find((r) => !nics.some((n) => n.id === r))!;
    expect(sim.db.get('VIF', added)).toMatchObject({ currently_attached: true });
    await ok(['nic', 'remove', uuid, String(sim.db.get('VIF', added)!.device)]);
    expect(sim.db.get('VIF', added)).toBeUndefined();

    const missing = await cli(['nic', 'remove', uuid, '9']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no NIC "9"');
  });

  it('network delete: the server refuses while a VM is on it, then deletes it with its VLANs', async () => {
    const [dmz] = [...sim.db.records('network')].find(([, r]) => r.name_label === 'DMZ')!;
    const refused = await cli(['network', 'delete', 'DMZ']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('NETWORK_CONTAINS_VIF');
    const [vifRef] = [...sim.db.records('VIF')].find(([, v]) => v.network === dmz)!;
    sim.db.update('VIF', vifRef, { network: [...sim.db.records('network')].find(([, r]) => r.name_label === 'Pool-wide network associated with eth0')![0] });
    await ok(['network', 'delete', 'DMZ']);
    expect(sim.db.get('network', dmz)).toBeUndefined();
    expect([...sim.db.records('VLAN').values()]).toEqual([]);
  });

  it('network create --type bond: a bad --mode or one NIC is refused before anything is sent', async () => {
    const before = sim.db.records('network').size;
    const badMode = await cli(['network', 'create', '--server', 'lab', '--name', 'B', '--type', 'bond', '--devices', 'eth0,eth1', '--mode', 'round-robin']);
    expect(badMode.code).not.toBe(0);
    expect(badMode.stderr).toContain('--mode');
    const one = await cli(['network', 'create', '--server', 'lab', '--name', 'B', '--type', 'bond', '--devices', 'eth0']);
    expect(one.code).not.toBe(0);
    expect(one.stderr).toContain('--devices');
    expect(sim.db.records('network').size).toBe(before);
  });

  it('network create --type bond --devices eth0,eth1 --mode active-backup: a bond on every host, shown with its mode and members, deleted bond first', async () => {
    await ok(['network', 'create', '--server', 'lab', '--name', 'Bonded', '--type', 'bond', '--devices', 'eth0,eth1', '--mode', 'active-backup']);
    const [ref] = [...sim.db.records('network')].find(([, r]) => r.name_label === 'Bonded')!;
    const bonds = [...sim.db.records('Bond').values()];
    expect(bonds.map((b) => [b.mode, sim.db.get('PIF', String(b.master))!.network, (b.slaves as string[]).map((s) => sim.db.get('PIF', s)!.device)])).toEqual([
      ['active-backup', ref, ['eth0', 'eth1']],
      ['active-backup', ref, ['eth0', 'eth1']],
    ]);
    expect(new Set(bonds.map((b) => sim.db.get('PIF', String(b.master))!.host)).size).toBe(2);
    const shown = (await ok(['network', 'show', 'Bonded'])).stdout;
    expect(shown).toContain('active-backup: eth0+eth1');

    const again = await cli(['network', 'create', '--server', 'lab', '--name', 'Again', '--type', 'bond', '--devices', 'eth0,eth1']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('PIF_ALREADY_BONDED');

    await ok(['network', 'delete', 'Bonded']);
    expect(sim.db.get('network', ref)).toBeUndefined();
    expect([...sim.db.records('Bond').values()]).toEqual([]);
  });
});
