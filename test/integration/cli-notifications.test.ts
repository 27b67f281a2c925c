// `polyvisor alerts`, `alerts dismiss` and `tasks --all-users` as real processes against
// the XAPI simulator: alerts and a task made by another session are listed; a dismissed
// alert is gone from the simulator's own records.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, ServerTask } from '../../shared/notifications';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { openCliProfile, type CliProfile } from './cli-profile';
import { otherSession } from './xenserver/harness';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;
let other: Awaited<ReturnType<typeof otherSession>>;
let crashRef: string;
let taskRef: string;

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-alerts'), startXapiSimulator({ generate: { hosts: 1, vms: 2, snapshots: 0 }, poolName: 'Alert pool' })]);
  other = await otherSession(sim);
  const vm = [...sim.db.records('VM').values()].find((r) => !r.is_a_template && !r.is_control_domain && !r.is_a_snapshot)!;
  crashRef = (await other('message.create', 'VM_CRASHED', 2, 'VM', vm.uuid, 'crashed twice')) as string;
  await other('message.create', 'VM_STARTED', 5, 'VM', vm.uuid, '');
  taskRef = (await other('task.create', 'Backup by cron', '')) as string;
  await other('task.set_progress', taskRef, 0.5);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor alerts and tasks against the XAPI simulator', { timeout: 120_000 }, () => {
  it('adds the pool', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'pool', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('lists the alerts newest first as a table and as JSON, and --since leaves out older ones', async () => {
    const table = (await ok(['alerts'])).stdout;
    expect(table.split('\n')[0]).toMatch(/^SEVERITY\s+TIME\s+SERVER\s+OBJECT\s+ALERT\s+ID/);
    expect(table).toMatch(/major .* pool .* VM crashed: crashed twice/);
    const alerts = JSON.parse((await ok(['alerts', '--json', '--server', 'pool'])).stdout) as Alert[];
    expect(alerts.map((a) => a.name).sort()).toEqual(['VM_CRASHED', 'VM_STARTED']);
    // the VM_STARTED message as one raised three days ago
    const started = [...sim.db.records('message')].find(([, m]) => m.name === 'VM_STARTED')![0];
    sim.db.set('message', started, 'timestamp', new Date(Date.now() - 3 * 86_400_000).toISOString().replace(/[-]/g, '').replace(/\.\d+Z$/, 'Z'));
    const recent = JSON.parse((await ok(['alerts', '--json', '--since', '1d'])).stdout) as Alert[];
    expect(recent.map((a) => a.name)).toEqual(['VM_CRASHED']);
  });

  it('dismisses an alert by its server ref: gone from the simulator', async () => {
    const { stderr } = await ok(['alerts', 'dismiss', crashRef]);
    expect(stderr).toContain('Dismissed');
    expect(sim.db.get('message', crashRef)).toBeUndefined();
    const again = await cli(['alerts', 'dismiss', crashRef]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Not dismissed .*NOT_FOUND/);
  });

  it("tasks --all-users shows another client's task with its progress; without it, XAPI's tasks (no user) are left out and the reason said", async () => {
    const tasks = JSON.parse((await ok(['tasks', '--all-users', '--json'])).stdout) as ServerTask[];
    expect(tasks.find((t) => t.nativeRef === taskRef)).toMatchObject({ what: 'Backup by cron', progress: 0.5, status: 'running' });
    expect((await ok(['tasks', '--all-users'])).stdout).toMatch(/running\s+50 %\s+Backup by cron/);
    const mine = await ok(['tasks']);
    expect(mine.stdout.trim()).toBe('No tasks.');
    expect(mine.stderr).toMatch(/do not say who started them/);
  });

  it('refuses a malformed duration before connecting', async () => {
    const r = await cli(['alerts', '--since', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since takes a duration');
  });
});
