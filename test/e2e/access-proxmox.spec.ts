// Users and permissions on Proxmox VE (issue 16) in the window: alice@pve logs in with a
// group's PVEAuditor on / and PVEVMUser on VM 100 only; her commands are greyed per VM
// with the privilege and path PVE checks — VM 100 may be shut down but not snapshotted,
// another VM may not even be started — and the cluster's Users tab lists the users and
// groups with their ACL roles, managing them outside her role. Screenshot of the tab.
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const ALICE = 'PVE (alice)';

let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;
let aliceId: string;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, pve] = await Promise.all([
    startStack(),
    startProxmoxSimulator({
      access: {
        groups: ['operators'],
        users: [{ userid: 'alice@pve', password: 'alice-secret', groups: ['operators'] }],
        acl: [
          { path: '/', type: 'group', ugid: 'operators', roleid: 'PVEAuditor', propagate: true },
          { path: '/vms/100', type: 'group', ugid: 'operators', roleid: 'PVEVMUser', propagate: true },
        ],
      },
    }),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
  await addServer(page, { type: 'proxmox', name: ALICE, host: pve.host, port: pve.port, user: 'alice', realm: 'pve', password: 'alice-secret', fingerprint256: pve.fingerprint256 });
  aliceId = await serverIdOf(stack, ALICE);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
});

test('commands are greyed per VM with the privilege and path Proxmox VE checks', async () => {
  expect(pve.state.guest(100)!.status).toBe('running');
  await search(page, 'server1');
  await nodeRow(page, aliceId, 'server1').click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu.getByTestId('menu-take-snapshot')).toHaveAttribute('data-disabled-reason', 'Your role PVEAuditor, PVEVMUser does not allow “Take snapshot” (VM.Snapshot on /vms/100).');
  await expect(menu.getByTestId('menu-shutdown')).not.toHaveAttribute('data-disabled-reason', /.+/);
  await page.keyboard.press('Escape');

  expect(pve.state.guest(102)!.status).toBe('stopped');
  await search(page, 'machine-test');
  await nodeRow(page, aliceId, 'machine-test').click({ button: 'right' });
  await expect(page.getByTestId('context-menu').getByTestId('menu-start')).toHaveAttribute('data-disabled-reason', /\(VM\.PowerMgmt on \/vms\)\.$/);
  await shot(page, 'access-proxmox-menu');
  await page.keyboard.press('Escape');
});

test('the cluster’s Users tab lists users and groups with their ACL roles', async () => {
  await search(page, 'pve-cluster');
  await nodeRow(page, aliceId, 'pve-cluster').click();
  await page.getByTestId('tab-users').click();
  await expect(page.locator('[data-testid=access-row][data-name="operators"] [data-testid=access-row-role]')).toHaveText('PVEAuditor, PVEVMUser (/vms/100)');
  await expect(page.locator('[data-testid=access-row][data-name="alice@pve"]')).toBeVisible();
  await expect(page.getByTestId('access-join')).toHaveCount(0);
  await expect(page.getByTestId('access-add')).toHaveAttribute('title', /\(Permissions\.Modify on \/\)\.$/);
  await expect(page.getByTestId('access-you')).toHaveText('You are logged in as alice@pve with the role PVEAuditor, PVEVMUser.');
  await shot(page, 'access-proxmox-users-tab');
});
