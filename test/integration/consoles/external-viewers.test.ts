// Viewers outside the window (issue 18) through the core's console:external:
// SPICE for a Proxmox VE VM (spiceproxy → a .vv file with exactly what the simulator
// issued; with a launcher, written 0600 in a private folder, handed to remote-viewer —
// here a stand-in script on PATH that reads it and deletes it as delete-this-file
// asks — and never logged), the missing viewer (no ticket spent), Remote Desktop
// for a Windows VM with an address and SSH for a Linux one (XAPI guest metrics of a
// real pool database, read back from the simulator; Proxmox: what the guest agent
// reports when asked).

import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { systemLauncher } from '../../../electron/core/console/system-launcher';
import { proxmoxProviderFactory } from '../../../electron/core/providers/proxmox';
import { xenServerProviderFactory } from '../../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { XAPI_DB_DIR } from '../../shared-dir';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { guestAgents } from '../../sim/proxmox/agent-routes';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';

const homes: string[] = [];
const logs: string[] = [];
let pve: ProxmoxSimulator;
let xen: XapiSimulator;
let web: PolyvisorCore;
let desktop: PolyvisorCore;
let fakeBin: string;
let seen: string;
const originalPath = process.env.PATH;

async function coreWith(launch: boolean): Promise<PolyvisorCore> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-viewers-'));
  homes.push(home);
  const core = await createAppCore(launch ? 'electron' : 'web', {
    home,
    secrets: new MemorySecretStore(),
    providers: [proxmoxProviderFactory, xenServerProviderFactory],
    inventoryBatchMs: 10,
    log: (level, message) => logs.push(`${level} ${message}`),
    externalLauncher: launch ? systemLauncher({ handles: async () => false, open: async () => undefined }) : undefined,
  });
  for (const [draft, fingerprint] of [
    [{ type: 'proxmox', name: 'PVE', host: pve.host, port: pve.port, username: 'root@pam' }, pve.fingerprint256],
    [{ type: 'xenserver', name: 'Xen', host: xen.host, port: xen.port, username: 'root', options: { eventTimeoutS: 5 } }, xen.fingerprint256],
  ] as const) {
    const server = await core.invoke('servers:add', draft);
    const first = await core.invoke('servers:connect', server.id, 'password');
    const view = first.state === 'connected' ? first : await core.invoke('certs:accept', server.id, fingerprint);
    expect(view.state).toBe('connected');
  }
  return core;
}

async function named(core: PolyvisorCore, name: string): Promise<InventoryNode> {
  const node = (await core.invoke('inventory:get')).find((n) => n.name === name);
  if (!node) throw new Error(`no ${name}`);
  return node;
}

