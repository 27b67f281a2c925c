// Issue 15, the overview grid: a generated XAPI pool of 10,000 VMs — the pool's Overview
// tab lists every VM and host beneath it (counted against the simulator), sorts by a
// header (and a further key with shift), filters by the box and per column; a range
// of halted VMs selected with click and shift-click is started by the same Start
// command as the tree's, checked on the simulator; the CSV export holds the shown rows
// with quoting; the live CPU column shows what the simulator served. Screenshots in
// English (light) and Chinese (dark).
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { vmSources } from '../sim/xapi/rrd/series';
import { addServer, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const POOL = 'Grid pool';
const HOSTS = 4;
const VMS = 10_000;

let stack: Stack;
let page: Page;
let sim: XapiSimulator;
let serverId: string;

const guestRecords = () => [...sim.db.records('VM').entries()].filter(([, r]) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain);
const recordNamed = (name: string) => guestRecords().find(([, r]) => r.name_label === name)!;
const shownNames = (p: Page) => p.locator('[data-testid=overview-row] [data-col=name]').allTextContents();
const count = (p: Page) => p.getByTestId('overview-count');
const serverRow = () => page.locator(`[role=treeitem][data-key="srv|${serverId}"]`);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  [stack, sim] = await Promise.all([startStack(), startXapiSimulator({ generate: { hosts: HOSTS, vms: VMS, snapshots: 0 }, poolName: POOL })]);
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: POOL, host: sim.host, port: sim.port, user: 'root', password: 'password', fingerprint256: sim.fingerprint256 });
  serverId = await serverIdOf(stack, POOL);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await sim?.stop();
});

test('the pool lists its 10,000 VMs and hosts, sorted and filtered', async () => {
  test.setTimeout(240_000);
  // a pool's server row stands for the pool (XenCenter's way): its Overview covers everything
  await serverRow().click();
  await page.getByTestId('tab-overview').click();
  const expected = guestRecords().length + HOSTS;
  await expect(count(page)).toHaveAttribute('data-total', String(expected), { timeout: 60_000 });
  await expect(count(page)).toHaveAttribute('data-shown', String(expected));
  // virtualized: a screenful of rows in the DOM, not ten thousand
  expect(await page.getByTestId('overview-row').count()).toBeLessThan(80);

  // by name, natural order; a second click reverses it
  await expect(page.getByTestId('overview-th-name')).toHaveAttribute('data-sort', '1a');
  expect((await shownNames(page))[0]).toBe('host-01');
  await page.getByTestId('overview-th-name').click();
  await expect(page.getByTestId('overview-th-name')).toHaveAttribute('data-sort', '1d');
  expect((await shownNames(page))[0]).toBe(`vm-${String(VMS).padStart(5, '0')}`);

  // by state, then (shift-click) name: the first rows are the halted VMs in name order
  await page.getByTestId('overview-th-state').click();
  await page.getByTestId('overview-th-name').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('overview-th-name')).toHaveAttribute('data-sort', '2a');
  const halted = guestRecords()
    .filter(([, r]) => r.power_state === 'Halted')
    .map(([, r]) => String(r.name_label))
    .sort();
  expect((await shownNames(page)).slice(0, 3)).toEqual(halted.slice(0, 3));

  // the filter box: every term in some column
  await page.getByTestId('overview-filter').fill('vm-0999');
  await expect(count(page)).toHaveAttribute('data-shown', '10');
  expect((await shownNames(page)).every((n) => n.startsWith('vm-0999'))).toBe(true);
  // a column filter on top of it
  await page.getByTestId('overview-filter-state').fill('halted');
  const haltedThere = guestRecords().filter(([, r]) => String(r.name_label).startsWith('vm-0999') && r.power_state === 'Halted').length;
  await expect(count(page)).toHaveAttribute('data-shown', String(haltedThere));
  await page.getByTestId('overview-filter-state').fill('');
  await page.getByTestId('overview-filter').fill('');
  await expect(count(page)).toHaveAttribute('data-shown', String(expected));
});

