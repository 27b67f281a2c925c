// `polyvisor storage list|show|rescan` as real processes against the XAPI simulator
// loaded with state1.xml: sizes and places as the simulator's SR records have them, an
// SR's VDIs as its records list them, and SR.scan's recount read back from the simulator.

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

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-storage'), startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state1.xml'), taskDurationMs: 60 })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

interface Listed {
  id: string;
  name: string;
  place: string;
  type: string;
  shared: boolean;
  size: number | null;
  used: number | null;
  free: number | null;
  hosts: string[];
}

describe.skipIf(requirePeer(keyringMissing))('polyvisor storage against the XAPI simulator (state1.xml)', { timeout: 120_000 }, () => {
  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'lab', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('lists every SR XenCenter shows, where it shows it, with the simulator’s sizes', async () => {
    const listed = JSON.parse((await ok(['storage', 'list', '--server', 'lab', '--json'])).stdout) as Listed[];
    const shown = [...sim.db.records('SR')].filter(([, sr]) => sr.name_label !== 'XenServer Tools');
    expect(listed.map((s) => s.id.split(':storage:')[1]).sort()).toEqual(shown.map(([ref]) => ref).sort());
    for (const s of listed) {
      const sr = sim.db.get('SR', s.id.split(':storage:')[1]!)!;
      expect(s).toMatchObject({ name: sr.name_label, type: sr.type, shared: sr.shared, size: Number(sr.physical_size), used: Number(sr.physical_utilisation) });
      expect(s.place).toBe(sr.shared ? 'lab/Hottub' : `lab/Hottub/${s.hosts[0]}`);
    }
    const text = (await ok(['storage', 'list', '--server', 'lab'])).stdout;
    expect(text).toMatch(/^NAME\s+TYPE\s+SHARED\s+SIZE\s+USED\s+FREE\s+WHERE/);
    expect(text).toContain('NetApp virtual disk storage');
  });

  /** An SR of disks that holds some (state1.xml: a host's local storage). */
  const srWithDisks = () => [...sim.db.records('SR')].find(([ref, r]) => r.content_type !== 'iso' && [...sim.db.records('VDI').values()].some((v) => v.SR === ref))!;

  it('shows an SR’s disks as its VDI records list them', async () => {
    const [ref, sr] = srWithDisks();
    const shown = JSON.parse((await ok(['storage', 'show', String(sr.uuid), '--server', 'lab', '--json'])).stdout) as { disks: Array<{ ref: string; size: number }> };
    const vdis = [...sim.db.records('VDI')].filter(([, v]) => v.SR === ref);
    expect(vdis.length).toBeGreaterThan(0);
    expect(shown.disks.map((d) => d.ref).sort()).toEqual(vdis.map(([r]) => r).sort());
    for (const d of shown.disks) expect(d.size).toBe(Number(sim.db.get('VDI', d.ref)!.virtual_size));
  });

  it('rescans an SR: the simulator recounts it from its VDIs', async () => {
    const [ref, sr] = srWithDisks();
    sim.db.update('SR', ref, { physical_utilisation: 1 });
    const r = await ok(['storage', 'rescan', String(sr.uuid), '--server', 'lab']);
    expect(r.stderr).toContain('rescanned');
    // a VDI of the dump that reports no utilisation of its own counts at its virtual size
    const counted = [...sim.db.records('VDI').values()].filter((v) => v.SR === ref).reduce((sum, v) => sum + (Number(v.physical_utilisation) || Number(v.virtual_size)), 0);
    expect(counted).toBeGreaterThan(1);
    expect(Number(sim.db.get('SR', ref)!.physical_utilisation)).toBe(counted);
    const listed = JSON.parse((await ok(['storage', 'list', '--server', 'lab', '--json'])).stdout) as Listed[];
    expect(listed.find((s) => s.id.endsWith(`:storage:${ref}`))!.used).toBe(counted);
  });

  it('moves a running VM’s disk to another SR (disk move, by its device): the simulator has it there', async () => {
    const [vmRef, vm] = [...sim.db.records('VM')].find(([, v]) => v.name_label === 'Windows Server 2003 x64 (1)')!;
    const [vbdRef, vbd] = [...sim.db.records('VBD')].find(([, b]) => b.VM === vmRef && b.type === 'Disk')!;
    const [netapp] = [...sim.db.records('SR')].find(([, r]) => r.name_label === 'NetApp virtual disk storage')!;
    const r = await ok(['disk', 'move', String(vm.uuid), String(vbd.device), '--to', 'NetApp virtual disk storage', '--server', 'lab']);
    expect(r.stderr).toContain('NetApp virtual disk storage now');
    const moved = sim.db.get('VBD', vbdRef)!;
    expect(sim.db.get('VDI', String(moved.VDI))!.SR).toBe(netapp);
    const missing = await cli(['disk', 'move', String(vm.uuid), 'no-such-disk', '--to', 'NetApp virtual disk storage', '--server', 'lab']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no disk "no-such-disk"');
  });
});
