// A server whose certificate has expired (Proxmox VE's own expire after two years):
// the dialog shows the certificate with its dates and offers no way to trust it —
// TLS is verified or pinned, never switched off — and says how to renew it.
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { serverRow } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const YEAR = 365 * 86400_000;
const NAME = 'Expired PVE';

let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;

test.beforeAll(async ({ browser }) => {
  [stack, pve] = await Promise.all([
    startStack(),
    startProxmoxSimulator({ certValidity: { notBefore: new Date(Date.now() - 3 * YEAR), notAfter: new Date(Date.now() - YEAR) } }),
  ]);
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
});

test('an expired certificate is shown with its dates and cannot be trusted; nothing reaches the server', async () => {
  await page.getByTestId('tb-add-server').click();
  await page.getByTestId('add-server-type').selectOption('proxmox');
  await page.getByTestId('add-server-name').fill(NAME);
  await page.getByTestId('add-server-host').fill(pve.host);
  await page.getByTestId('add-server-port').fill(String(pve.port));
  await page.getByTestId('add-server-username').fill('root');
  await page.getByTestId('add-server-password').fill('password');
  await page.getByTestId('add-server-submit').click();

  const dialog = page.getByTestId('certificate-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Certificate outside its dates');
  await expect(page.getByTestId('cert-fingerprint')).toHaveText(pve.fingerprint256);
  await expect(page.getByTestId('cert-intro')).toContainText(`${pve.host}:${pve.port}`);
  await expect(page.getByTestId('cert-intro')).toContainText('expired on');
  await expect(page.getByTestId('cert-valid-to')).toHaveClass(/danger-text/);
  await expect(page.getByTestId('cert-renew-hint')).toContainText('pvenode cert set');
  await expect(page.getByTestId('cert-accept')).toHaveCount(0);
  await shot(page, 'certificate-expired');

  await setLanguage(stack, page, 'zh-CN');
  await expect(dialog).toContainText('证书不在有效期内');
  await shot(page, 'certificate-expired-zh');
  await setLanguage(stack, page, 'en');

  await page.getByTestId('cert-cancel').click();
  await expect(dialog).toBeHidden();
  await expect(serverRow(page, NAME)).not.toHaveAttribute('data-state', 'connected');
  const saved = (await stack.core.invoke('servers:list')).find((s) => s.name === NAME);
  expect(saved?.pinnedFingerprint).toBeUndefined();
  expect(pve.stats()).toMatchObject({ passwordLogins: 0, failedLogins: 0 });
});
