// The navigation views at scale (issue 16): the built renderer in Chromium against a real
// core and a generated XAPI pool of 64 hosts / 10,000 VMs (bench/lib/web-stack.ts). The
// Objects view (every object grouped by type) is laid out, then one keystroke of the search
// language is timed while typing a query and a plain name — goal: the tree's 50 ms per keystroke.
import { startXapiSimulator } from '../test/sim/xapi/index';
import { addAndConnect, keystroke, ms, percentiles, startWebStack, typeAndErase, verdict } from './lib/web-stack';

const HOSTS = 64;
const VMS = 10_000;
const KEYSTROKE_GOAL_MS = 50;

const sim = await startXapiSimulator({ generate: { hosts: HOSTS, vms: VMS, snapshots: 0 }, poolName: 'Bench pool' });
const stack = await startWebStack();
try {
  await addAndConnect(stack.core, { type: 'xenserver', name: 'Bench', host: sim.host, port: sim.port, username: 'root', password: 'password' });
  const vms = (await stack.core.invoke('inventory:get')).filter((n) => n.kind === 'vm' && !n.controlDomain).length;
  console.log(`inventory: ${HOSTS} hosts, ${vms} VMs`);

  const page = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(stack.host.url);
  await page.waitForFunction((expected) => (document.querySelector('[data-testid=status-vms]')?.textContent ?? '').includes(String(expected)), vms, { polling: 'raf', timeout: 120_000 });
  const switchStart = await page.evaluate(() => performance.now());
  await page.getByTestId('view-switcher').selectOption('objects');
  await page.waitForSelector('[role=treeitem][data-kind=group][aria-label="Pools"]', { timeout: 60_000 });
  const switched = (await page.evaluate(() => performance.now())) - switchStart;
  console.log(`switch to the Objects view (lay out ${vms} VMs by type, first paint): ${ms(switched)}`);

  await keystroke(page, '');
  const idle: number[] = [];
  for (let i = 0; i < 20; i++) idle.push(await keystroke(page, ''));

  const all: number[] = [];
  for (const term of ['type:vm state:running name:vm-0999*', 'vm-09999', 'memory>512MiB NOT tag:x']) {
    const { typing, erasing } = await typeAndErase(page, term, 2);
    await keystroke(page, term);
    const rows = await page.evaluate(() => document.querySelectorAll('[role=treeitem][data-kind=vm]').length);
    await keystroke(page, '');
    all.push(...typing, ...erasing);
    const t = percentiles(typing);
    const e = percentiles(erasing);
    console.log(`Objects view, "${term}": typing median ${ms(t.median)}, p90 ${ms(t.p90)}, max ${ms(t.max)}; erasing median ${ms(e.median)}, p90 ${ms(e.p90)}; leaves ${rows} VM row(s) on screen`);
  }
  console.log(`measurement floor (no-op keystroke, waits for the next frame): median ${ms(percentiles(idle).median)}`);
  const total = percentiles(all);
  console.log(`goal < ${KEYSTROKE_GOAL_MS} ms per keystroke in the Objects view at ${vms} VMs: ${verdict(total.p90 < KEYSTROKE_GOAL_MS)} (median ${ms(total.median)}, p90 ${ms(total.p90)}, max ${ms(total.max)})`);
} finally {
  await stack.stop();
  await sim.stop();
}