test('halted VMs selected with click and shift-click start with the tree’s Start command', async () => {
  test.setTimeout(120_000);
  await page.getByTestId('overview-filter').fill('vm-0010');
  await page.getByTestId('overview-filter-state').fill('halted');
  const targets = guestRecords()
    .filter(([, r]) => String(r.name_label).startsWith('vm-0010') && r.power_state === 'Halted')
    .map(([, r]) => String(r.name_label))
    .sort();
  await expect(count(page)).toHaveAttribute('data-shown', String(targets.length));
  const rows = page.getByTestId('overview-row');
  await rows.first().click();
  await rows.nth(targets.length - 1).click({ modifiers: ['Shift'] });
  await expect(page.locator('[data-testid=overview-row][aria-selected=true]')).toHaveCount(targets.length);
  await expect(count(page)).toContainText(`${targets.length} selected`);
  // ctrl-click takes one out and puts it back
  await rows.nth(1).click({ modifiers: ['Control'] });
  await expect(page.locator('[data-testid=overview-row][aria-selected=true]')).toHaveCount(targets.length - 1);
  await rows.nth(1).click({ modifiers: ['Control'] });

  // the context menu is the tree's for VMs
  await rows.first().click({ button: 'right' });
  await expect(page.getByTestId('menu-start')).toBeEnabled();
  await expect(page.getByTestId('menu-take-snapshot')).toBeVisible();
  await page.keyboard.press('Escape');

  await page.getByTestId('overview-cmd-start').click();
  const confirm = page.getByTestId('confirm-ok');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await expect
    .poll(() => targets.map((n) => recordNamed(n)[1].power_state), { timeout: 60_000 })
    .toEqual(targets.map(() => 'Running'));
  // one outside the selection stayed as it was
  const other = guestRecords().find(([, r]) => String(r.name_label).startsWith('vm-002') && r.power_state === 'Halted');
  expect(other).toBeDefined();
  await page.getByTestId('overview-filter-state').fill('');
});

