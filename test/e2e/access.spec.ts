// Users and access (issue 16), done when: the simulator's pool joined to its domain from
// the Users tab, a group added with the vm-operator role, a member of it logged in as
// DOMAIN\user, and the commands outside that role greyed with the reason. Each change is
// read back from the simulator's own records; the join password never reaches the page's
// state after the join. Screenshots of the Users tab in English and Chinese (dark).
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { TEST_DIRECTORY } from '../sim/xapi/access-directory';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const ADMIN = 'Lab pool (root)';
const ALICE = 'Lab pool (alice)';
const POOL = 'Lab pool';

let stack: Stack;
let page: Page;
let sim: XapiSimulator;
let adminId: string;

const hosts = () => [...sim.db.records('host').values()];
const subjects = () => [...sim.db.records('subject').values()].map((s) => [(s.other_config as Record<string, string>)['subject-name'], (s.roles as string[]).map((r) => sim.db.get('role', r)!.name_label)]);

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function openUsersTab(serverId: string): Promise<void> {
  await search(page, POOL);
  await nodeRow(page, serverId, POOL).click();
  await expect(page.getByTestId('details-title')).toHaveText(POOL);
  await page.getByTestId('tab-users').click();
  await expect(page.getByTestId('users-tab')).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, sim] = await Promise.all([startStack(), startXapiSimulator({ generate: { hosts: 2, vms: 3, snapshots: 0, powerOn: true }, poolName: POOL, directory: TEST_DIRECTORY })]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: ADMIN, host: sim.host, port: sim.port, user: 'root', password: 'password', fingerprint256: sim.fingerprint256 });
  adminId = await serverIdOf(stack, ADMIN);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await sim?.stop();
});

test('joins the pool to the domain from its Users tab (a wrong password refused with the server’s code)', async () => {
  await openUsersTab(adminId);
  await expect(page.getByTestId('access-directory')).toContainText('Not joined to a domain: only the local root account can log in.');
  await expect(page.getByTestId('access-you')).toContainText('root, the local administrator');
  await expect(page.getByTestId('access-add')).toBeDisabled();
  await expect(page.getByTestId('access-add')).toHaveAttribute('title', 'Join the pool to a domain first.');

  await page.getByTestId('access-join').click();
  await page.getByTestId('access-join-domain').fill('corp.example.com');
  await page.getByTestId('access-join-user').fill('Administrator');
  await page.getByTestId('access-join-password').fill('not-the-secret');
  await page.getByTestId('access-join-submit').click();
  await expect(page.getByTestId('access-join-dialog').getByTestId('error-server-code')).toHaveText(' POOL_AUTH_ENABLE_FAILED_WRONG_CREDENTIALS');
  await expect(page.getByTestId('access-join-dialog')).not.toContainText('not-the-secret');
  // the field was emptied once the password had gone to the server
  await expect(page.getByTestId('access-join-password')).toHaveValue('');
  for (const host of hosts()) expect(host.external_auth_type).toBe('');

  await page.getByTestId('access-join-password').fill('join-secret');
  await page.getByTestId('access-join-submit').click();
  await expect(page.getByTestId('access-join-dialog')).toBeHidden();
  await expect(page.getByTestId('access-directory')).toContainText('Joined to the domain corp.example.com (AD).');
  for (const host of hosts()) expect([host.external_auth_type, host.external_auth_service_name]).toEqual(['AD', 'corp.example.com']);
});

test('adds a domain group with the vm-operator role', async () => {
  await page.getByTestId('access-add').click();
  await page.getByTestId('access-add-name').fill('CORP\\vm-operators');
  await page.getByTestId('access-role-vm-operator').check();
  await page.getByTestId('access-add-submit').click();
  await expect(page.getByTestId('access-add')).toBeEnabled();
  const row = page.locator('[data-testid=access-row][data-name="CORP\\\\vm-operators"]');
  await expect(row.getByTestId('access-row-role')).toHaveText('vm-operator');
  await expect(row).toContainText('Group');
  expect(subjects()).toEqual([['CORP\\vm-operators', ['vm-operator']]]);
  await row.click();
  await shot(page, 'access-users-tab');
});

test('a member logs in as DOMAIN\\user and sees the commands outside its role greyed with the reason', async () => {
  await addServer(page, { type: 'xenserver', name: ALICE, host: sim.host, port: sim.port, user: 'CORP\\alice', password: 'alice-pw' });
  const aliceId = await serverIdOf(stack, ALICE);
  expect([...sim.db.records('session').values()].some((s) => s.auth_user_name === 'CORP\\alice' && s.is_local_superuser === false)).toBe(true);

  await search(page, 'vm-00001');
  const vm = nodeRow(page, aliceId, 'vm-00001');
  await vm.click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu.getByTestId('menu-take-snapshot')).toHaveAttribute('data-disabled-reason', 'Your role vm-operator does not allow “Take snapshot” (vm.snapshot).');
  await expect(menu.getByTestId('menu-delete-guest')).toHaveAttribute('data-disabled-reason', /^Your role vm-operator does not allow .*\(vm\.destroy\)\.$/);
  // what the role allows stays as the server's own state says: a running VM can be shut down
  await expect(menu.getByTestId('menu-shutdown')).not.toHaveAttribute('data-disabled-reason', /.+/);
  await shot(page, 'access-vm-operator-menu');
  await page.keyboard.press('Escape');

  // the same VM as root: the snapshot is allowed
  await nodeRow(page, adminId, 'vm-00001').click({ button: 'right' });
  await expect(page.getByTestId('context-menu').getByTestId('menu-take-snapshot')).not.toHaveAttribute('data-disabled-reason', /.+/);
  await page.keyboard.press('Escape');

  // alice's own Users tab: managing users is outside her role
  await openUsersTab(aliceId);
  await expect(page.getByTestId('access-you')).toHaveText('You are logged in as CORP\\alice with the role vm-operator.');
  await expect(page.getByTestId('access-add')).toHaveAttribute('title', 'Your role vm-operator does not allow “Manage users and access” (subject.create).');
  await expect(page.locator('[data-testid=access-row][data-name="CORP\\\\vm-operators"]')).toBeVisible();
  await shot(page, 'access-users-tab-vm-operator');
});

test('the Users tab in Chinese, dark', async () => {
  await openUsersTab(adminId);
  await page.locator('[data-testid=access-row]').first().click();
  await looks('zh-CN', 'dark');
  await expect(page.getByTestId('tab-users')).toHaveText('用户');
  await expect(page.getByTestId('access-directory')).toContainText('已加入域 corp.example.com');
  await shot(page, 'access-users-tab-zh-dark');
  await looks('en', 'light');
});
