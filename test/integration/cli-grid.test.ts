// `polyvisor grid` as a real process against the XAPI simulator: the rows are the
// simulator's VMs and hosts (names, power states, hosts), sorted and filtered as asked;
// CSV is quoted (a name with a comma and quotes comes back as one field) and a running
// VM's CPU is what the simulator served for its last rows; bad options are usage errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { vmSources } from '../sim/xapi/rrd/series';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;

const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);
const guests = () => [...sim.db.records('VM').entries()].filter(([, v]) => !v.is_a_snapshot && !v.is_a_template && !v.is_control_domain);

/** Splits one CSV line as RFC 4180 reads it. */
function fields(line: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at <= line.length) {
    if (line[at] === '"') {
      let end = at + 1;
      let text = '';
      for (;;) {
        const q = line.indexOf('"', end);
        text += line.slice(end, q);
        if (line[q + 1] === '"') {
          text += '"';
          end = q + 2;
        } else {
          at = q + 2;
          break;
        }
      }
      out.push(text);
    } else {
      const comma = line.indexOf(',', at);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(at, end));
      at = end + 1;
    }
  }
  return out;
}

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-grid'), startXapiSimulator({ generate: { hosts: 2, vms: 12, snapshots: 0 } })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor grid against the XAPI simulator', { timeout: 120_000 }, () => {
  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'grid', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('lists every VM and host with its state, sorted by state then name descending', async () => {
    const json = JSON.parse((await ok(['grid', '--columns', 'name,type,state', '--sort', 'state,-name', '--json'])).stdout) as Array<{ name: string; type: string; state: string }>;
    const expected = [
      ...guests().map(([, v]) => ({ name: String(v.name_label), type: 'vm', state: String(v.power_state).toLowerCase() })),
      ...[...sim.db.records('host').values()].map((h) => ({ name: String(h.name_label), type: 'host', state: null })),
    ];
    expect(json.length).toBe(expected.length);
    expect([...json].map((r) => r.name).sort()).toEqual(expected.map((r) => r.name).sort());
    for (const row of json.filter((r) => r.type === 'vm')) expect(row.state).toBe(expected.find((e) => e.name === row.name)!.state);
    // states in order (a row without one last), names descending within a state
    for (let i = 1; i < json.length; i++) {
      const [a, b] = [json[i - 1]!, json[i]!];
      if (a.state === b.state) expect(a.name.localeCompare(b.name, 'en', { numeric: true }), `${a.name} before ${b.name}`).toBeGreaterThan(0);
      else if (b.state !== null) expect(a.state !== null && a.state < b.state, `${a.state} before ${b.state}`).toBe(true);
    }
  });

  it('filters by every term and reads live CPU as the simulator served it, in quoted CSV', async () => {
    const [ref] = guests().find(([, v]) => v.name_label === 'vm-00001')!;
    sim.db.set('VM', ref, 'name_label', 'vm-00001, "first"');
    const { stdout } = await ok(['grid', '--columns', 'name,state,host,cpu', '--filter', 'vm-0000 running', '--csv']);
    const [head, ...lines] = stdout.trim().split('\r\n');
    expect(head).toBe('name,state,host,cpu');
    const rows = lines.map(fields);
    const running = guests().filter(([, v]) => String(v.name_label).startsWith('vm-0000') && v.power_state === 'Running');
    expect(rows.map((r) => r[0]).sort()).toEqual(running.map(([, v]) => String(v.name_label)).sort());
    expect(rows.map((r) => r[0])).toContain('vm-00001, "first"');
    const now = Math.floor(Date.now() / 5000) * 5;
    for (const [name, state, host, cpu] of rows) {
      expect(state).toBe('running');
      const record = guests().find(([, v]) => v.name_label === name)![1];
      expect(host).toBe(sim.db.get('host', String(record.resident_on))!.name_label);
      const cpus = vmSources(sim.db, record).filter((s) => /^cpu\d+$/.test(s.name));
      const served = [0, 5, 10, 15, 20].map((back) => Math.round((cpus.reduce((sum, s) => sum + Number(s.value(now - back, 5).toFixed(4)), 0) / cpus.length) * 1000) / 10);
      // one decimal from the same data on two float paths: a value half-way between tenths may round either way
      expect(served.some((v) => Math.abs(v - Number(cpu)) <= 0.1 + 1e-9), `${name}: ${cpu} among ${served.join(', ')}`).toBe(true);
    }
  });

  it('lists what is beneath one host, as a table', async () => {
    const [hostRef, host] = [...sim.db.records('host').entries()][0]!;
    const { stdout } = await ok(['grid', '--under', String(host.name_label), '--columns', 'name,host']);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+HOST$/);
    const resident = guests().filter(([, v]) => v.resident_on === hostRef && v.power_state !== 'Halted');
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0]).sort()).toEqual(resident.map(([, v]) => String(v.name_label)).sort());
    for (const line of lines.slice(1)) expect(line.trim().endsWith(String(host.name_label))).toBe(true);
  });

  it('refuses unknown columns and conflicting formats', async () => {
    const bad = await profile.run(['grid', '--columns', 'name,colour']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown column "colour"');
    const both = await profile.run(['grid', '--json', '--csv']);
    expect(both.stderr).toContain('not both');
  });
});
