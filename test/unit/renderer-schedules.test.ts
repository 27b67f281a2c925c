// Snapshot policies in the renderer: frequencies in words in both languages with their
// zone, who can run a policy (the server, only for one server's VMs on a platform that
// runs policies), the types every member's platform has, the server's limit on keeping,
// the wizard's field problems and the core's INVALID_INPUT on its field, and the commands
// on the selected policy with their reasons.
import { describe, expect, it } from 'vitest';
import type { SnapshotPolicy } from '../../shared/schedules';
import i18n from '../../renderer/src/i18n';
import { commandById } from '../../renderer/src/commands/registry';
import { errorField } from '../../renderer/src/dialogs/error-field';
import { describeFrequency, describeSchedule } from '../../renderer/src/schedules/frequency';
import { draftProblems, membersOf, retainMax, runnerOf, serverRunnerFor, typeProblem, wizardFieldOf } from '../../renderer/src/schedules/policy-rules';
import { policyConcerns } from '../../renderer/src/schedules/policy-view';
import { newDraft, policyDraftOf } from '../../renderer/src/schedules/wizard-draft';
import { serverKey } from '../../renderer/src/tree/inventory-index';
import { appInfo, canRun, ctxOf, server, snapshotOf, state, vm } from './helpers/renderer-state';

const en = i18n.getFixedT('en');
const zh = i18n.getFixedT('zh-CN');

describe('frequencies in words', () => {
  it('hourly, daily and weekly, with the zone, in English and Chinese', () => {
    expect(describeFrequency({ every: 'hourly', minute: 5 }, en, 'en')).toBe('Every hour at 5 minutes past');
    expect(describeFrequency({ every: 'daily', hour: 2, minute: 30 }, zh, 'zh-CN')).toBe('每天 02:30');
    const weekly = { every: 'weekly' as const, days: ['fri' as const, 'mon' as const, 'wed' as const], hour: 23, minute: 0 };
    expect(describeSchedule(weekly, 'Asia/Shanghai', en, 'en')).toBe('Every Monday, Wednesday, and Friday at 23:00 (Asia/Shanghai)');
    expect(describeSchedule(weekly, 'UTC', zh, 'zh-CN')).toBe('每周星期一、星期三和星期五 23:00（UTC）');
  });
});

const info = appInfo({ xenserver: { serverPolicies: true, policyRetainMax: 10 }, proxmox: { serverPolicies: false } });
const xen = server('x', 'xenserver');
const xen2 = server('y', 'xenserver');
const pve = server('p', 'proxmox');
const docker = server('d', 'docker');
const a = vm('x', 'a');
const b = vm('x', 'b');
const other = vm('y', 'other');
const guest = vm('p', 'guest');
const box = vm('d', 'box', { kind: 'container', id: 'd:container:box' });
const s = state({ info, servers: [xen, xen2, pve, docker], nodes: [a, b, other, guest, box] });
const members = (...ids: string[]) => membersOf(s, ids);

