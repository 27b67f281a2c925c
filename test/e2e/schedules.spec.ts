// Scheduled snapshots through the UI (issue 12): an hourly policy keeping 2 on two VMs
// of a XAPI pool is a VMSS the pool runs (the simulator's clock moves 3 hours), and the
// same policy on a Proxmox VM and a Docker container is Polyvisor's own (the core's
// clock moves, the test runs what is due as the OS timer would). Each member ends with
// exactly 2 policy snapshots, marked in the snapshot tree, its user's snapshots
// untouched — read back from each peer's own view. History shows every run; a run on a
// container deleted meanwhile shows the engine's code. The OS timer installs into a
// folder of the test. Screenshots of the list, the wizard and a snapshot tree with
// policy snapshots, in English and Chinese.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type Dockerode from 'dockerode';
import { policyTag, type SnapshotPolicy } from '../../shared/schedules';
import type { OsTimerHost } from '../../electron/core/schedules/os-timer/installers';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, nodeRow, openSnapshots, search, serverIdOf, serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { closeHistory, createPolicyInWizard, openSchedules, policyRow, setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const XEN = 'Lab pool';
const PVE = 'PVE cluster';
const ENGINE = 'Docker engine';
const BOX = 'policy-box';
const HOUR = 3_600_000;

let stack: Stack;
let page: Page;
let xen: XapiSimulator;
let pve: ProxmoxSimulator;
let dockerd: DockerdPeer | undefined;
let docker: Dockerode | undefined;
let timerHome: string;
/** the core's clock for Polyvisor's own policies */
let clockMs = Date.now();

const dockerMissing = dockerdUnavailableReason();

/** The OS timer's machine: a systemd Linux whose user folders are the test's own (no program is ever run). */
function testTimerHost(home: string): OsTimerHost {
  return {
    platform: 'linux',
    userHome: home,
    uid: process.getuid?.() ?? 0,
    systemdBooted: true,
    userManagerRuns: false,
    run: () => Promise.reject(new Error('the test machine runs no programs')),
  };
}

test.beforeAll(async ({ browser }) => {
  timerHome = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-e2e-timer-'));
  [stack, xen, pve, dockerd] = await Promise.all([
    startStack({ schedules: { now: () => new Date(clockMs), timerMs: 0, osTimerHost: testTimerHost(timerHome) } }),
    startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 3 }, poolName: XEN }),
    startProxmoxSimulator({ user: 'admin@pve', password: 'pve-secret' }),
    requirePeer(dockerMissing) ? Promise.resolve(undefined) : startDockerd(),
  ]);
  if (dockerd) {
    docker = dockerd.docker;
    const image = await ensureBusyboxImage(docker);
    const box = await docker.createContainer({ name: BOX, Image: image, Cmd: ['sleep', '3600'] });
    await box.start();
  }
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([xen?.stop(), pve?.stop(), dockerd?.stop()]);
  if (timerHome) rmSync(timerHome, { recursive: true, force: true });
});

/** The VM's snapshots in the simulator's own records: the schedule's and the user's. */
function xapiSnapshots(vmName: string): { vmss: string[]; user: string[] } {
  const vms = xen.db.records('VM');
  const vm = [...vms].find(([, r]) => r.name_label === vmName && !r.is_a_snapshot && !r.is_a_template)!;
  const snaps = [...vms].filter(([, r]) => r.is_a_snapshot && r.snapshot_of === vm[0]);
  return {
    vmss: snaps.filter(([, r]) => r.is_vmss_snapshot).map(([ref]) => ref).sort(),
    user: snaps.filter(([, r]) => !r.is_vmss_snapshot).map(([ref]) => ref).sort(),
  };
}

async function policyNamed(name: string): Promise<SnapshotPolicy> {
  const policy = (await stack.core.invoke('schedules:list')).find((p) => p.name === name);
  if (!policy) throw new Error(`no policy named ${name}`);
  return policy;
}

