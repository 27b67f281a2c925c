// Issue 18 in the browser (web mode): a Proxmox VE VM's Console tab offers SPICE above
// its console; the button gives a .vv file to download with exactly what the
// simulator's spiceproxy issued; SSH goes to the address its guest agent reports. A Windows VM of a real XenServer pool database with an
// address gets Remote Desktop (an .rdp file at the address its guest tools report);
// SSH stays greyed with the reason. Screenshots in English and Chinese.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox/index';
import { guestAgents } from '../sim/proxmox/agent-routes';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi/index';
import { addServer, nodeRow, search, serverIdOf } from './app-driver';
import { openApp, sharedFixtures, shot, startStack, type Stack } from './fixtures';
import { setLanguage } from './schedules-driver';

test.describe.configure({ mode: 'serial' });

const WINDOWS = 'Windows Server 2003 x64 (1)';

let stack: Stack;
let page: Page;
let pve: ProxmoxSimulator;
let xen: XapiSimulator;

test.beforeAll(async ({ browser }) => {
  [stack, pve, xen] = await Promise.all([
    startStack(),
    startProxmoxSimulator({ taskDurationMs: 100 }),
    startXapiSimulator({ db: path.join(sharedFixtures, 'xapi-db', 'state4.xml') }),
  ]);
  page = await browser.newPage();
  await openApp(page, stack);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await Promise.allSettled([pve?.stop(), xen?.stop()]);
});

async function downloaded(testId: string): Promise<{ name: string; content: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: download.suggestedFilename(), content: readFileSync((await download.path())!, 'utf8') };
}

test('a Proxmox VE VM: SPICE gives a .vv file with what spiceproxy issued', async () => {
  await addServer(page, { type: 'proxmox', name: 'PVE', host: pve.host, port: pve.port, user: 'root', realm: 'pam', password: 'password', fingerprint256: pve.fingerprint256 });
  const serverId = await serverIdOf(stack, 'PVE');
  await search(page, 'server1');
  await nodeRow(page, serverId, 'server1').click();
  await page.getByTestId('tab-console').click();
  await expect(page.getByTestId('viewer-spice')).toBeEnabled();
  await page.getByTestId('viewer-spice').click();
  await expect(page.getByTestId('viewer-file')).toHaveText('Download pve-spice-100.vv');
  const file = await downloaded('viewer-file');
  expect(file.name).toBe('pve-spice-100.vv');
  const issued = pve.consoles.spiceIssued.at(-1)!;
  expect(file.content).toBe(`[virt-viewer]\n${Object.entries(issued).map(([k, v]) => `${k}=${v}\n`).join('')}`);
  await expect(page.getByTestId('viewer-answer')).toContainText('brew install virt-viewer');
  // SSH to the address the guest agent reports, asked when chosen
  guestAgents(pve.state).set(100, {
    osinfo: { id: 'debian', name: 'Debian GNU/Linux', 'pretty-name': 'Debian GNU/Linux 12 (bookworm)' },
    interfaces: [{ name: 'eth0', 'hardware-address': 'BC:24:11:2E:C5:4A', 'ip-addresses': [{ 'ip-address': '10.0.0.10', 'ip-address-type': 'ipv4', prefix: 24 }] }],
  });
  await page.getByTestId('viewer-ssh').click();
  await expect(page.getByTestId('viewer-link')).toHaveAttribute('href', 'ssh://10.0.0.10');
  await page.getByTestId('viewer-spice').click();
  await expect(page.getByTestId('viewer-file')).toBeVisible();
  await shot(page, 'console-proxmox-spice-en');
  await setLanguage(stack, page, 'zh-CN');
  await expect(page.getByTestId('viewer-spice')).toHaveText('在 SPICE 查看器中打开');
  await shot(page, 'console-proxmox-spice-zh');
  await setLanguage(stack, page, 'en');
});

test('a Windows VM with an address: Remote Desktop gives an .rdp file; SSH is greyed with the reason', async () => {
  await search(page, '');
  await addServer(page, { type: 'xenserver', name: 'Xen', host: xen.host, port: xen.port, user: 'root', password: 'password', fingerprint256: xen.fingerprint256 });
  const serverId = await serverIdOf(stack, 'Xen');
  await search(page, WINDOWS);
  await nodeRow(page, serverId, WINDOWS).click();
  await page.getByTestId('tab-console').click();
  await expect(page.getByTestId('viewer-ssh')).toBeDisabled();
  await expect(page.getByTestId('viewer-ssh')).toHaveAttribute('data-disabled-reason', `${WINDOWS} is not known to run Linux (its guest tools or agent report the OS).`);
  await page.getByTestId('viewer-rdp').click();
  const record = [...xen.db.records('VM').values()].find((v) => v.name_label === WINDOWS)!;
  const address = (xen.db.get('VM_guest_metrics', record.guest_metrics as string)!.networks as Record<string, string>)['0/ip'];
  const file = await downloaded('viewer-file');
  expect(file).toEqual({ name: 'Windows_Server_2003_x64_1_.rdp', content: `full address:s:${address}\r\nprompt for credentials:i:1\r\n` });
  await shot(page, 'console-xenserver-rdp');
});
