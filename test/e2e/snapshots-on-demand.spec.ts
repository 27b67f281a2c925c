// A Proxmox VE guest's Snapshots tab reads its list when it opens (issue 17): the cluster is
// added with snapshotListsAfterConnect off and no polls during the test, so every guest's
// list is unread until its tab opens. Opening server1's tab shows its snapshots (one list
// request, no other guest's); a guest gone on the server behind the tree shows the
// server's error instead of "no snapshots". Checked against the simulator's own counts.
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { openSnapshots, snapshotRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const PVE = 'PVE on demand';
let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;
let pveId: string;

const listRequests = (vmid: number) => {
  const g = pve.state.guest(vmid)!;
  return pve.requestCount(`GET /nodes/${g.node}/${g.type}/${vmid}/snapshot`);
};

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test.beforeAll(async ({ browser }) => {
  [stack, pve] = await Promise.all([startStack(), startProxmoxSimulator()]);
  const options = { snapshotListsAfterConnect: false, snapshotSweepPerPoll: 0, pollIntervalMs: 600_000 };
  const server = await stack.core.invoke('servers:add', { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, username: 'root@pam', options });
  pveId = server.id;
  const first = await stack.core.invoke('servers:connect', server.id, 'password');
  const view = first.state === 'connected' ? first : await stack.core.invoke('certs:accept', server.id, pve.fingerprint256);
  expect(view.state).toBe('connected');
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
});

test('the Snapshots tab reads the list of a guest whose list is not read yet', async () => {
  expect(listRequests(100)).toBe(0);
  await openSnapshots(page, pveId, 'server1');
  for (const name of pve.state.guest(100)!.snapshots.keys()) await expect(snapshotRow(page, name)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('snap-reading')).toHaveCount(0);
  await expect(page.getByTestId('snap-empty')).toHaveCount(0);
  expect(listRequests(100)).toBe(1);
  // only the list that was looked at
  expect(listRequests(106)).toBe(0);
  await looks('en', 'light');
  await shot(page, 'snapshots-on-demand-read-en');
});

test("a list that cannot be read shows the server's error, not \"no snapshots\"", async () => {
  pve.state.guests.delete(102);
  await openSnapshots(page, pveId, 'machine-test');
  const failed = page.getByTestId('snap-read-failed');
  await expect(failed).toBeVisible({ timeout: 30_000 });
  await expect(failed.getByTestId('error-details')).toHaveAttribute('data-code', 'SERVER_ERROR');
  await expect(failed).toContainText('102');
  await expect(page.getByTestId('snap-empty')).toHaveCount(0);
  await expect(page.getByTestId('snapshot-here')).toHaveCount(0);
  await shot(page, 'snapshots-on-demand-failed-en');
  await looks('zh-CN', 'dark');
  await expect(failed).toContainText('无法读取快照列表');
  await shot(page, 'snapshots-on-demand-failed-zh-dark');
});