describe('who runs a policy', () => {
  it('the server, when every member is one server’s VM and its platform runs policies', () => {
    expect(serverRunnerFor(members(a.id, b.id))).toBe('x');
    expect(serverRunnerFor(members(a.id, other.id))).toBeNull();
    expect(serverRunnerFor(members(guest.id))).toBeNull();
    expect(serverRunnerFor([])).toBeNull();
  });
  it('Polyvisor, when the user says so or the members allow nothing else; an existing policy keeps its runner', () => {
    expect(runnerOf({ ...newDraft(), runOnServer: true }, members(a.id))).toEqual({ kind: 'server', serverId: 'x' });
    expect(runnerOf({ ...newDraft(), runOnServer: false }, members(a.id))).toEqual({ kind: 'polyvisor' });
    expect(runnerOf(newDraft(), members(a.id, guest.id))).toEqual({ kind: 'polyvisor' });
    expect(runnerOf(newDraft(), members(a.id, guest.id), { kind: 'server', serverId: 'x' })).toEqual({ kind: 'server', serverId: 'x' });
  });
  it('a server-run policy keeps at most what the server allows; Polyvisor’s own up to the contract’s bound', () => {
    expect(retainMax({ kind: 'server', serverId: 'x' }, s)).toBe(10);
    expect(retainMax({ kind: 'polyvisor' }, s)).toBe(1000);
  });
  it('a Polyvisor policy is sent with the computer’s zone; a server’s reads its own', () => {
    const draft = { ...newDraft([a.id]), name: ' nightly ' };
    expect(policyDraftOf(draft, { kind: 'polyvisor' })).toMatchObject({ name: 'nightly', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    expect(policyDraftOf(draft, { kind: 'server', serverId: 'x' })).not.toHaveProperty('timeZone');
  });
});

describe('the wizard’s problems', () => {
  const ctx = (ids: string[], runner = runnerOf(newDraft(), members(...ids))) => ({ members: members(...ids), runner, retainMax: retainMax(runner, s), t: en, language: 'en' });
  it('snapshot types only where every member’s platform has them', () => {
    expect(typeProblem('memory', members(a.id, box.id), en, 'en')).toBe('box is a container: it keeps no memory in a snapshot.');
    expect(typeProblem('quiesce', members(guest.id), en, 'en')).toBe('guest (Proxmox VE) cannot take “Quiesced” snapshots.');
    expect(typeProblem('disk', members(a.id, guest.id, box.id), en, 'en')).toBeNull();
  });
  it('each on its field', () => {
    expect(draftProblems({ ...newDraft(), name: ' ' }, ctx([]))).toEqual({ name: 'The policy needs a name.', members: 'Choose at least one virtual machine or container.' });
    const weekly = { ...newDraft([a.id]), name: 'w', every: 'weekly' as const, days: [], retain: 11 };
    expect(draftProblems(weekly, ctx([a.id]))).toEqual({ days: 'Choose at least one day.', retain: 'Enter a whole number from 1 to 10.' });
    expect(draftProblems({ ...weekly, days: ['sun'], retain: 11 }, ctx([a.id], { kind: 'polyvisor' }))).toEqual({});
    const offline = state({ info, servers: [{ ...xen, state: 'disconnected' }], nodes: [a] });
    const m = membersOf(offline, [a.id]);
    expect(draftProblems({ ...newDraft([a.id]), name: 'n' }, { members: m, runner: { kind: 'server', serverId: 'x' }, retainMax: 10, t: en, language: 'en' })).toEqual({
      members: 'xenserver server is not connected.',
    });
  });
  it('the core’s INVALID_INPUT goes to the field it names', () => {
    const invalid = (message: string, field?: string) => ({ code: 'INVALID_INPUT' as const, message, ...(field ? { field } : {}) });
    expect(wizardFieldOf(errorField(invalid('schedules:create: policy.retain is too large (Too big: expected number to be <=1000)')))).toBe('retain');
    expect(wizardFieldOf(errorField(invalid('schedules:update: changes.frequency.days is too small (needs at least one day)')))).toBe('days');
    expect(wizardFieldOf(errorField(invalid('retained_snapshots must be between 1 and 10', 'retain')))).toBe('retain');
    expect(wizardFieldOf(errorField(invalid('no field here')))).toBeNull();
    expect(errorField({ code: 'SERVER_ERROR', message: 'schedules:create: policy.retain x' })).toBeNull();
  });
});

const policy = (extra: Partial<SnapshotPolicy> = {}): SnapshotPolicy => ({
  id: 'x:policy:OpaqueRef:1',
  runner: { kind: 'server', serverId: 'x' },
  name: 'Hourly web',
  description: '',
  type: 'disk',
  frequency: { every: 'hourly', minute: 0 },
  timeZone: 'UTC',
  retain: 2,
  enabled: true,
  members: [a.id, b.id],
  ...extra,
});

describe('commands on the selected policy', () => {
  const p = policy();
  const taken = snapshotOf(a, 'hourly-1', { policyId: p.id });
  const mine = snapshotOf(a, 'mine');
  const withPolicy = (extra: Partial<SnapshotPolicy> = {}, changes = {}) => ({
    ...state({ info, servers: [xen], nodes: [a, b, taken, mine] }),
    policies: [policy(extra)],
    selectedPolicyId: p.id,
    schedulesView: { focus: [] },
    ...changes,
  });
  it('need a selected policy, and its server connected when the server runs it', () => {
    expect(canRun('edit-policy', { ...withPolicy(), selectedPolicyId: null })).toEqual({ ok: false, reason: 'Select a policy in the list.' });
    expect(canRun('edit-policy', withPolicy())).toEqual({ ok: true });
    expect(canRun('run-policy-now', withPolicy({}, { servers: [{ ...xen, state: 'reconnecting' }] }))).toEqual({ ok: false, reason: 'xenserver server is not connected.' });
    expect(canRun('run-policy-now', withPolicy({ runner: { kind: 'polyvisor' } }, { servers: [] }))).toEqual({ ok: true });
    expect(canRun('run-policy-now', withPolicy({ lastRun: { at: '2026-01-01T00:00:00Z', outcome: 'running' } }))).toEqual({ ok: false, reason: '“Hourly web” is running now.' });
    expect(canRun('new-policy', withPolicy()).ok).toBe(true);
  });
  it('enable and disable are one command that says which it does', () => {
    expect(commandById('toggle-policy')!.label(ctxOf(withPolicy()))).toBe('Disable');
    expect(commandById('toggle-policy')!.label(ctxOf(withPolicy({ enabled: false }), 'zh-CN'))).toBe('启用');
  });
  it('delete asks whether its own snapshots go too, counting only those it took', () => {
    const request = commandById('delete-policy')!.confirm!(ctxOf(withPolicy()))!;
    expect(request.options).toEqual([expect.objectContaining({ id: 'deleteSnapshots', checked: false, label: 'Also delete the snapshots this policy took (1 on the connected servers)' })]);
  });
  it('the OS timer: install while it is not installed, remove while it is', () => {
    const status = { mechanism: 'systemd' as const, installed: false, files: [], command: 'polyvisor schedule run-due' };
    expect(canRun('install-runner', withPolicy())).toEqual({ ok: false, reason: "The timer's state has not been read yet." });
    expect(canRun('install-runner', withPolicy({}, { runnerStatus: status }))).toEqual({ ok: true });
    expect(canRun('uninstall-runner', withPolicy({}, { runnerStatus: status }))).toEqual({ ok: false, reason: 'The timer is not installed.' });
    expect(canRun('install-runner', withPolicy({}, { runnerStatus: { ...status, installed: true } }))).toEqual({ ok: false, reason: 'The timer is already installed.' });
  });
});

describe('the view opened for a pool, server or VM', () => {
  it('puts the policies for it first: by member, by the member’s pool or host, or by the server that runs it', () => {
    const pool = { ...vm('x', 'pool'), id: 'x:pool:p', kind: 'pool' as const };
    const host = { ...vm('x', 'host'), id: 'x:host:h', kind: 'host' as const, parentId: pool.id };
    const onHost = { ...a, parentId: host.id };
    const index = state({ info, nodes: [pool, host, onHost, guest] }).index;
    const own = policy({ runner: { kind: 'polyvisor' }, members: [onHost.id] });
    expect(policyConcerns(own, new Set([pool.id]), index)).toBe(true);
    expect(policyConcerns(own, new Set([host.id]), index)).toBe(true);
    expect(policyConcerns(own, new Set([guest.id]), index)).toBe(false);
    expect(policyConcerns(policy({ members: [] }), new Set([serverKey('x')]), index)).toBe(true);
  });
});
