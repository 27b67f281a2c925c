// Issue 15's "done when" for the Notifications view on the XAPI simulator: an alert
// another client raises shows with the new-alert badge (and as a desktop notification
// for a server switched on), is dismissed and is gone on the server; a task another
// client runs shows in the Events tab with its progress; filters and "dismiss all shown";
// screenshots in English and Chinese, light and dark.
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { otherSession } from '../integration/xenserver/harness';
import { addServer, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const POOL = 'Alert pool';
let stack: Stack;
let page: Page;
let sim: XapiSimulator;
let other: Awaited<ReturnType<typeof otherSession>>;

const vmUuid = () => {
  for (const r of sim.db.records('VM').values()) if (!r.is_a_template && !r.is_a_snapshot && !r.is_control_domain) return { uuid: String(r.uuid), name: String(r.name_label) };
  throw new Error('the simulator has no VM');
};
const serverHasMessage = async (ref: string) => Object.keys((await other('message.get_all_records')) as object).includes(ref);
const alertRow = (name: string) => page.locator(`[data-testid=alert-row][data-name="${name}"]`);
const badge = () => page.getByTestId('notifications-badge');

test.beforeAll(async ({ browser }) => {
  [stack, sim] = await Promise.all([startStack(), startXapiSimulator({ generate: { hosts: 2, vms: 3, snapshots: 0 }, poolName: POOL })]);
  other = await otherSession(sim);
  page = await browser.newPage();
  // the page's desktop notifications, recorded: the permission is granted as a user would
  await page.addInitScript(() => {
    const shown: Array<{ title: string; body?: string }> = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    class RecordingNotification {
      static permission: NotificationPermission = 'granted';
      static requestPermission = async () => 'granted' as NotificationPermission;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body });
      }
    }
    (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
  });
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: POOL, host: sim.host, port: sim.port, user: 'root', password: 'password', fingerprint256: sim.fingerprint256 });
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await sim?.stop();
});

test('desktop notifications are switched on per server and saved in the settings', async () => {
  await page.getByTestId('notifications-nav').click();
  await page.getByTestId('desktop-switches').locator('summary').click();
  await page.locator(`[data-testid=desktop-switch][data-server="${POOL}"]`).check();
  const poolId = await serverIdOf(stack, POOL);
  await expect.poll(async () => (await stack.core.invoke('app:info')).settings.desktopNotifications).toEqual([poolId]);
  await page.getByTestId('notifications-close').click();
  await expect(page.getByTestId('notifications-view')).toBeHidden();
});

test('an alert raised by another client shows with its badge and a desktop notification, is dismissed, and is gone on the server', async () => {
  await expect(badge()).toBeHidden();
  const vm = vmUuid();
  const ref = (await other('message.create', 'VM_CRASHED', 2, 'VM', vm.uuid, 'The guest crashed and was halted.')) as string;
  await expect(badge()).toHaveText('1', { timeout: 20_000 });
  await expect.poll(() => page.evaluate(() => (window as unknown as { shownNotifications: Array<{ title: string }> }).shownNotifications.map((n) => n.title))).toEqual([`${POOL}: VM crashed`]);
  await shot(page, 'notifications-badge-en');

  await page.getByTestId('notifications-nav').click();
  const row = alertRow('VM_CRASHED');
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-severity', 'major');
  await expect(row).toContainText(vm.name);
  await expect(row).toContainText('The guest crashed and was halted.');
  await expect(badge()).toBeHidden();
  await shot(page, 'notifications-alerts-en');

  await row.getByTestId('dismiss-one').click();
  await expect(row).toBeHidden({ timeout: 20_000 });
  expect(await serverHasMessage(ref)).toBe(false);
});

test("a task another client runs shows in the Events tab with its progress, then its end", async () => {
  await page.getByTestId('notifications-tab-events').click();
  const ref = (await other('task.create', 'Nightly export of web01', 'by a backup script')) as string;
  await other('task.set_progress', ref, 0.6);
  const row = page.locator('[data-testid=event-row][data-what="Nightly export of web01"]');
  await expect(row.getByTestId('event-progress')).toHaveAttribute('aria-valuenow', '60', { timeout: 20_000 });
  await expect(row).toHaveAttribute('data-status', 'running');
  await shot(page, 'notifications-events-en');
  await other('task.set_status', ref, 'success');
  await expect(row).toHaveAttribute('data-status', 'success', { timeout: 20_000 });
});

test('filters by severity and object; "dismiss all shown" removes exactly the shown alerts from the server', async () => {
  await page.getByTestId('notifications-tab-alerts').click();
  const vm = vmUuid();
  const host = [...sim.db.records('host').values()][0]!;
  const warning = (await other('message.create', 'ALARM', 3, 'Host', String(host.uuid), 'cpu_usage 0.97')) as string;
  const info = (await other('message.create', 'VM_STARTED', 5, 'VM', vm.uuid, '')) as string;
  await expect(alertRow('ALARM')).toBeVisible({ timeout: 20_000 });
  await expect(alertRow('VM_STARTED')).toBeVisible();
  await page.getByTestId('filter-level').selectOption('warning');
  await expect(page.getByTestId('alert-row')).toHaveCount(1);
  await page.getByTestId('filter-level').selectOption('');
  await page.getByTestId('filter-object').fill(vm.name);
  await expect(page.getByTestId('alert-row')).toHaveCount(1);
  await expect(alertRow('VM_STARTED')).toBeVisible();
  await page.getByTestId('dismiss-all').click();
  await expect(alertRow('VM_STARTED')).toBeHidden({ timeout: 20_000 });
  expect(await serverHasMessage(info)).toBe(false);
  expect(await serverHasMessage(warning)).toBe(true);
  await page.getByTestId('filter-object').fill('');
  await expect(alertRow('ALARM')).toBeVisible();
});

test('the view in Chinese, dark theme', async () => {
  await stack.core.invoke('settings:set', { language: 'zh-CN', theme: 'dark' });
  await expect(page.getByTestId('notifications-tab-alerts')).toHaveText('警报');
  await expect(alertRow('ALARM')).toContainText('警告');
  await shot(page, 'notifications-alerts-zh-CN-dark');
  await page.getByTestId('notifications-tab-events').click();
  await expect(page.locator('[data-testid=event-row][data-what="Nightly export of web01"]')).toContainText('成功');
  await shot(page, 'notifications-events-zh-CN-dark');
  await stack.core.invoke('settings:set', { language: 'en', theme: 'system' });
});
