// `polyvisor vm create` with guest customization as a real process against vcsim (VPX
// model, a temporary profile, a private gnome-keyring): a VM from a template with a host
// name, domain, fixed IP/prefix, gateway and DNS, started; what vcsim applied at power on
// is read back through an independent SOAP session (RawSoap), never from the CLI.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { buildVcsim, startVcsim, vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { openCliProfile, type CliProfile } from './cli-profile';
import { RawSoap, text } from './vsphere/raw-soap';
import { list, type Node } from './vsphere/vm-readback';

const missing = keyringUnavailableReason() ?? vcsimUnavailableReason();

let profile: CliProfile;
let vc: Vcsim;
let raw: RawSoap;

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

async function guestOf(name: string) {
  const vm = (await raw.objects('VirtualMachine', ['name', 'guest.hostName', 'guest.ipAddress', 'guest.net'])).find((v) => text(v.props.name) === name);
  const net = list((vm?.props['guest.net'] as Node | undefined)?.GuestNicInfo)[0];
  const dns = net?.dnsConfig as Node | undefined;
  return vm && { hostName: text(vm.props['guest.hostName']), ipAddress: text(vm.props['guest.ipAddress']), domain: text(dns?.domainName), dnsServers: list(dns?.ipAddress).map(text) };
}

beforeAll(async () => {
  if (missing) return;
  await buildVcsim();
  [profile, vc] = await Promise.all([
    openCliProfile('cli-vsphere'),
    startVcsim({ model: 'vpx', datacenters: 1, clusters: 1, hosts: 1, standaloneHosts: 0, vms: 1, datastores: 1, username: 'administrator', password: 'vc-secret' }),
  ]);
  raw = new RawSoap(vc);
  await raw.login();
}, 600_000);

afterAll(async () => {
  await raw?.logout().catch((err: unknown) => console.warn('RawSoap logout', err));
  await Promise.all([vc?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(missing))('polyvisor vm create with guest customization against vcsim', { timeout: 180_000 }, () => {
  it('adds the vCenter and makes a template of its (powered-off) VM', async () => {
    await ok(['server', 'add', '--type', 'vsphere', '--host', vc.host, '--port', String(vc.port), '--user', 'administrator', '--name', 'vc', '--accept-fingerprint', vc.fingerprint256, '--password-stdin'], 'vc-secret\n');
    // vcsim starts its VMs; a template is made of a powered-off one
    await raw.runTask('PowerOffVM_Task', await raw.vmByName('DC0_C0_RP0_VM0'));
    await ok(['vm', 'template', 'DC0_C0_RP0_VM0']);
    expect(text((await raw.objects('VirtualMachine', ['name', 'config.template'])).find((v) => text(v.props.name) === 'DC0_C0_RP0_VM0')!.props['config.template'])).toBe('true');
  });

  it('vm create --template … --hostname --domain --ip --gateway --dns --start: vcsim applies them at power on', async () => {
    const { stdout } = await ok([
      'vm', 'create', '--template', 'DC0_C0_RP0_VM0', '--name', 'pv-cli-web', '--hostname', 'web01', '--domain', 'example.test',
      '--ip', '10.0.0.7/24', '--gateway', '10.0.0.1', '--dns', '10.0.0.2', '--time-zone', 'Europe/Berlin', '--start', '--json',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ name: 'pv-cli-web', status: 'success' });
    expect(await guestOf('pv-cli-web')).toEqual({ hostName: 'web01', ipAddress: '10.0.0.7', domain: 'example.test', dnsServers: ['10.0.0.2'] });
  });

  it('refuses a bad address, a gateway without --ip, and a field vSphere does not take, naming it; nothing is made', async () => {
    const create = ['vm', 'create', '--template', 'DC0_C0_RP0_VM0', '--name', 'pv-cli-bad'];
    const refusals: Array<[string[], string]> = [
      [['--domain', 'example.test', '--ip', '10.0.0.300/24'], '--ip'],
      [['--gateway', '10.0.0.1'], '--gateway'],
      [['--domain', 'example.test', '--ci-user', 'ops'], 'takes no user'],
      [['--hostname', 'web02'], 'needs a domain name'],
    ];
    for (const [flags, words] of refusals) {
      const r = await cli([...create, ...flags]);
      expect(r.code, flags.join(' ')).not.toBe(0);
      expect(r.stderr).toContain(words);
    }
    expect(await guestOf('pv-cli-bad')).toBeUndefined();
  });
});
