// Issue 15, the Performance tab of a Proxmox VE VM: the last hour at PVE's 1-minute
// resolution and the last day at 30 minutes, each value in the legend the one the
// simulator's rrddata served for the time shown. Screenshot in English.
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { guestRow } from '../sim/proxmox/rrd-routes';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;

test.beforeAll(async ({ browser }) => {
  [stack, pve] = await Promise.all([startStack(), startProxmoxSimulator({})]);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
});

const shown = async (id: string) => Number(await page.getByTestId(`metric-value-${id}`).getAttribute('data-value'));
const shownTime = async () => Number(await page.getByTestId('metric-time-cpu').getAttribute('data-t'));

test('a Proxmox VM shows the rrddata the server keeps', async () => {
  await addServer(page, { type: 'proxmox', name: 'PVE', host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
  const id = await serverIdOf(stack, 'PVE');
  await search(page, 'server1');
  await nodeRow(page, id, 'server1').click();
  await page.getByTestId('tab-performance').click();
  await page.getByTestId('timeframe-1h').click();
  await expect(page.getByTestId('performance-step')).toContainText('60');
  await expect(page.getByTestId('metric-value-cpu')).toHaveAttribute('data-value', /\d/);
  const g = pve.state.guest(100)!;
  let t = await shownTime();
  expect(t % 60).toBe(0);
  expect(await shown('cpu')).toBeCloseTo(guestRow(g, t, 60, 'AVERAGE').cpu! * 100, 9);
  expect(await shown('mem')).toBe(guestRow(g, t, 60, 'AVERAGE').mem);
  expect(await shown('netin')).toBe(guestRow(g, t, 60, 'AVERAGE').netin);
  await shot(page, 'performance-proxmox-en');

  await page.getByTestId('timeframe-1d').click();
  await expect(page.getByTestId('performance-step')).toContainText('1800');
  await expect.poll(async () => (await shownTime()) % 1800).toBe(0);
  t = await shownTime();
  expect(await shown('diskread')).toBe(guestRow(g, t, 1800, 'AVERAGE').diskread);
});
