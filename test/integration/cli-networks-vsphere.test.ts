// `polyvisor network create --type standard` and `network delete` on a vCenter (issue 16) as
// real processes against vcsim: a standard port group with a VLAN on a host's vSwitch0,
// named by the host's name, read back from that host's HostNetworkSystem through an
// independent SOAP session; deleted again; a cluster whose second host lacks the vSwitch
// refuses with the server's fault and nothing is left on either host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { buildVcsim, startVcsim, vcsimUnavailableReason, type Vcsim } from '../peers/vcsim';
import { openCliProfile, type CliProfile } from './cli-profile';
import { hostNetworking, networkNamed, portgroups, type HostNet } from './vsphere/host-network-readback';
import { RawSoap, text } from './vsphere/raw-soap';

const missing = keyringUnavailableReason() ?? vcsimUnavailableReason();

let profile: CliProfile;
let vc: Vcsim;
let raw: RawSoap;
let hosts: HostNet[];
let clusterName: string;

const cli = (args: string[], stdin?: string) => profile.run(args, stdin);
const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);

beforeAll(async () => {
  if (missing) return;
  await buildVcsim();
  [profile, vc] = await Promise.all([openCliProfile('cli-networks-vsphere'), startVcsim({ model: 'vpx', clusters: 1, hosts: 2, vms: 1, username: 'administrator', password: 'vc-secret' })]);
  raw = new RawSoap(vc);
  await raw.login();
  const [cluster] = await raw.objects('ClusterComputeResource', ['name']);
  clusterName = text(cluster!.props.name);
  hosts = (await hostNetworking(raw)).filter((h) => h.parent === cluster!.ref.value);
}, 600_000);

afterAll(async () => {
  await raw?.logout().catch((err: unknown) => console.warn('RawSoap logout', err));
  await Promise.all([vc?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(missing))('polyvisor network create --type standard against vcsim', { timeout: 180_000 }, () => {
  it('adds the vCenter; the usage names the standard kind', async () => {
    expect((await ok(['help'])).stdout).toMatch(/--kind vlan\|internal\|dvportgroup\|standard\|.*\n[^]*vSphere: a standard port group: --parent HOST\|CLUSTER --device vSwitch0/);
    await ok(['server', 'add', '--type', 'vsphere', '--host', vc.host, '--port', String(vc.port), '--user', 'administrator', '--name', 'vc', '--accept-fingerprint', vc.fingerprint256, '--password-stdin'], 'vc-secret\n');
  });

  it('makes a standard port group on one host by its name, and deletes it', async () => {
    const [host, other] = hosts;
    const made = await ok(['network', 'create', '--server', 'vc', '--type', 'standard', '--name', 'Backup', '--vlan', '42', '--parent', host!.name, '--device', 'vSwitch0']);
    expect((await portgroups(raw, host!.system)).Backup).toEqual(['42', 'vSwitch0']);
    expect((await portgroups(raw, other!.system)).Backup).toBeUndefined();
    const network = (await networkNamed(raw, 'Backup'))!;
    expect(made.stdout.trim()).toMatch(new RegExp(`:network:${network.ref.value}$`));
    await ok(['network', 'delete', made.stdout.trim()]);
    expect((await portgroups(raw, host!.system)).Backup).toBeUndefined();
    expect(await networkNamed(raw, 'Backup')).toBeUndefined();
  });

  it('on the cluster, the host without vSwitch1 refuses: the server’s fault, nothing left on either host', async () => {
    const [first, second] = hosts;
    await raw.call('AddVirtualSwitch', first!.system, '<vswitchName>vSwitch1</vswitchName>');
    const result = await cli(['network', 'create', '--server', 'vc', '--type', 'standard', '--name', 'Half', '--vlan', '8', '--parent', clusterName, '--device', 'vSwitch1']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${second!.name} refused the port group Half`);
    expect(result.stderr).toContain('NotFound');
    for (const h of hosts) expect((await portgroups(raw, h.system)).Half).toBeUndefined();
    expect(await networkNamed(raw, 'Half')).toBeUndefined();
  });
});
