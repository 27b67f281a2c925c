// Issue 13 on Proxmox VE (the simulator's migration cluster: pve1–pve3 sharing a Ceph
// pool, each with its own local-lvm): Node Maintenance on pve1 moves its five guests
// (online VMs, offline ones, LXC restart-migration) as child tasks and marks the node,
// exit unmarks it; a running VM with a disk on local-lvm shows PVE's reason
// (local_disks) over another node and cannot be dropped, a VM on Ceph dragged there
// moves. Read back from the simulator's own state (guest node, node notes).
import { expect, test, type Page } from '@playwright/test';
import { MAINTENANCE_MARK } from '../../electron/core/providers/proxmox/maintenance-mark';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf, taskRow } from './app-driver';
import { openApp, startStack, type Stack } from './fixtures';
import { childRows, dragOver, expectUnder, maintenance, release } from './migration-driver';

test.describe.configure({ mode: 'serial' });

const PVE = 'PVE cluster';

let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;
let pveId: string;

const guestsOn = (node: string) =>
  [...pve.state.guests.values()]
    .filter((g) => g.node === node && !g.template)
    .map((g) => g.name)
    .sort();

test.beforeAll(async ({ browser }) => {
  [stack, pve] = await Promise.all([startStack(), startProxmoxSimulator({ seed: 'migration', taskDurationMs: 400 })]);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'proxmox', name: PVE, host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
  pveId = await serverIdOf(stack, PVE);
  expect(guestsOn('pve1')).toEqual(['build-01', 'cache', 'proxy', 'web-01', 'web-02']);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await pve?.stop();
});

test('Node Maintenance on pve1 moves its 5 guests as child tasks and marks the node; exit unmarks it', async () => {
  test.setTimeout(180_000);
  const host = nodeRow(page, pveId, 'pve1');
  await clearTasks(page);
  await host.click({ button: 'right' });
  await expect(page.getByTestId('menu-maintenance-enter')).toHaveText(/Enter Node Maintenance/);
  await page.keyboard.press('Escape');
  await maintenance(page, host, 'enter');
  await expectTaskSucceeds(page, 'maintenance_enter', 'pve1');
  await expect(await childRows(page, 'maintenance_enter', 'pve1')).toHaveCount(5);
  expect(guestsOn('pve1')).toEqual([]);
  expect(pve.state.node('pve1')!.description).toBe(MAINTENANCE_MARK);
  expect(pve.state.guest(110)).toMatchObject({ status: 'running' });
  await expect(host).toHaveAttribute('data-maintenance', 'true');
  await expectUnder(page, pve.state.guest(110)!.node, 'web-01', PVE);

  await clearTasks(page);
  await maintenance(page, host, 'exit');
  await expectTaskSucceeds(page, 'maintenance_exit', 'pve1');
  await expect(host).not.toHaveAttribute('data-maintenance', 'true');
  expect(pve.state.node('pve1')!.description).toBeUndefined();
});

test("a running VM on local-lvm shows PVE's reason and cannot be dropped; a VM on Ceph dragged to another node moves", async () => {
  await clearTasks(page);
  const hint = await dragOver(page, nodeRow(page, pveId, 'db-01'), nodeRow(page, pveId, 'pve1'));
  await expect(hint).toHaveAttribute('data-testid', 'drop-reason');
  await expect(hint).toContainText('local_disks');
  await release(page);

  const web = pve.state.guest(110)!;
  const to = web.node === 'pve1' ? 'pve3' : 'pve1';
  const ok = await dragOver(page, nodeRow(page, pveId, 'web-01'), nodeRow(page, pveId, to));
  await expect(ok).toHaveAttribute('data-testid', 'drop-ok');
  await release(page);
  await expectTaskSucceeds(page, 'migrate', 'web-01');
  await expectUnder(page, to, 'web-01', PVE);
  await expect(taskRow(page, 'migrate')).toHaveCount(1);
  expect(pve.state.guest(110)).toMatchObject({ node: to, status: 'running' });
  expect(pve.state.guest(112)!.node).toBe('pve2');
});
