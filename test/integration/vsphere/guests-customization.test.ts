// Guest customization of a VM made from a vSphere template (issue 14) against vcsim:
// the provider sends CustomizeVM_Task (CustomizationLinuxPrep, global DNS, a fixed IP
// or DHCP per adapter) to the powered-off copy; what the simulator holds is read back
// through an independent SOAP session: config.tools.pendingCustomization until the
// first power on, then guest.hostName, guest.ipAddress and guest.net as vcsim applies
// them. vcsim 0.24 does not apply the time zone, the gateway or the subnet mask (it has
// no guest to run the customization in), so those are not read back. Also why vSphere
// offers no fast clone: vcsim 0.24 answers a linked clone (diskMoveType
// createNewChildDiskBacking from a snapshot) with a full copy.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudInitSpec, CreateOptions } from '../../../shared/guests';
import type { InventoryNode } from '../../../shared/model';
import type { ProviderGuests } from '../../../electron/core/providers/provider';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { vsphereDescriptor } from '../../../electron/core/providers/vsphere/descriptor';
import { BUILD_AND_START_TIMEOUT, Mirror, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { RawSoap, text } from './raw-soap';
import { rejection } from './rejection';
import { list, serverVm, type Node } from './vm-readback';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe.skipIf(skipVcsim)('vSphere guest customization of a VM made from a template', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let guests: ProviderGuests;
  let mirror: Mirror;
  let raw: RawSoap;
  let templateId: string;

  const vmNode = (name: string, kind: 'vm' | 'template' = 'vm') => mirror.until(() => mirror.byName(kind, name), `${kind} ${name} in the tree`);
  const target = (node: InventoryNode) => ({ nativeRef: node.nativeRef, kind: node.kind });

  /** What the simulator holds of a VM's guest and its pending customization. */
  const guestOf = async (name: string) => {
    const paths = ['name', 'config.tools.pendingCustomization', 'guest.hostName', 'guest.ipAddress', 'guest.net'];
    const vm = (await raw.objects('VirtualMachine', paths)).find((v) => text(v.props.name) === name)!;
    const nets = list((vm.props['guest.net'] as Node | undefined)?.GuestNicInfo);
    return {
      ref: vm.ref,
      pending: text(vm.props['config.tools.pendingCustomization']),
      hostName: text(vm.props['guest.hostName']),
      ipAddress: text(vm.props['guest.ipAddress']),
      net: nets.map((n) => {
        const dns = n.dnsConfig as Node | undefined;
        return { ips: list(n.ipAddress).map(text), domain: text(dns?.domainName), dnsServers: list(dns?.ipAddress).map(text), hostName: text(dns?.hostName) };
      }),
    };
  };

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, mirror, raw } = peer);
    guests = provider.guests;
    const options: Omit<CreateOptions, 'serverId'> = await guests.createOptions();
    const network = options.networks.find((n) => n.name === 'VM Network')!.id;
    await guests.create({ templateId: 'new:otherGuest64', name: 'pv-linux', vcpus: 1, memory: { sizeBytes: 512 * MiB }, disks: [{ sizeBytes: GiB }], networks: [{ networkId: network }] }, taskReporter());
    await provider.runAction(target(await vmNode('pv-linux')), 'to_template', {}, taskReporter());
    const template = await vmNode('pv-linux', 'template');
    templateId = (await guests.createOptions()).templates.find((t) => t.nodeId === template.id)!.id;
  }, BUILD_AND_START_TIMEOUT);
  afterAll(() => peer?.stop());

  it('offers the Linux customization fields on a template, and says why fast clones are not offered', async () => {
    const choice = (await guests.createOptions()).templates.find((t) => t.id === templateId)!;
    expect(choice.install).toEqual(['cloud-init']);
    const facet = vsphereDescriptor.facets.guests!;
    expect(facet.customization).toMatchObject({ fields: ['hostname', 'domain', 'timeZone', 'ipConfig', 'dnsServers'], required: ['domain'] });
    expect(facet.clone).toEqual(['full']);
    expect(facet.cloneNote?.en).toContain('copies every disk in full');
  });

  it('customizes a started copy: host name, fixed IP and DNS as the simulator applies them at power on', async () => {
    const cloudInit: CloudInitSpec = { hostname: 'web01', domain: 'example.test', timeZone: 'Europe/Berlin', ipConfig: 'ip=10.0.0.5/24,gw=10.0.0.1', dnsServers: ['10.0.0.2', '10.0.0.3'] };
    await guests.create({ templateId, name: 'pv-web01', cloudInit, start: true }, taskReporter());
    const guest = await guestOf('pv-web01');
    expect(guest).toMatchObject({ pending: '', hostName: 'web01', ipAddress: '10.0.0.5' });
    expect(guest.net).toEqual([{ ips: ['10.0.0.5'], domain: 'example.test', dnsServers: ['10.0.0.2', '10.0.0.3'], hostName: 'web01' }]);
    expect((await serverVm(raw, 'pv-web01'))!.power).toBe('poweredOn');
    // the template is left as it was
    expect((await guestOf('pv-linux')).pending).toBe('');
  });

  it('leaves the customization pending until the first power on; a second one is refused by the server (CustomizationPending)', async () => {
    await guests.create({ templateId, name: 'pv-dhcp', cloudInit: { domain: 'example.test', ipConfig: 'dhcp' } }, taskReporter());
    const pending = await guestOf('pv-dhcp');
    expect(pending.pending).not.toBe('');
    expect(pending.hostName).toBe('');
    const again = `<spec><identity xsi:type="CustomizationLinuxPrep"><hostName xsi:type="CustomizationFixedName"><name>other</name></hostName><domain>example.test</domain></identity><globalIPSettings></globalIPSettings><nicSettingMap><adapter><ip xsi:type="CustomizationDhcpIpGenerator"></ip></adapter></nicSettingMap></spec>`;
    await expect(raw.runTask('CustomizeVM_Task', pending.ref, again)).rejects.toThrow('CustomizationPending');
    const node = await vmNode('pv-dhcp');
    await provider.runAction(target(node), 'start', {}, taskReporter());
    // no host name asked: vSphere's "use the virtual machine name" (vcsim adds a counter)
    const applied = await guestOf('pv-dhcp');
    expect(applied.pending).toBe('');
    expect(applied.hostName).toMatch(/^pv-dhcp-\d+$/);
    expect(applied.net).toEqual([expect.objectContaining({ ips: [], domain: 'example.test' })]);
  });

  it('why no fast clone is offered: vcsim copies every disk even when a linked clone is asked (diskMoveType, spec.snapshot)', async () => {
    const source = await raw.vmByName('pv-web01');
    await raw.runTask('CreateSnapshot_Task', source, '<name>base</name><memory>false</memory><quiesce>false</quiesce>');
    const [vm] = (await raw.objects('VirtualMachine', ['name', 'snapshot'])).filter((v) => text(v.props.name) === 'pv-web01');
    const snapshot = (vm.props.snapshot as Node).currentSnapshot as Node;
    const [dc] = await raw.objects('Datacenter', ['vmFolder']);
    const folder = dc.props.vmFolder as Node;
    const spec =
      `<folder type="Folder">${text(folder)}</folder><name>pv-linked</name><spec><location><diskMoveType>createNewChildDiskBacking</diskMoveType></location>` +
      `<template>false</template><powerOn>false</powerOn><snapshot type="VirtualMachineSnapshot">${text(snapshot)}</snapshot></spec>`;
    await raw.runTask('CloneVM_Task', source, spec);
    const disks = async (name: string) => {
      const found = (await raw.objects('VirtualMachine', ['name', 'config.hardware.device'])).find((v) => text(v.props.name) === name)!;
      return list((found.props['config.hardware.device'] as Node).VirtualDevice)
        .filter((d) => d['@_type'] === 'VirtualDisk')
        .map((d) => ({ file: text((d.backing as Node).fileName), parent: (d.backing as Node).parent }));
    };
    const linked = await disks('pv-linked');
    expect(linked.length).toBeGreaterThan(0);
    // a linked clone's disk would have the source's disk as its backing parent: vcsim's has none
    for (const d of linked) expect(d.parent).toBeUndefined();
    // and its own file in the clone's folder, as a full copy has
    for (const d of linked) expect(d.file).toMatch(/\] pv-linked\//);
  });

  it('refuses what Linux customization has no place for, or lacks, before anything is cloned', async () => {
    const cases: Array<[CloudInitSpec, string]> = [
      [{ domain: 'example.test', sshKeys: 'ssh-ed25519 AAAA' }, 'cloudInit.sshKeys'],
      [{ hostname: 'web02' }, 'cloudInit.domain'],
      [{ domain: 'example.test', ipConfig: 'ip=10.0.0.300/24' }, 'cloudInit.ipConfig'],
      [{ domain: 'example.test', dnsServers: ['dns.example'] }, 'cloudInit.dnsServers'],
      [{ domain: 'example.test', hostname: 'web_02' }, 'cloudInit.hostname'],
    ];
    for (const [cloudInit, field] of cases) {
      expect(await rejection(guests.create({ templateId, name: 'pv-refused', cloudInit }, taskReporter()))).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    const blank = await rejection(guests.create({ templateId: 'new:otherGuest64', name: 'pv-refused', cloudInit: { domain: 'example.test' } }, taskReporter()));
    expect(blank).toMatchObject({ code: 'INVALID_INPUT', field: 'cloudInit' });
    expect(await serverVm(raw, 'pv-refused')).toBeUndefined();
  });
});