test('an hourly XAPI policy for two VMs keeping 2 is a VMSS the pool runs: after 3 hours each VM has 2 of its snapshots', async () => {
  await addServer(page, { type: 'xenserver', name: XEN, host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  const xenId = await serverIdOf(stack, XEN);
  const before = { a: xapiSnapshots('vm-00001'), b: xapiSnapshots('vm-00002') };
  expect(before.a.user.length).toBeGreaterThan(0);

  // both VMs selected in the tree; their context menu opens the view with them as the new policy's members
  await search(page, 'vm-0000');
  await nodeRow(page, xenId, 'vm-00001').click();
  await nodeRow(page, xenId, 'vm-00002').click({ modifiers: ['Control'] });
  await nodeRow(page, xenId, 'vm-00002').click({ button: 'right' });
  await page.getByTestId('menu-scheduled-snapshots').click();
  await expect(page.getByTestId('schedules-view')).toBeVisible();
  await expect(page.getByTestId('schedules-only-focus')).toBeChecked();
  await expect(page.getByTestId('policies-empty')).toBeVisible();

  await createPolicyInWizard(page, {
    name: 'Hourly web',
    description: 'Web tier, every hour',
    expectMembers: ['vm-00001', 'vm-00002'],
    runner: /Runs on the server Lab pool/,
    every: 'hourly',
    minute: 0,
    zone: /server's own time zone/,
    tooMany: { retain: 11, message: 'Enter a whole number from 1 to 10.' },
    retain: 2,
    screenshot: { name: 'schedules-wizard', stack },
  });

  // the pool's own record: a VMSS with both VMs assigned
  const vmss = [...xen.db.records('VMSS')];
  expect(vmss).toHaveLength(1);
  const [vmssRef, record] = vmss[0];
  expect(record).toMatchObject({ name_label: 'Hourly web', name_description: 'Web tier, every hour', frequency: 'hourly', type: 'snapshot', retained_snapshots: 2, enabled: true });
  expect(record.schedule).toEqual({ min: '0' });
  const assigned = [...xen.db.records('VM').values()].filter((r) => r.snapshot_schedule === vmssRef).map((r) => r.name_label).sort();
  expect(assigned).toEqual(['vm-00001', 'vm-00002']);

  const row = policyRow(page, 'Hourly web');
  await expect(row).toHaveAttribute('data-runner', 'server');
  await expect(row.locator('[data-col=schedule]')).toHaveText('Every hour at 0 minutes past (UTC)');
  await expect(row.locator('[data-col=keep]')).toHaveText('2');

  xen.clock.advance(3 * HOUR);
  for (const vm of ['vm-00001', 'vm-00002'] as const) {
    await expect.poll(() => xapiSnapshots(vm).vmss.length, { timeout: 30_000 }).toBe(2);
    expect(xapiSnapshots(vm).user).toEqual(before[vm === 'vm-00001' ? 'a' : 'b'].user);
  }
  await row.click();
  await expect(row.locator('[data-col=last]')).toContainText('Succeeded', { timeout: 30_000 });
  await shot(page, 'schedules-list');
  await setLanguage(stack, page, 'zh-CN');
  await expect(row.locator('[data-col=schedule]')).toHaveText('每小时第 0 分钟（UTC）');
  await shot(page, 'schedules-list-zh');
  await setLanguage(stack, page, 'en');

  // history: the runs whose snapshots the pool still keeps (it records no run history of its own)
  await page.getByTestId('policy-policy-history').click();
  const runs = page.getByTestId('policy-run');
  await expect(runs).toHaveCount(2);
  await expect(runs.first().getByTestId('policy-run-item')).toHaveCount(2);
  await closeHistory(page);
  await page.getByTestId('schedules-close').click();

  // the snapshot tree marks the policy's snapshots with its name and icon; the user's are unmarked
  await openSnapshots(page, xenId, 'vm-00001');
  const marked = page.locator('[data-testid=snapshot-row][data-policy="Hourly web"]');
  await expect(marked).toHaveCount(2);
  await expect(marked.first().locator('svg[data-policy=true]')).toBeVisible();
  await expect(page.locator('[data-testid=snapshot-row]:not([data-policy])')).toHaveCount(before.a.user.length);
  await marked.first().click();
  await expect(page.getByTestId('snapshot-details').locator('[data-prop=policy]')).toHaveText('the policy “Hourly web”');
  await shot(page, 'snapshot-tree-policy');
  await setLanguage(stack, page, 'zh-CN');
  await expect(page.getByTestId('snapshot-details').locator('[data-prop=policy]')).toHaveText('策略“Hourly web”');
  await shot(page, 'snapshot-tree-policy-zh');
  await setLanguage(stack, page, 'en');
});

test('the same policy on a Proxmox VM and a Docker container runs from this computer, on the core’s clock', async () => {
  test.skip(!docker, `no real Docker engine here: ${dockerMissing}`);
  await search(page, '');
  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'admin', realm: 'pve', password: 'pve-secret', fingerprint256: pve.fingerprint256 });
  await addServer(page, { type: 'docker', name: ENGINE, socketPath: dockerd!.socketPath });
  const server1 = pve.state.guest(100)!;
  const userSnapshots = [...server1.snapshots.keys()].sort();
  expect(userSnapshots.length).toBeGreaterThan(0);

  // opened with the Proxmox cluster selected: its policies only (none yet), no VM chosen for the new one
  // (found by search: the tree is virtualized, and the cluster's row may be out of view below the pool)
  await search(page, PVE);
  await serverRow(page, PVE).click();
  await search(page, '');
  await openSchedules(page);
  await expect(page.getByTestId('schedules-only-focus')).toBeChecked();
  await createPolicyInWizard(page, {
    name: 'Hourly mixed',
    pick: ['server1', BOX],
    runner: /Runs from this computer/,
    every: 'hourly',
    minute: 0,
    zone: new RegExp(`your time zone: ${Intl.DateTimeFormat().resolvedOptions().timeZone}`),
    retain: 2,
  });
  const policy = await policyNamed('Hourly mixed');
  expect(policy.runner).toEqual({ kind: 'polyvisor' });
  await expect(policyRow(page, 'Hourly mixed')).toHaveAttribute('data-runner', 'polyvisor');
  await page.getByTestId('schedules-close').click();

  // three hours on the core's clock, what is due run after each as the OS timer would
  for (let hour = 0; hour < 3; hour++) {
    clockMs += HOUR;
    const report = await stack.core.runDueSchedules();
    expect(report.runs.map((r) => r.outcome)).toEqual(['success']);
  }
  const tag = policyTag(policy.id);
  const pveTaken = () => [...server1.snapshots.values()].filter((s) => s.description.endsWith(tag)).length;
  await expect.poll(pveTaken, { timeout: 30_000 }).toBe(2);
  expect([...server1.snapshots.values()].filter((s) => !s.description.endsWith(tag)).map((s) => s.name).sort()).toEqual(userSnapshots);
  const images = await docker!.listImages({ filters: { label: [`dev.polyvisor.snapshot.policy=${tag}`] } });
  expect(images).toHaveLength(2);

  const pveId = await serverIdOf(stack, PVE);
  const engineId = await serverIdOf(stack, ENGINE);
  await openSnapshots(page, pveId, 'server1');
  await expect(page.locator('[data-testid=snapshot-row][data-policy="Hourly mixed"]')).toHaveCount(2);
  for (const name of userSnapshots) await expect(page.locator(`[data-testid=snapshot-row][aria-label="${name}"]:not([data-policy])`)).toHaveCount(1);
  await openSnapshots(page, engineId, BOX);
  await expect(page.locator('[data-testid=snapshot-row][data-policy="Hourly mixed"]')).toHaveCount(2);

  // every run in the history; the third pruned the first run's snapshot of each member
  await openSchedules(page);
  await policyRow(page, 'Hourly mixed').click();
  await page.getByTestId('policy-policy-history').click();
  const runs = page.getByTestId('policy-run');
  await expect(runs).toHaveCount(3);
  for (const item of await runs.first().getByTestId('policy-run-item').all()) {
    await expect(item.locator('[data-col=pruned]')).toHaveText('1 deleted');
    await expect(item.locator('[data-col=created]')).not.toHaveText('—');
  }
  await closeHistory(page);

  // the container is deleted behind the app: the next run fails for it with the engine's own code
  await docker!.getContainer(BOX).remove({ force: true });
  await expect(nodeRow(page, engineId, BOX)).toHaveCount(0);
  clockMs += HOUR;
  const [run] = (await stack.core.runDueSchedules()).runs;
  expect(run.outcome).toBe('partial');
  const failed = run.items.find((i) => i.name === BOX)!;
  expect(failed.error?.serverCode).toBeTruthy();
  await page.getByTestId('policy-policy-history').click();
  await expect(runs).toHaveCount(4);
  const item = runs.first().locator(`[data-testid=policy-run-item][data-member="${BOX}"]`);
  await expect(item).toHaveAttribute('data-error-code', failed.error!.serverCode!);
  await expect(item.getByTestId('error-server-code')).toHaveText(failed.error!.serverCode!);
  await expect(runs.first()).toHaveAttribute('data-outcome', 'partial');
  await shot(page, 'schedules-history-error');
  await closeHistory(page);
  await page.getByTestId('schedules-close').click();
});

