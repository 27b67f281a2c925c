// `polyvisor inventory --cached` as a real process: after a live `inventory` the
// profile keeps the pool's last known tree; with the simulator unreachable the
// cached listing still prints every VM the simulator holds (and says since when),
// while a live `inventory` fails.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;

const vmNames = () =>
  [...sim.db.records('VM').values()]
    .filter((r) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain)
    .map((r) => String(r.name_label))
    .sort();

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-cached'), startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 1 } })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor inventory --cached', { timeout: 120_000 }, () => {
  it('a server never connected has no last known tree, and the listing says so', async () => {
    await profile.ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'lab', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
    await profile.ok(['server', 'add', '--type', 'xenserver', '--host', '127.0.0.1', '--port', '1', '--user', 'root', '--name', 'never', '--password-stdin', '--no-connect'], 'password\n');
    const cached = await profile.ok(['inventory', '--cached', '--json', '--server', 'never']);
    expect((JSON.parse(cached.stdout) as InventoryNode[]).map((n) => n.kind)).toEqual(['server']);
    expect(cached.stderr).toContain('never: no last known tree');
  });

  it('prints the last known tree without connecting, the simulator unreachable', async () => {
    const live = JSON.parse((await profile.ok(['inventory', '--json', '--server', 'lab'])).stdout) as InventoryNode[];
    expect(live.filter((n) => n.kind === 'vm' && !n.controlDomain).map((n) => n.name).sort()).toEqual(vmNames());
    await sim.down();
    try {
      const refused = await profile.run(['inventory', '--server', 'lab']);
      expect(refused.code).not.toBe(0);
      const started = Date.now();
      const cached = await profile.ok(['inventory', '--cached', '--json', '--server', 'lab']);
      const nodes = JSON.parse(cached.stdout) as InventoryNode[];
      expect(nodes.filter((n) => n.kind === 'vm' && !n.controlDomain).map((n) => n.name).sort()).toEqual(vmNames());
      expect(nodes.every((n) => n.allowed.length === 0)).toBe(true);
      const at = /lab: last known (\S+)/.exec(cached.stderr)?.[1];
      expect(Date.parse(at!)).toBeLessThanOrEqual(started);
      expect(Date.parse(at!)).toBeGreaterThan(started - 120_000);
      const text = (await profile.ok(['inventory', '--cached'])).stdout; // both servers: 'never' has only its row
      for (const name of vmNames()) expect(text).toContain(name);
    } finally {
      await sim.up();
    }
  });
});