/** The key=value lines of a .vv file's [virt-viewer] section. */
function readVv(content: string): Record<string, string> {
  const [head, ...lines] = content.trimEnd().split('\n');
  expect(head).toBe('[virt-viewer]');
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

beforeAll(async () => {
  [pve, xen] = await Promise.all([
    startProxmoxSimulator({ taskDurationMs: 50 }),
    startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state4.xml') }),
  ]);
  // a stand-in for virt-viewer's remote-viewer: records what it was given, then deletes the file as delete-this-file=1 asks
  fakeBin = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-fake-viewer-'));
  seen = path.join(fakeBin, 'seen');
  writeFileSync(
    path.join(fakeBin, 'remote-viewer'),
    `#!/bin/sh\nstat -c %a "$1" > "${seen}.mode"\nstat -c %a "$(dirname "$1")" > "${seen}.dirmode"\necho "$1" > "${seen}.path"\ncat "$1" > "${seen}.tmp" && mv "${seen}.tmp" "${seen}"\nrm -f "$1"\n`,
  );
  chmodSync(path.join(fakeBin, 'remote-viewer'), 0o755);
  [web, desktop] = await Promise.all([coreWith(false), coreWith(true)]);
});

afterAll(async () => {
  process.env.PATH = originalPath;
  await Promise.all([web?.stop(), desktop?.stop()]);
  await Promise.allSettled([pve?.stop(), xen?.stop()]);
  for (const dir of [...homes, fakeBin]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SPICE for a Proxmox VE VM (spiceproxy → .vv)', () => {
  it('web mode: the page gets a .vv file with exactly the fields the server issued', async () => {
    const vm = await named(web, 'server1');
    const answer = await web.invoke('console:external', vm.id, 'spice');
    expect(answer).toMatchObject({ viewer: 'spice', opened: false, file: { name: 'pve-spice-100.vv' } });
    const issued = pve.consoles.spiceIssued.at(-1)!;
    const vv = readVv(answer.file!.content);
    expect(vv).toEqual(Object.fromEntries(Object.entries(issued).map(([k, v]) => [k, String(v)])));
    expect(Object.keys(vv).sort()).toEqual(['ca', 'delete-this-file', 'host', 'host-subject', 'password', 'proxy', 'release-cursor', 'secure-attention', 'title', 'tls-port', 'toggle-fullscreen', 'type']);
    expect(vv).toMatchObject({ type: 'spice', 'delete-this-file': '1', proxy: 'http://127.0.0.1:3128', title: 'VM 100 - server1' });
    expect(vv.host).toMatch(/^pvespiceproxy:[0-9a-f]+:100:node2::[0-9a-f]{40}$/);
    // the CA's line breaks stay escaped: one line in the file
    expect(vv.ca).toMatch(/^-----BEGIN CERTIFICATE-----\\n.+\\n-----END CERTIFICATE-----\\n$/);
    expect(logs.join('\n')).not.toContain(vv.password);
  });

  it('desktop: no remote-viewer installed says so and spends no ticket', async () => {
    process.env.PATH = '/nonexistent';
    const vm = await named(desktop, 'server1');
    const before = pve.consoles.spiceIssued.length;
    expect(await desktop.invoke('console:external', vm.id, 'spice')).toEqual({ viewer: 'spice', opened: false, handlerMissing: true });
    expect(pve.consoles.spiceIssued.length).toBe(before);
    process.env.PATH = originalPath;
  });

  it('desktop: remote-viewer gets a 0600 file in a private folder, with what the server issued; nothing comes back to the page', async () => {
    process.env.PATH = `${fakeBin}:${originalPath}`;
    const vm = await named(desktop, 'server1');
    expect(await desktop.invoke('console:external', vm.id, 'spice')).toEqual({ viewer: 'spice', opened: true });
    await expect.poll(() => existsSync(seen), { timeout: 10_000 }).toBe(true);
    expect(readFileSync(`${seen}.mode`, 'utf8').trim()).toBe('600');
    expect(readFileSync(`${seen}.dirmode`, 'utf8').trim()).toBe('700');
    const issued = pve.consoles.spiceIssued.at(-1)!;
    expect(readVv(readFileSync(seen, 'utf8'))).toEqual(Object.fromEntries(Object.entries(issued).map(([k, v]) => [k, String(v)])));
    expect(logs.join('\n')).not.toContain(String(issued.password));
    expect(logs.some((l) => /^info opened .*server1.* in SPICE viewer$/.test(l))).toBe(true);
    // the viewer deleted the file; the folder goes when the app stops
    const folder = path.dirname(readFileSync(`${seen}.path`, 'utf8').trim());
    expect(existsSync(folder)).toBe(true);
    process.env.PATH = originalPath;
    await desktop.stop();
    expect(existsSync(folder)).toBe(false);
  });

  it('a container has no SPICE display', async () => {
    const ct = (await web.invoke('inventory:get')).find((n) => n.kind === 'container')!;
    await expect(web.invoke('console:external', ct.id, 'spice')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });
});

describe('Remote Desktop and SSH from XAPI guest metrics', () => {
  const WINDOWS = 'Windows Server 2003 x64 (1)';

  it('an .rdp file for a running Windows VM, at the address its guest tools report', async () => {
    const vm = await named(web, WINDOWS);
    const record = [...xen.db.records('VM').values()].find((v) => v.name_label === WINDOWS)!;
    const metrics = xen.db.get('VM_guest_metrics', record.guest_metrics as string)!;
    const address = (metrics.networks as Record<string, string>)['0/ip'];
    expect(String((metrics.os_version as Record<string, string>).name)).toMatch(/^Microsoft Windows Server 2003/);
    const answer = await web.invoke('console:external', vm.id, 'rdp');
    expect(answer.file?.name).toBe('Windows_Server_2003_x64_1_.rdp');
    expect(answer.file?.content).toBe(`full address:s:${address}\r\nprompt for credentials:i:1\r\n`);
    await expect(web.invoke('console:external', vm.id, 'ssh')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });

  it('SSH for a Linux VM once its guest agent reports the OS; nothing for a VM with no OS reported', async () => {
    const name = 'Iscsi Box';
    const vm = await named(web, name);
    await expect(web.invoke('console:external', vm.id, 'ssh')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    const [ref, record] = [...xen.db.records('VM').entries()].find(([, v]) => v.name_label === name)!;
    expect(ref).toBeTruthy();
    const metricsRef = record.guest_metrics as string;
    const address = (xen.db.get('VM_guest_metrics', metricsRef)!.networks as Record<string, string>)['0/ip'];
    xen.db.update('VM_guest_metrics', metricsRef, { os_version: { name: 'Debian GNU/Linux 12 (bookworm)', distro: 'debian', major: '12' } });
    await expect.poll(async () => (await named(web, name)).props.os, { timeout: 20_000 }).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(await web.invoke('console:external', vm.id, 'ssh')).toEqual({ viewer: 'ssh', opened: false, link: `ssh://${address}` });
    await expect(web.invoke('console:external', vm.id, 'rdp')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });

  it('XAPI offers no SPICE, and vSphere-only VMRC is not there', async () => {
    const vm = await named(web, WINDOWS);
    await expect(web.invoke('console:external', vm.id, 'spice')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    await expect(web.invoke('console:external', vm.id, 'vmrc')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });
});

describe('Remote Desktop and SSH from the Proxmox VE guest agent, asked when chosen', () => {
  const eth0 = (ip: string) => [
    { name: 'lo', 'hardware-address': '00:00:00:00:00:00', 'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4' as const, prefix: 8 }] },
    { name: 'eth0', 'hardware-address': 'BC:24:11:2E:C5:4A', 'ip-addresses': [{ 'ip-address': ip, 'ip-address-type': 'ipv4' as const, prefix: 24 }] },
  ];

  it('without an agent answering, says so', async () => {
    const vm = await named(web, 'server1');
    guestAgents(pve.state).delete(100);
    await expect(web.invoke('console:external', vm.id, 'ssh')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED', message: expect.stringContaining('QEMU guest agent is not running') } });
  });

  it('SSH to the address a Linux guest’s agent reports, RDP to a Windows one’s', async () => {
    const vm = await named(web, 'server1');
    guestAgents(pve.state).set(100, {
      osinfo: { id: 'debian', name: 'Debian GNU/Linux', 'pretty-name': 'Debian GNU/Linux 12 (bookworm)', version: '12 (bookworm)', 'version-id': '12', machine: 'x86_64', 'kernel-release': '6.1.0', 'kernel-version': '#1 SMP' },
      interfaces: eth0('10.0.0.10'),
    });
    expect(await web.invoke('console:external', vm.id, 'ssh')).toEqual({ viewer: 'ssh', opened: false, link: 'ssh://10.0.0.10' });
    await expect(web.invoke('console:external', vm.id, 'rdp')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    guestAgents(pve.state).set(100, { osinfo: { id: 'mswindows', name: 'Microsoft Windows', 'pretty-name': 'Windows Server 2022 Standard', 'version-id': '2022' }, interfaces: eth0('10.0.0.20') });
    expect((await web.invoke('console:external', vm.id, 'rdp')).file).toEqual({ name: 'server1.rdp', content: 'full address:s:10.0.0.20\r\nprompt for credentials:i:1\r\n' });
  });
});
