// `polyvisor console` as a real process (issue 18): --spice writes the .vv file of a
// Proxmox VE VM (mode 0600 in a private folder, exactly what the simulator's spiceproxy
// issued) and prints its path; --rdp writes the .rdp of a Windows VM of a real XenServer
// pool database at the address its guest tools report; refusals and usage errors.

import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { XAPI_DB_DIR } from '../shared-dir';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();
const WINDOWS = 'Windows Server 2003 x64 (1)';

let profile: CliProfile;
let pve: ProxmoxSimulator;
let xen: XapiSimulator;
const written: string[] = [];

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, pve, xen] = await Promise.all([
    openCliProfile('cli-console'),
    startProxmoxSimulator({ taskDurationMs: 50 }),
    startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state4.xml') }),
  ]);
});

afterAll(async () => {
  await Promise.all([pve?.stop(), xen?.stop(), profile?.close()]);
  for (const file of written) rmSync(path.dirname(file), { recursive: true, force: true });
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor console', { timeout: 120_000 }, () => {
  it('adds the servers', async () => {
    await ok(['server', 'add', '--type', 'proxmox', '--host', pve.host, '--port', String(pve.port), '--user', 'root', '--name', 'pve', '--accept-fingerprint', pve.fingerprint256, '--password-stdin'], 'password\n');
    await ok(['server', 'add', '--type', 'xenserver', '--host', xen.host, '--port', String(xen.port), '--user', 'root', '--name', 'xen', '--accept-fingerprint', xen.fingerprint256, '--password-stdin'], 'password\n');
  });

  it('--spice writes the .vv file spiceproxy issued, 0600 in a private folder, and prints its path', async () => {
    const before = pve.consoles.spiceIssued.length;
    const file = (await ok(['console', 'server1', '--spice'])).stdout.trim();
    written.push(file);
    expect(pve.consoles.spiceIssued.length).toBe(before + 1);
    const issued = pve.consoles.spiceIssued.at(-1)!;
    expect(path.basename(file)).toBe('pve-spice-100.vv');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toBe(`[virt-viewer]\n${Object.entries(issued).map(([k, v]) => `${k}=${v}\n`).join('')}`);
  });

  it('--rdp writes the .rdp of a Windows VM at the address its guest tools report', async () => {
    const record = [...xen.db.records('VM').values()].find((v) => v.name_label === WINDOWS)!;
    const address = (xen.db.get('VM_guest_metrics', record.guest_metrics as string)!.networks as Record<string, string>)['0/ip'];
    const file = (await ok(['console', WINDOWS, '--rdp'])).stdout.trim();
    written.push(file);
    expect(readFileSync(file, 'utf8')).toBe(`full address:s:${address}\r\nprompt for credentials:i:1\r\n`);
  });

  it('says why not, and wants exactly one viewer', async () => {
    const ssh = await cli(['console', WINDOWS, '--ssh']);
    expect(ssh.code).toBe(1);
    expect(ssh.stderr).toMatch(/is not known to run Linux/);
    const vmrc = await cli(['console', 'server1', '--vmrc']);
    expect(vmrc.code).toBe(1);
    expect(vmrc.stderr).toMatch(/offers no VMware Remote Console/);
    expect((await cli(['console', 'server1'])).stderr).toMatch(/give exactly one of --vmrc, --spice, --rdp, --ssh/);
    expect((await cli(['console', 'server1', '--rdp', '--ssh'])).code).toBe(2);
  });
});
