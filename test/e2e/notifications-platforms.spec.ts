// The Notifications view beyond XAPI (issue 15): a real Docker engine's die event and a
// Proxmox VE simulator's failed task, both caused by other clients, show as alerts that
// cannot be dismissed (greyed, with the reason), each platform's note above the tabs, and
// the Proxmox task with the user who ran it in the Events tab.
import https from 'node:https';
import type Dockerode from 'dockerode';
import { expect, test, type Page } from '@playwright/test';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { addServer } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const unavailable = dockerdUnavailableReason();
const TOKEN = 'backup@pve!cron=6f1a2b3c-0000-4000-8000-000000000002';
let stack: Stack;
let page: Page;
let dockerd: DockerdPeer | undefined;
let docker: Dockerode;
let pve: ProxmoxSimulator;

/** Another client of the Proxmox simulator: a POST with another user's API token. */
function otherPveClient(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: pve.host, port: pve.port, path: `/api2/json${path}`, method: 'POST', ca: pve.certPem, headers: { authorization: `PVEAPIToken=${TOKEN}`, 'content-length': 0 } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(Buffer.concat(chunks).toString()) as { data: string }).data) : reject(new Error(`${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test.beforeAll(async ({ browser }) => {
  test.skip(requirePeer(unavailable), `no real Docker engine here: ${unavailable}`);
  [dockerd, pve, stack] = await Promise.all([startDockerd(), startProxmoxSimulator({ taskDurationMs: 300, access: { users: [{ userid: 'backup@pve' }], acl: [{ path: '/vms', type: 'user', ugid: 'backup@pve', roleid: 'PVEVMAdmin', propagate: true }] } }), startStack()]);
  docker = dockerd.docker;
  await ensureBusyboxImage(docker);
  pve.addApiToken('backup@pve', 'cron', TOKEN.split('=')[1]!);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'docker', name: 'Engine', socketPath: dockerd.socketPath });
  await addServer(page, { type: 'proxmox', name: 'PVE lab', host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
  await dockerd?.stop();
});

test('a container exiting with an error and a failed Proxmox task: alerts that cannot be dismissed, each platform saying why', async () => {
  const c = await docker.createContainer({ name: 'crashy', Image: 'local/busybox:latest', Cmd: ['sh', '-c', 'exit 5'], HostConfig: { NetworkMode: 'none' } });
  await c.start();
  const upid = await otherPveClient('/nodes/node2/qemu/100/status/start'); // already running: fails
  await expect(page.getByTestId('notifications-badge')).toHaveText('2', { timeout: 30_000 });
  await page.getByTestId('notifications-nav').click();
  const die = page.locator('[data-testid=alert-row][data-name=die]');
  await expect(die).toContainText('Exited with code 5');
  await expect(die).toContainText('crashy');
  await expect(die.getByTestId('dismiss-one')).toBeDisabled();
  await expect(die.getByTestId('dismiss-one')).toHaveAttribute('title', /cannot delete its alerts/);
  const failed = page.locator('[data-testid=alert-row][data-name=qmstart]');
  await expect(failed).toContainText('already running');
  await expect(page.getByTestId('dismiss-all')).toBeDisabled();
  await expect(page.getByTestId('notifications-notes')).toContainText('Docker keeps no alerts');
  await expect(page.getByTestId('notifications-notes')).toContainText('failed tasks');
  expect((await c.inspect()).State.ExitCode).toBe(5);
  expect(pve.tasks.tasks.get(upid)?.exitstatus).toMatch(/already running/);
  await shot(page, 'notifications-platforms-alerts-en');

  await page.getByTestId('notifications-tab-events').click();
  const task = page.locator('[data-testid=event-row][data-what=qmstart]');
  await expect(task).toContainText('backup@pve!cron');
  await expect(task).toHaveAttribute('data-status', 'failure');
  await expect(page.locator('[data-testid=event-row][data-what="container die"]').first()).toBeVisible();
  await shot(page, 'notifications-platforms-events-en');
});