test('disable, the OS timer and delete with its snapshots, each read back from its own place', async () => {
  await search(page, XEN);
  await serverRow(page, XEN).click();
  await search(page, '');
  await openSchedules(page);
  const row = policyRow(page, 'Hourly web');
  await row.click();
  await page.getByTestId('policy-toggle-policy').click();
  await expect(row.locator('[data-col=enabled]')).toHaveText('No');
  await expect.poll(() => [...xen.db.records('VMSS').values()][0].enabled).toBe(false);
  await expect(page.getByTestId('policy-toggle-policy')).toHaveText('Enable');

  // the OS timer: a systemd user timer written into the test's folder
  const panel = page.getByTestId('runner-panel');
  await expect(panel.getByTestId('runner-status')).toContainText('Not installed (this computer would use a systemd user timer).');
  await page.getByTestId('runner-install-runner').click();
  await expect(panel).toHaveAttribute('data-installed', 'true');
  const unitDir = path.join(timerHome, '.config', 'systemd', 'user');
  const status = await stack.core.invoke('schedules:runner');
  expect(status.files.every((f) => f.startsWith(unitDir) && existsSync(f))).toBe(true);
  await expect(page.getByTestId('runner-uninstall-runner')).toBeEnabled();
  await page.getByTestId('runner-uninstall-runner').click();
  await expect(panel).toHaveAttribute('data-installed', 'false');
  expect(status.files.some((f) => existsSync(f))).toBe(false);

  // delete, with the snapshots it took: the pool's records lose the VMSS and its snapshots, never the user's
  const userBefore = xapiSnapshots('vm-00001').user;
  await page.getByTestId('policy-delete-policy').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Also delete the snapshots this policy took (4 on the connected servers)');
  await page.getByTestId('confirm-option-deleteSnapshots').check();
  await page.getByTestId('confirm-ok').click();
  await expect(row).toHaveCount(0);
  await expect.poll(() => xen.db.records('VMSS').size, { timeout: 30_000 }).toBe(0);
  await expect.poll(() => xapiSnapshots('vm-00001').vmss.length, { timeout: 30_000 }).toBe(0);
  expect(xapiSnapshots('vm-00001').user).toEqual(userBefore);
});
