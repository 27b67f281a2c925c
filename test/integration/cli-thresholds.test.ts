// `polyvisor thresholds list|add|enable|disable|remove` as real processes (issue 15):
// a rule scoped to a VM found by name on the XAPI simulator, the rule as saved in the
// profile's thresholds.json, a running app (a core on the same profile) taking in what
// the CLI adds, and refusals naming the flag before anything is saved.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThresholdRule } from '../../shared/thresholds';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { openCliProfile, type CliProfile } from './cli-profile';
import { waitFor } from './provider-mirror';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;
let app: PolyvisorCore | undefined;
let vmName: string;
let vmUuid: string;
const seen: ThresholdRule[][] = [];

const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);
const saved = () => JSON.parse(readFileSync(path.join(profile.dir, 'profile', 'thresholds.json'), 'utf8')) as { version: number; rules: ThresholdRule[] };

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-thresholds'), startXapiSimulator({ generate: { hosts: 1, vms: 2, snapshots: 0 }, poolName: 'Rule pool' })]);
  const vm = [...sim.db.records('VM').values()].find((r) => !r.is_a_template && !r.is_control_domain && !r.is_a_snapshot)!;
  vmName = String(vm.name_label);
  vmUuid = String(vm.uuid);
});

afterAll(async () => {
  await app?.stop();
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor thresholds', { timeout: 120_000 }, () => {
  it('adds the pool, and an app follows the same profile', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'pool', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
    app = await createAppCore('web', { home: path.join(profile.dir, 'profile'), secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], profileWatch: { debounceMs: 20, pollMs: 200 } });
    app.on('thresholds:changed', ({ rules }) => seen.push(rules));
    await app.start();
  });

  it('adds a rule on a VM found by name, saved with the VM inventory id', async () => {
    const id = (await ok(['thresholds', 'add', '--name', 'Hot web', '--metric', 'cpu', '--above', '80', '--for', '5m', '--scope', `item:${vmName}`, '--severity', 'major'])).stdout.trim();
    expect(id).toMatch(/^threshold:/);
    const [rule] = saved().rules;
    expect(saved().version).toBe(1);
    expect(rule).toMatchObject({ id, name: 'Hot web', metric: 'cpu', comparison: 'above', value: 80, durationSeconds: 300, severity: 'major', enabled: true, scope: { kind: 'node' } });
    // the VM's inventory id ends with its XAPI ref; the simulator's record of that ref is the VM named
    const ref = (rule!.scope as { nodeId: string }).nodeId.split(':vm:')[1]!;
    expect(sim.db.get('VM', ref)?.uuid).toBe(vmUuid);
    // the running app took it in from the file
    await waitFor(async () => (seen.some((rules) => rules.some((r) => r.id === id)) ? true : undefined), 'the app to see the rule', 30_000);
  });

  it('lists, disables and removes rules by name', async () => {
    await ok(['thresholds', 'add', '--name', 'Low space', '--metric', 'disk-free', '--below', '10%', '--scope', 'server:pool']);
    const table = (await ok(['thresholds', 'list'])).stdout;
    expect(table.split('\n')[0]).toMatch(/^NAME\s+CONDITION\s+KINDS\s+SCOPE\s+SEVERITY\s+ENABLED\s+ID/);
    expect(table).toMatch(/Hot web\s+CPU above 80 % for 5 min\s+any\s+item:\S+\s+major\s+yes/);
    expect(table).toMatch(/Low space\s+Free space below 10 %\s+any\s+server:\S+\s+warning\s+yes/);
    await ok(['thresholds', 'disable', 'Hot web']);
    expect(saved().rules.find((r) => r.name === 'Hot web')?.enabled).toBe(false);
    await ok(['thresholds', 'remove', 'Low space']);
    const listed = JSON.parse((await ok(['thresholds', 'list', '--json'])).stdout) as ThresholdRule[];
    expect(listed.map((r) => r.name)).toEqual(['Hot web']);
  });

  it('refuses what is wrong, naming the flag, and saves nothing', async () => {
    const before = readFileSync(path.join(profile.dir, 'profile', 'thresholds.json'), 'utf8');
    const cases: Array<[string[], RegExp]> = [
      [['thresholds', 'add', '--name', 'x', '--metric', 'cpu', '--above', '120'], /--above takes a percentage/],
      [['thresholds', 'add', '--name', 'x', '--metric', 'cpu', '--above', '50', '--below', '10'], /--above P or --below P/],
      [['thresholds', 'add', '--name', 'x', '--metric', 'load', '--above', '50'], /--metric takes cpu, memory or disk-free/],
      [['thresholds', 'add', '--name', 'x', '--metric', 'cpu', '--above', '50', '--for', '5 minutes'], /--for takes a duration/],
      [['thresholds', 'add', '--name', 'x', '--metric', 'cpu', '--above', '50', '--scope', 'pool'], /--scope takes/],
      [['thresholds', 'add', '--name', 'x', '--metric', 'disk-free', '--below', '5', '--kinds', 'vm'], /None of the chosen kinds/],
      [['thresholds', 'remove', 'No such rule'], /No threshold rule "No such rule"/],
    ];
    for (const [args, message] of cases) {
      const r = await profile.run(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
    expect(readFileSync(path.join(profile.dir, 'profile', 'thresholds.json'), 'utf8')).toBe(before);
  });
});
