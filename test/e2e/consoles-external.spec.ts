// Issue 18 in the browser: a vSphere VM's Console tab offers VMware Remote Console and
// says why there is no console in the window (vcsim has no AcquireTicket for WebMKS);
// in web mode the button gives a vmrc:// link whose clone ticket vcsim itself issued
// (an independent SOAP client logs in with it once). An ESXi host's Console tab says
// the platform gives hosts none. English and Chinese, light and dark.
import { expect, test, type Page } from '@playwright/test';
import { buildVcsim, startVcsim, vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { requirePeer } from '../peers/require-peer';
import { RawSoap, text } from '../integration/vsphere/raw-soap';
import { addServer, nodeRow, serverIdOf } from './app-driver';
import { openApp, shot, startStack, type Stack } from './fixtures';

test.describe.configure({ mode: 'serial' });

const vcsimMissing = vcsimUnavailableReason();
test.skip(requirePeer(vcsimMissing), `vcsim cannot be built here: ${vcsimMissing}`);

const ESX = 'ESXi host';

let stack: Stack;
let page: Page;
let esx: Vcsim;
let esxId: string;

async function looks(language: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  await stack.core.invoke('settings:set', { language, theme });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000); // a cold vcsim build on a busy 2-core machine (cached afterwards)
  await buildVcsim();
  [stack, esx] = await Promise.all([startStack(), startVcsim({ model: 'esx', vms: 2, username: 'administrator', password: 'esx-secret' })]);
  page = await browser.newPage();
  await openApp(page, stack);
  await addServer(page, { type: 'vsphere', name: ESX, host: esx.host, port: esx.port, user: 'administrator', password: 'esx-secret', fingerprint256: esx.fingerprint256 });
  esxId = await serverIdOf(stack, ESX);
});

test.afterAll(async () => {
  await page?.close();
  await stack?.close();
  await esx?.stop();
});

test('a vSphere VM’s Console tab: VMware Remote Console with a ticket vcsim issued, and why there is no console in the window', async () => {
  const raw = new RawSoap(esx);
  await raw.login();
  const vm = (await raw.objects('VirtualMachine', ['name'])).map((v) => text(v.props.name))[0];
  await raw.logout();
  await nodeRow(page, esxId, vm).click();
  await page.getByTestId('tab-console').click();
  await expect(page.getByTestId('console-unavailable')).toContainText('AcquireTicket("webmks")');
  await expect(page.getByTestId('viewer-vmrc')).toBeEnabled();
  await expect(page.getByTestId('viewer-vmrc')).toHaveText('Open in VMware Remote Console');
  // the platform has RDP and SSH, but vcsim's guests report no OS family Polyvisor recognises with an address
  await expect(page.getByTestId('viewer-rdp')).toBeDisabled();
  await expect(page.getByTestId('viewer-rdp')).toHaveAttribute('data-disabled-reason', /.+/);
  await expect(page.getByTestId('viewer-spice')).toHaveCount(0);

  await page.getByTestId('viewer-vmrc').click();
  const link = page.getByTestId('viewer-link');
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href')) ?? '';
  const m = /^vmrc:\/\/clone:([^@]+)@127\.0\.0\.1:(\d+)\/\?moid=(.+)$/.exec(href);
  expect(m, href).not.toBeNull();
  expect(Number(m![2])).toBe(esx.port);
  // the ticket is vcsim's: an independent client becomes the user with it, once
  const other = new RawSoap(esx);
  const answer = await other.call('CloneSession', (await other.serviceContent()).sessionManager, `<cloneTicket>${decodeURIComponent(m![1])}</cloneTicket>`);
  expect(text((answer.returnval as Record<string, unknown>).userName)).toBe('administrator');
  await expect(other.call('CloneSession', (await other.serviceContent()).sessionManager, `<cloneTicket>${decodeURIComponent(m![1])}</cloneTicket>`)).rejects.toThrow(/InvalidLogin/);
  await expect(page.getByTestId('viewer-answer')).toContainText('VMware Remote Console');
  await shot(page, 'console-vsphere-vmrc-en');

  await looks('zh-CN', 'dark');
  await expect(page.getByTestId('viewer-vmrc')).toHaveText('在 VMware Remote Console 中打开');
  await expect(page.getByTestId('console-unavailable')).toContainText('WebMKS');
  await shot(page, 'console-vsphere-vmrc-zh-dark');
  await looks('en', 'light');
});

test('an ESXi host’s Console tab says the platform gives hosts none', async () => {
  const host = page.locator(`[role=treeitem][data-kind=host][data-key^="${esxId}:"]`).first();
  await host.click();
  // the command says why, greyed, in the host's context menu
  await host.click({ button: 'right' });
  await expect(page.getByTestId('menu-host-console')).toBeDisabled();
  await expect(page.getByTestId('menu-host-console')).toHaveAttribute('data-disabled-reason', 'This platform gives its hosts no console that Polyvisor can open.');
  await page.keyboard.press('Escape');
  await page.getByTestId('tab-console').click();
  await expect(page.getByTestId('console-unavailable')).toHaveText('This platform gives its hosts no console that Polyvisor can open.');
  await expect(page.getByTestId('console-viewers')).toHaveCount(0);
});
