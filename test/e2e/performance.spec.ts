// Issue 15, the Performance tab on XenServer: a running VM's CPU, memory, disk and
// network charts show the numbers the simulator served for the times shown — the
// newest point, a point under the cursor, the hourly archive of the last day — read
// from the legend and compared with the simulator's own series generator; zooming in
// by dragging narrows the time axis; a halted VM says why it has no data. Screenshots
// in English (light) and Chinese (dark).
import { expect, test, type Page } from '@playwright/test';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { vmSources } from '../sim/xapi/rrd/series';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const POOL = 'Perf pool';
const RUNNING = 'vm-00001';
const HALTED = 'vm-00002';

let stack: Stack;
let page: Page;
let sim: XapiSimulator;
let serverId: string;

function vmRecord(name: string) {
  const vm = [...sim.db.records('VM').values()].find((r) => r.name_label === name && !r.is_a_snapshot && !r.is_a_template);
  if (!vm) throw new Error(`the simulator has no VM ${name}`);
  return vm;
}

/** What the simulator served for a data source at time t (xapi writes four decimals). */
function served(vmName: string, source: string, t: number, step: number): number {
  const src = vmSources(sim.db, vmRecord(vmName)).find((s) => s.name === source);
  if (!src) throw new Error(`${vmName} has no data source ${source}`);
  return Number(src.value(t, step).toFixed(4));
}

async function shownTime(chart: string): Promise<number> {
  return Number(await page.getByTestId(`metric-time-${chart}`).getAttribute('data-t'));
}

async function shownValue(seriesId: string): Promise<number> {
  return Number(await page.getByTestId(`metric-value-${seriesId}`).getAttribute('data-value'));
}

async function openPerformance(name: string): Promise<void> {
  await search(page, name);
  await nodeRow(page, serverId, name).click();
  await expect(page.getByTestId('details-title')).toHaveText(name);
  await page.getByTestId('tab-performance').click();
  await expect(page.getByTestId('performance-tab')).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  [stack, sim] = await Promise.all([startStack(), startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, poolName: POOL })]);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await openApp(page, stack);
  await addServer(page, { type: 'xenserver', name: POOL, host: sim.host, port: sim.port, user: 'root', password: 'password', fingerprint256: sim.fingerprint256 });
  serverId = await serverIdOf(stack, POOL);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await sim?.stop();
});

test('a running VM shows the live series the simulator served', async () => {
  await openPerformance(RUNNING);
  await expect(page.getByTestId('performance-step')).toContainText('5');
  for (const chart of ['cpu', 'memory', 'disk', 'diskOps', 'network']) await expect(page.getByTestId(`metric-chart-${chart}`)).toBeVisible();
  await expect(page.getByTestId('metric-value-cpu0')).toHaveAttribute('data-value', /\d/);
  // the newest point: its time and each value as served
  const t = await shownTime('cpu');
  expect(t % 5).toBe(0);
  expect(Math.abs(Date.now() / 1000 - t)).toBeLessThan(30);
  expect(await shownValue('cpu0')).toBeCloseTo(served(RUNNING, 'cpu0', t, 5) * 100, 6);
  expect(await shownTime('disk')).toBe(t);
  expect(await shownValue('vbd_xvda_read')).toBe(served(RUNNING, 'vbd_xvda_read', t, 5));
  expect(await shownValue('vif_0_rx')).toBe(served(RUNNING, 'vif_0_rx', t, 5));
  const metrics = sim.db.get('VM_metrics', String(vmRecord(RUNNING).metrics))!;
  expect(await shownValue('memory')).toBe(Number(metrics.memory_actual));
  // the legend writes it as the language does: "12.3 %"
  const cpuText = await page.getByTestId('metric-value-cpu0').textContent();
  expect(cpuText).toBe(`${(served(RUNNING, 'cpu0', t, 5) * 100).toLocaleString('en', { maximumFractionDigits: 1 })} %`);
  await shot(page, 'performance-xapi-live-en');
});

test('the value under the cursor is the one served for that time', async () => {
  const canvas = page.getByTestId('metric-canvas-cpu').locator('.u-over');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  const newest = await shownTime('memory');
  const t = await shownTime('cpu');
  expect(t).toBeLessThan(newest - 60);
  expect(await shownValue('cpu0')).toBeCloseTo(served(RUNNING, 'cpu0', t, 5) * 100, 6);
  expect(await shownValue('cpu1')).toBeCloseTo(served(RUNNING, 'cpu1', t, 5) * 100, 6);
  await shot(page, 'performance-xapi-hover-en');

  // drag across the right half: the left edge now shows a later time than before
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  const leftBefore = await shownTime('cpu');
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.95, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await expect.poll(() => shownTime('cpu')).toBeGreaterThan(leftBefore + 200);
  await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await expect.poll(() => shownTime('cpu')).toBeLessThan(leftBefore + 30);
});

test('the last day comes from the hourly archive', async () => {
  await page.mouse.move(0, 0);
  await page.getByTestId('timeframe-1d').click();
  await expect(page.getByTestId('performance-step')).toContainText('3600');
  await expect.poll(() => shownTime('cpu').then((t) => t % 3600)).toBe(0);
  const t = await shownTime('cpu');
  expect(await shownValue('cpu0')).toBeCloseTo(served(RUNNING, 'cpu0', t, 3600) * 100, 6);
  expect(await shownValue('vif_0_tx')).toBe(served(RUNNING, 'vif_0_tx', t, 3600));
  // the series picker: a series taken off the chart stays listed, unticked
  await page.getByTestId('metric-toggle-cpu1').uncheck();
  await expect(page.getByTestId('metric-toggle-cpu1')).not.toBeChecked();
  await page.getByTestId('metric-toggle-cpu1').check();
});

test('a halted VM says why it has no data', async () => {
  await openPerformance(HALTED);
  await page.getByTestId('timeframe-10m').click();
  await expect(page.getByTestId('performance-empty')).toHaveAttribute('data-reason', 'not-running');
  await expect(page.getByTestId('performance-empty')).toContainText('Not running');
  await expect(page.getByTestId('metric-chart-cpu')).toHaveCount(0);
});

test('Chinese and dark: the same numbers in Chinese', async () => {
  await stack.core.invoke('settings:set', { theme: 'dark' });
  await setLanguage(stack, page, 'zh-CN');
  await openPerformance(RUNNING);
  await page.getByTestId('timeframe-10m').click();
  await expect(page.getByTestId('performance-step')).toContainText('5');
  await expect(page.getByTestId('tab-performance')).toHaveText('性能');
  await expect(page.getByTestId('metric-chart-memory')).toContainText('内存');
  const t = await shownTime('cpu');
  expect(await page.getByTestId('metric-value-cpu0').textContent()).toBe(`${(served(RUNNING, 'cpu0', t, 5) * 100).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}%`);
  await shot(page, 'performance-xapi-live-zh');
  await openPerformance(HALTED);
  await expect(page.getByTestId('performance-empty')).toContainText('未运行');
  await stack.core.invoke('settings:set', { theme: 'system', language: 'en' });
});
