// A vSphere VM's console outside the window (issue 18): console:external 'vmrc' gives a
// vmrc://clone:<ticket>@host:port/?moid=<vm> link whose ticket vcsim itself issued
// (AcquireCloneTicket): an independent SOAP client logs in with it through
// SessionManager.CloneSession exactly once. With a launcher (Electron) the link goes to
// the OS handler and never to the page; without a registered handler no ticket is spent.
// The ticket never reaches the core's log. RDP and SSH follow what the guest reports.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import type { ExternalViewer } from '../../../shared/external-consoles';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import type { ExternalLauncher } from '../../../electron/core/services/external-consoles';
import { vsphereProviderFactory } from '../../../electron/core/providers/vsphere';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startVcsim, type Vcsim } from '../../peers/vcsim';
import { BUILD_AND_START_TIMEOUT, TEST_TIMEOUT, WAIT_MS, skipVcsim, waitFor } from '../vsphere/harness';
import { RawSoap, text } from '../vsphere/raw-soap';

class RecordingLauncher implements ExternalLauncher {
  handler = true;
  readonly opened: Array<{ viewer: ExternalViewer; link?: string; path?: string }> = [];
  async available(): Promise<boolean> {
    return this.handler;
  }
  async open(viewer: ExternalViewer, target: { link: string } | { path: string }): Promise<void> {
    this.opened.push({ viewer, ...target });
  }
}

/** Logs in with a clone ticket on a fresh, independent SOAP session; returns the user it became. */
async function cloneSession(sim: Vcsim, ticket: string): Promise<{ user: string; vmNames: string[] }> {
  const raw = new RawSoap(sim);
  const content = await raw.serviceContent();
  const answer = await raw.call('CloneSession', content.sessionManager, `<cloneTicket>${ticket}</cloneTicket>`);
  const user = text((answer.returnval as Record<string, unknown>).userName);
  const vms = await raw.objects('VirtualMachine', ['name']);
  return { user, vmNames: vms.map((v) => text(v.props.name)) };
}