test('CSV export holds the shown rows and columns, quoted', async () => {
  // a name with a comma and quotes must come back as one field
  const [ref] = recordNamed('vm-00010');
  sim.db.set('VM', ref, 'name_label', 'vm-00010, the "odd" one');
  await page.getByTestId('overview-filter').fill('vm-0001');
  await expect(page.locator('[data-testid=overview-row] [data-col=name]', { hasText: 'the "odd" one' })).toBeVisible({ timeout: 30_000 });
  const shown = Number(await count(page).getAttribute('data-shown'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('overview-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^Grid_pool-overview-\d{8}-\d{4}\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  const lines = text.slice(1).split('\r\n');
  expect(lines.at(-1)).toBe('');
  expect(lines[0]!.split(',').slice(0, 3)).toEqual(['Name', 'Type', 'State']);
  expect(lines.length - 2).toBe(shown);
  expect(lines).toContain(lines.find((l) => l.startsWith('"vm-00010, the ""odd"" one",Virtual machine,')));
  const names = lines.slice(1, -1).map((l) => (l.startsWith('"') ? l.slice(1, l.indexOf('",')).replace(/""/g, '"') : l.split(',')[0]));
  expect(names.sort()).toEqual(
    guestRecords()
      .map(([, r]) => String(r.name_label))
      .filter((n) => n.startsWith('vm-0001'))
      .sort(),
  );
});

test('the live CPU column shows what the simulator served; a halted VM says why it has none', async () => {
  test.setTimeout(120_000);
  await page.getByTestId('overview-filter').fill('vm-0002');
  const running = guestRecords().find(([, r]) => String(r.name_label).startsWith('vm-0002') && r.power_state === 'Running')!;
  const haltedVm = guestRecords().find(([, r]) => String(r.name_label).startsWith('vm-0002') && r.power_state === 'Halted')!;
  const row = (name: string) => page.locator(`[data-testid=overview-row]:has([data-col=name]:text-is("${name}"))`);
  const cpu = row(String(running[1].name_label)).getByTestId('usage-cpu');
  await expect(cpu).toHaveAttribute('data-share', /\d/, { timeout: 30_000 });
  const share = Number(await cpu.getAttribute('data-share'));
  const sources = vmSources(sim.db, running[1]).filter((s) => /^cpu\d+$/.test(s.name));
  const now = Math.floor(Date.now() / 5000) * 5;
  const candidates = [0, 5, 10, 15, 20, 25, 30].map((back) => sources.reduce((sum, s) => sum + Number(s.value(now - back, 5).toFixed(4)), 0) / sources.length);
  expect(candidates.some((c) => Math.abs(c - share) < 1e-3), `shown ${share}, served ${candidates.join(', ')}`).toBe(true);
  await expect(row(String(haltedVm[1].name_label)).getByTestId('usage-cpu')).toHaveAttribute('data-missing', 'not-running');
  await page.getByTestId('overview-th-name').click();
  await page.getByTestId('overview-filter').fill('vm-000');
  await expect(page.locator('[data-testid=usage-cpu][data-share]').first()).toBeVisible({ timeout: 30_000 });
  await shot(page, 'overview-grid-en');
});

test('View → Live usage in the tree puts a CPU bar on running rows on screen', async () => {
  await stack.core.invoke('settings:set', { treeUsage: true });
  const running = guestRecords().find(([, r]) => r.name_label === 'vm-00001')!;
  const treeRow = page.locator(`[role=treeitem][aria-label="vm-00001"]`);
  await expect(treeRow.getByTestId('tree-usage')).toBeVisible({ timeout: 30_000 });
  const share = Number(await treeRow.locator('[data-share]').getAttribute('data-share'));
  const sources = vmSources(sim.db, running[1]).filter((s) => /^cpu\d+$/.test(s.name));
  const now = Math.floor(Date.now() / 5000) * 5;
  const served = [0, 5, 10, 15, 20, 25, 30].map((back) => sources.reduce((sum, s) => sum + Number(s.value(now - back, 5).toFixed(4)), 0) / sources.length);
  expect(served.some((c) => Math.abs(c - share) < 1e-3), `tree ${share}, served ${served.join(', ')}`).toBe(true);
  await page.keyboard.press('Escape');
  await stack.core.invoke('settings:set', { treeUsage: false });
  await expect(treeRow.getByTestId('tree-usage')).toHaveCount(0);
});

test('columns chosen and moved are remembered; Chinese in the dark theme', async () => {
  await page.getByTestId('overview-columns').click();
  await page.getByTestId('overview-column-toggle-vcpus').check();
  await page.getByTestId('overview-column-left-cpu').click();
  await page.keyboard.press('Escape');
  const headers = async () => page.locator('[role=columnheader]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  const before = await headers();
  expect(before).toContain('overview-th-vcpus');
  expect(before.indexOf('overview-th-cpu')).toBe(before.indexOf('overview-th-server') - 1);
  await page.reload();
  await page.getByTestId('app').and(page.locator('[data-loaded="true"]')).waitFor();
  await serverRow().click();
  await page.getByTestId('tab-overview').click();
  await expect(count(page)).toHaveAttribute('data-total', /\d/);
  expect(await headers()).toEqual(before);

  await setLanguage(stack, page, 'zh-CN');
  await stack.core.invoke('settings:set', { theme: 'dark' });
  await page.getByTestId('overview-filter').fill('vm-000');
  await expect(page.getByTestId('tab-overview')).toHaveText('概览');
  await expect(page.getByTestId('overview-th-name')).toContainText('名称');
  await expect(page.locator('[data-testid=usage-cpu][data-share]').first()).toBeVisible({ timeout: 30_000 });
  await shot(page, 'overview-grid-zh-dark');
  await stack.core.invoke('settings:set', { theme: 'light', language: 'en' });
});
