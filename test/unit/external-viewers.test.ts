// Issue 18's pure parts: which guest qualifies for RDP or SSH (OS family and a usable
// address), the .rdp/ssh material, where each platform's viewer program is looked for,
// and the private file a .vv is written to.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guestAddress, osFamily } from '../../shared/external-consoles';
import type { InventoryNode } from '../../shared/model';
import { writePrivateFile } from '../../electron/core/console/private-file';
import { findFileViewer } from '../../electron/core/console/viewer-programs';
import { guestMaterial } from '../../electron/core/services/external-consoles';
import { viewerBlock } from '../../renderer/src/console/external-viewers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-viewer-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const vm = (props: InventoryNode['props'], state: InventoryNode['state'] = 'running'): InventoryNode => ({ id: 's:vm:1', serverId: 's', kind: 'vm', name: 'web 01', parentId: null, nativeRef: '1', allowed: [], state, props });

describe('guest OS family and address', () => {
  it('reads the names XAPI, vSphere and Proxmox give', () => {
    expect(osFamily('Microsoft Windows Server 2019 Datacenter')).toBe('windows');
    expect(osFamily('win10')).toBe('windows');
    expect(osFamily('Ubuntu Linux (64-bit)')).toBe('linux');
    expect(osFamily('CentOS release 5.3 (Final)')).toBe('linux');
    expect(osFamily('l26')).toBe('linux');
    expect(osFamily('FreeBSD 13')).toBeNull();
    expect(osFamily(null)).toBeNull();
  });

  it('prefers an IPv4 address and skips loopback and link-local ones', () => {
    expect(guestAddress(['fe80::1', '2001:db8::5', '10.0.0.5'])).toBe('10.0.0.5');
    expect(guestAddress(['127.0.0.1', '169.254.3.4', 'fe80::1', '2001:db8::5'])).toBe('2001:db8::5');
    expect(guestAddress([])).toBeNull();
    expect(guestAddress('10.0.0.5')).toBeNull();
  });
});

describe('Remote Desktop and SSH material', () => {
  it('an .rdp file for Windows and an ssh:// link for Linux, IPv6 in brackets', () => {
    expect(guestMaterial(vm({ os: 'Windows 11', ips: ['10.1.2.3'] }), 'rdp')).toEqual({ file: { name: 'web_01.rdp', content: 'full address:s:10.1.2.3\r\nprompt for credentials:i:1\r\n' } });
    expect(guestMaterial(vm({ os: 'Debian GNU/Linux 12', ips: ['2001:db8::7'] }), 'ssh')).toEqual({ link: 'ssh://[2001:db8::7]' });
  });

  it('refuses the wrong OS, no address, or a stopped guest, and the renderer greys the same cases', () => {
    const facets = { externalViewers: ['rdp', 'ssh'] as Array<'rdp' | 'ssh'> };
    for (const [node, viewer, key] of [
      [vm({ os: 'Debian', ips: ['10.0.0.1'] }), 'rdp', 'console.external.notWindows'],
      [vm({ os: 'Windows 10', ips: [] }), 'rdp', 'console.external.noAddress'],
      [vm({ os: 'Windows 10', ips: ['10.0.0.1'] }, 'halted'), 'rdp', 'console.external.notRunning'],
    ] as const) {
      expect(() => guestMaterial(node, viewer)).toThrow(expect.objectContaining({ info: expect.objectContaining({ code: 'UNSUPPORTED' }) }));
      expect(viewerBlock(node, viewer, facets)).toBe(key);
    }
    expect(viewerBlock(vm({ os: 'Windows 10', ips: ['10.0.0.1'] }), 'rdp', facets)).toBeNull();
    expect(viewerBlock(vm({}), 'spice', facets)).toBe('console.external.notOffered');
    // Proxmox asks the guest agent when chosen: offered for any running VM, the core says why if the agent does not tell
    expect(viewerBlock(vm({}), 'ssh', { ...facets, guestAgentFacts: true })).toBeNull();
    expect(viewerBlock(vm({}, 'halted'), 'ssh', { ...facets, guestAgentFacts: true })).toBe('console.external.notRunning');
  });
});

describe('viewer programs', () => {
  const exe = (dir: string, name: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, name), '');
    chmodSync(path.join(dir, name), 0o755);
    return path.join(dir, name);
  };

  it('finds remote-viewer on PATH, or in Windows Program Files where the MSI puts it', async () => {
    const bin = path.join(tmp, 'bin');
    const found = exe(bin, 'remote-viewer');
    expect(await findFileViewer('spice', { platform: 'linux', pathEnv: `/nonexistent:${bin}`, programFiles: [] })).toBe(found);
    expect(await findFileViewer('spice', { platform: 'linux', pathEnv: '/nonexistent', programFiles: [] })).toBeNull();
    const programFiles = path.join(tmp, 'Program Files');
    const msi = exe(path.join(programFiles, 'VirtViewer v11.0-256', 'bin'), 'remote-viewer.exe');
    expect(await findFileViewer('spice', { platform: 'win32', pathEnv: '', programFiles: [programFiles] })).toBe(msi);
  });

  it('finds a Remote Desktop client: mstsc on Windows, FreeRDP or Remmina on Linux', async () => {
    expect(await findFileViewer('rdp', { platform: 'win32', pathEnv: '', programFiles: [] })).toBe('mstsc.exe');
    const bin = path.join(tmp, 'rdp-bin');
    expect(await findFileViewer('rdp', { platform: 'linux', pathEnv: bin, programFiles: [] })).toBeNull();
    const remmina = exe(bin, 'remmina');
    expect(await findFileViewer('rdp', { platform: 'linux', pathEnv: bin, programFiles: [] })).toBe(remmina);
  });
});

describe('private viewer files', () => {
  it('are 0600 in a 0700 folder, and removing takes the folder', async () => {
    const file = await writePrivateFile('../../evil.vv', 'password=x\n', tmp);
    expect(path.basename(file.path)).toBe('evil.vv');
    expect(path.dirname(path.dirname(file.path))).toBe(tmp);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file.path)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file.path, 'utf8')).toBe('password=x\n');
    await file.remove();
    await file.remove();
    expect(() => statSync(path.dirname(file.path))).toThrow();
  });
});