describe.skipIf(skipVcsim)('vSphere: VMware Remote Console link through the core', { timeout: TEST_TIMEOUT }, () => {
  let sim: Vcsim;
  const homes: string[] = [];
  const cores: PolyvisorCore[] = [];
  const logs: string[] = [];
  let web: PolyvisorCore;
  let desktop: PolyvisorCore;
  const launcher = new RecordingLauncher();

  async function connectedCore(withLauncher: boolean): Promise<PolyvisorCore> {
    const home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-vmrc-'));
    homes.push(home);
    const core = await createAppCore(withLauncher ? 'electron' : 'web', {
      home,
      secrets: new MemorySecretStore(),
      providers: [vsphereProviderFactory],
      inventoryBatchMs: 10,
      externalLauncher: withLauncher ? launcher : undefined,
      log: (level, message) => logs.push(`${level} ${message}`),
    });
    cores.push(core);
    const added = await core.invoke('servers:add', { type: 'vsphere', host: sim.host, port: sim.port, username: sim.username, password: sim.password });
    const first = await core.invoke('servers:connect', added.id);
    const view = first.state === 'connected' ? first : await core.invoke('certs:accept', added.id, first.error!.certificate!.fingerprint256);
    expect(view.state).toBe('connected');
    return core;
  }

  const vmOf = (core: PolyvisorCore) =>
    waitFor(async () => (await core.invoke('inventory:get')).find((n) => n.kind === 'vm'), 'a VM in the tree', WAIT_MS) as Promise<InventoryNode>;

  beforeAll(async () => {
    sim = await startVcsim({ model: 'esx', vms: 2 });
    [web, desktop] = await Promise.all([connectedCore(false), connectedCore(true)]);
  }, BUILD_AND_START_TIMEOUT);

  afterAll(async () => {
    await Promise.all(cores.map((c) => c.stop()));
    await sim?.stop();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  it('web mode: the page gets a vmrc link with a ticket vcsim issued, good for exactly one CloneSession', async () => {
    const vm = await vmOf(web);
    const answer = await web.invoke('console:external', vm.id, 'vmrc');
    expect(answer).toMatchObject({ viewer: 'vmrc', opened: false });
    const m = /^vmrc:\/\/clone:([^@]+)@127\.0\.0\.1:(\d+)\/\?moid=(.+)$/.exec(answer.link ?? '');
    expect(m, answer.link).not.toBeNull();
    expect(Number(m![2])).toBe(sim.port);
    expect(decodeURIComponent(m![3])).toBe(vm.nativeRef);
    const ticket = decodeURIComponent(m![1]);

    const clone = await cloneSession(sim, ticket);
    expect(clone.user).toBe(sim.username);
    expect(clone.vmNames).toContain(vm.name);
    // a clone ticket is spent by its first use
    await expect(cloneSession(sim, ticket)).rejects.toThrow(/CloneSession: InvalidLogin/);
    expect(logs.join('\n')).not.toContain(ticket);
  });

  it('each request gets a new ticket', async () => {
    const vm = await vmOf(web);
    const [a, b] = await Promise.all([web.invoke('console:external', vm.id, 'vmrc'), web.invoke('console:external', vm.id, 'vmrc')]);
    expect(a.link).not.toBe(b.link);
  });

  it('desktop: the link goes to the OS handler, not back to the page, and never into the log', async () => {
    const vm = await vmOf(desktop);
    launcher.handler = true;
    const answer = await desktop.invoke('console:external', vm.id, 'vmrc');
    expect(answer).toEqual({ viewer: 'vmrc', opened: true });
    const opened = launcher.opened.at(-1)!;
    expect(opened.viewer).toBe('vmrc');
    const ticket = decodeURIComponent(/^vmrc:\/\/clone:([^@]+)@/.exec(opened.link ?? '')![1]);
    expect((await cloneSession(sim, ticket)).user).toBe(sim.username);
    expect(logs.join('\n')).not.toContain(ticket);
    expect(logs.some((l) => l.includes(`opened ${vm.name} in VMware Remote Console`))).toBe(true);
  });

  it('desktop without a vmrc handler: says so, and spends no ticket', async () => {
    const vm = await vmOf(desktop);
    launcher.handler = false;
    const before = launcher.opened.length;
    expect(await desktop.invoke('console:external', vm.id, 'vmrc')).toEqual({ viewer: 'vmrc', opened: false, handlerMissing: true });
    expect(launcher.opened.length).toBe(before);
    launcher.handler = true;
  });

  it('Remote Desktop and SSH once VMware Tools report the OS and address (vcsim: ReconfigVM guestId, SET.guest.ipAddress)', async () => {
    const vm = await vmOf(web);
    const ref = { type: 'VirtualMachine', value: vm.nativeRef };
    await expect(web.invoke('console:external', vm.id, 'rdp')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    const raw = new RawSoap(sim);
    await raw.login();
    const reconfigure = (guestId: string, ip: string) =>
      raw.runTask('ReconfigVM_Task', ref, `<spec><guestId>${guestId}</guestId><extraConfig><key>SET.guest.ipAddress</key><value xsi:type="xsd:string">${ip}</value></extraConfig></spec>`);
    // vcsim 0.24 publishes guest.ipAddress but no update of the guest OS after ReconfigVM: a new session reads it
    const reread = async () => {
      const serverId = vm.serverId;
      await web.invoke('servers:disconnect', serverId);
      expect((await web.invoke('servers:connect', serverId)).state).toBe('connected');
    };
    await reconfigure('windows9Server64Guest', '10.0.0.30');
    await reread();
    // what vcsim itself now says about the guest
    const [read] = (await raw.objects('VirtualMachine', ['guest.ipAddress', 'summary.config.guestFullName'])).filter((o) => o.ref.value === vm.nativeRef);
    expect(text(read!.props['guest.ipAddress'])).toBe('10.0.0.30');
    await waitFor(async () => (await web.invoke('inventory:get')).find((n) => n.id === vm.id && (n.props.ips as string[] | undefined)?.includes('10.0.0.30') && n.props.os === text(read!.props['summary.config.guestFullName'])), 'the new OS and address in the tree', WAIT_MS);
    expect((await web.invoke('console:external', vm.id, 'rdp')).file?.content).toBe('full address:s:10.0.0.30\r\nprompt for credentials:i:1\r\n');
    await expect(web.invoke('console:external', vm.id, 'ssh')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    await reconfigure('debian10_64Guest', '10.0.0.31');
    await reread();
    await waitFor(async () => (await web.invoke('inventory:get')).find((n) => n.id === vm.id && (n.props.ips as string[] | undefined)?.includes('10.0.0.31') && String(n.props.os).startsWith('debian')), 'Linux in the tree', WAIT_MS);
    expect(await web.invoke('console:external', vm.id, 'ssh')).toEqual({ viewer: 'ssh', opened: false, link: 'ssh://10.0.0.31' });
    await raw.logout();
  });

  it('offers neither an in-window console, SPICE, nor a host in VMRC', async () => {
    const vm = await vmOf(web);
    const host = (await web.invoke('inventory:get')).find((n) => n.kind === 'host')!;
    await expect(web.invoke('console:open', vm.id, 'rfb')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    await expect(web.invoke('console:external', vm.id, 'spice')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    await expect(web.invoke('console:external', host.id, 'vmrc')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });
});
