// Networks on a real Docker engine (issue 16): New network… makes a bridge network with a
// subnet (as `docker network inspect` then reads it), and a running container's Networking
// tab joins it and leaves its first network — each read back with `docker inspect`.
// Screenshots in English and Chinese.
import { expect, test, type Page } from '@playwright/test';
import { cliInspect, dockerCli, dockerCliUnavailableReason } from '../peers/docker-cli';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../peers/dockerd';
import { requirePeer } from '../peers/require-peer';
import { addServer, clearTasks, expectTaskSucceeds, nodeRow, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const unavailable = dockerdUnavailableReason() ?? dockerCliUnavailableReason();
test.skip(requirePeer(unavailable), `no real Docker engine here: ${unavailable}`);

const ENGINE = 'Docker engine';
const POLITE = ['sh', '-c', "trap 'exit 0' TERM; sleep 100000 & wait"];

let stack: Stack;
let page: Page;
let peer: DockerdPeer;
let engineId: string;
let web: string;

const networksOf = async (id: string) => Object.keys((await cliInspect<{ NetworkSettings: { Networks: Record<string, unknown> } }>(peer.socketPath, id, 'container')).NetworkSettings.Networks).sort();

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  [stack, peer] = await Promise.all([startStack(), startDockerd()]);
  await ensureBusyboxImage(peer.docker);
  await peer.docker.createNetwork({ Name: 'front', Driver: 'bridge', IPAM: { Driver: 'default', Config: [{ Subnet: '10.81.0.0/24' }] } });
  const c = await peer.docker.createContainer({ name: 'web', Image: 'local/busybox:latest', Cmd: POLITE, HostConfig: { NetworkMode: 'front' } });
  await c.start();
  web = c.id;
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
  await addServer(page, { type: 'docker', name: ENGINE, socketPath: peer.socketPath });
  engineId = await serverIdOf(stack, ENGINE);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await peer?.stop();
});

test('New network… makes a bridge network with a subnet, as docker network inspect then reads it', async () => {
  const front = nodeRow(page, engineId, 'front');
  await expect(front).toHaveAttribute('data-kind', 'network', { timeout: 30_000 });
  await front.click();
  await page.getByTestId('tab-network').click();
  await expect(page.getByTestId('network-subnets')).toHaveText('10.81.0.0/24');
  await expect(page.getByTestId('network-guests')).toContainText('web');
  await clearTasks(page);
  await page.getByTestId('network-new').click();
  const dialog = page.getByTestId('new-network-dialog');
  await expect(dialog.getByTestId('new-network-kind')).toHaveValue('container');
  await dialog.getByTestId('new-network-name').fill('back');
  await dialog.getByTestId('new-network-driver').selectOption('bridge');
  await dialog.getByTestId('new-network-subnet').fill('10.82.0.0/24');
  await dialog.getByTestId('new-network-ok').click();
  await expectTaskSucceeds(page, 'network_create', 'back');
  const [inspected] = JSON.parse(await dockerCli(peer.socketPath, ['network', 'inspect', 'back'])) as Array<{ Driver: string; IPAM: { Config: Array<{ Subnet: string }> } }>;
  expect(inspected).toMatchObject({ Driver: 'bridge', IPAM: { Config: [{ Subnet: '10.82.0.0/24' }] } });
  await expect(nodeRow(page, engineId, 'back')).toHaveAttribute('data-kind', 'network');
});

test('a container’s Networking tab joins the new network and leaves the first, as docker inspect then says', async () => {
  await nodeRow(page, engineId, 'web').click();
  await page.getByTestId('tab-networking').click();
  const tab = page.getByTestId('vm-networking-tab');
  await expect(tab.getByTestId('vm-nic')).toHaveCount(1);
  await expect(tab.getByTestId('vm-nic-ips')).toContainText('10.81.0.');
  await clearTasks(page);
  await tab.getByTestId('nic-add-network').selectOption({ label: 'back' });
  await tab.getByTestId('nic-add').click();
  await expectTaskSucceeds(page, 'nic_add', 'web');
  expect(await networksOf(web)).toEqual(['back', 'front']);
  await expect(tab.getByTestId('vm-nic')).toHaveCount(2);
  await shot(page, 'networks-docker-container');
  await clearTasks(page);
  await tab.locator('[data-testid=vm-nic][data-id="front"]').getByTestId('vm-nic-remove').click();
  await expectTaskSucceeds(page, 'nic_remove', 'web');
  expect(await networksOf(web)).toEqual(['back']);
  await expect(tab.getByTestId('vm-nic')).toHaveCount(1);
  await looks('zh-CN', 'dark');
  await shot(page, 'networks-docker-container-zh-dark');
  await looks('en', 'light');
});
