// A vSphere spec's setting: the app's stack, a vcsim vCenter (VPX model), a raw SOAP session
// to read the peer's own view, and the page with the vCenter added and connected.
import type { Browser, Page } from '@playwright/test';
import { buildVcsim, startVcsim, type Vcsim } from '../peers/vcsim';
import { RawSoap } from '../integration/vsphere/raw-soap';
import { addServer, serverIdOf } from './app-driver';
import { openApp, startStack, type Stack } from './fixtures';

export interface VcenterApp {
  stack: Stack;
  vc: Vcsim;
  raw: RawSoap;
  page: Page;
  /** the vCenter's server id in the app */
  vcId: string;
}

const USER = 'administrator';
const PASSWORD = 'vc-secret';

export async function openVcenterApp(browser: Browser, name: string): Promise<VcenterApp> {
  await buildVcsim();
  const [stack, vc] = await Promise.all([startStack(), startVcsim({ model: 'vpx', username: USER, password: PASSWORD })]);
  const raw = new RawSoap(vc);
  await raw.login();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openApp(page, stack);
  await addServer(page, { type: 'vsphere', name, host: vc.host, port: vc.port, user: USER, password: PASSWORD, fingerprint256: vc.fingerprint256 });
  return { stack, vc, raw, page, vcId: await serverIdOf(stack, name) };
}

/** Closes what was opened, whatever part of it was. */
export async function closeVcenterApp(app: Partial<VcenterApp>): Promise<void> {
  await app.page?.close();
  await app.stack?.close();
  await app.raw?.logout().catch((err: unknown) => console.warn('RawSoap logout', err));
  await app.vc?.stop();
}
