import { describe, expect, it } from 'vitest';
import { customizationFields, ipSettingText, parseIpSetting, subnetMask, untakenCustomizationField } from '../../shared/cloud-init';
import { vsphereGuestsFacet } from '../../electron/core/providers/vsphere/guests-facet';
import { parseVm } from '../../electron/cli/guest-args';

describe('cloud-init / customization IP setting', () => {
  it('reads dhcp and a fixed address with its prefix and gateway', () => {
    expect(parseIpSetting('DHCP')).toEqual({ kind: 'dhcp' });
    expect(parseIpSetting('ip=10.0.0.5/24,gw=10.0.0.1')).toEqual({ kind: 'fixed', address: '10.0.0.5', prefix: 24, gateway: '10.0.0.1' });
    expect(parseIpSetting('ip=fd00::5/64')).toEqual({ kind: 'fixed', address: 'fd00::5', prefix: 64 });
  });

  it('refuses what is neither form', () => {
    for (const bad of ['10.0.0.5/24', 'ip=10.0.0.256/24', 'ip=10.0.0.5/33', 'ip=10.0.0.5/24,gw=gateway', 'static']) expect(parseIpSetting(bad)).toBeNull();
  });

  it('writes the CLI form back and turns a prefix into a subnet mask', () => {
    expect(ipSettingText('10.0.0.5/24', '10.0.0.1')).toBe('ip=10.0.0.5/24,gw=10.0.0.1');
    expect(ipSettingText('dhcp')).toBe('dhcp');
    expect([0, 8, 24, 25, 32].map(subnetMask)).toEqual(['0.0.0.0', '255.0.0.0', '255.255.255.0', '255.255.255.128', '255.255.255.255']);
  });

  it('names the first field a platform does not take', () => {
    expect(customizationFields(undefined)).toEqual(['user', 'password', 'sshKeys', 'hostname', 'ipConfig']);
    expect(untakenCustomizationField({ hostname: 'a', domain: 'b.test' }, undefined)).toBe('domain');
    expect(untakenCustomizationField({ hostname: 'a', domain: 'b.test', dnsServers: ['10.0.0.2'] }, vsphereGuestsFacet)).toBeUndefined();
    expect(untakenCustomizationField({ domain: 'b.test', user: 'root' }, vsphereGuestsFacet)).toBe('user');
  });
});

describe('vm create: cloud-init / customization flags', () => {
  const create = (...flags: string[]) => parseVm('create', ['--template', 'T', '--name', 'N', ...flags]);
  it('joins --ip and --gateway into the IP setting and splits --dns lists', () => {
    expect(create('--hostname', 'web01', '--domain', 'example.test', '--ip', '10.0.0.5/24', '--gateway', '10.0.0.1', '--dns', '10.0.0.2,10.0.0.3', '--dns', '10.0.0.4')).toMatchObject({
      cloudInit: { hostname: 'web01', domain: 'example.test', ipConfig: 'ip=10.0.0.5/24,gw=10.0.0.1', dnsServers: ['10.0.0.2', '10.0.0.3', '10.0.0.4'] },
    });
    expect(create('--ip', 'dhcp')).toMatchObject({ cloudInit: { ipConfig: 'dhcp' } });
    expect(create()).not.toHaveProperty('cloudInit');
  });

  it('refuses a bad address, a gateway alone or with DHCP, naming the flag', () => {
    expect(() => create('--ip', '10.0.0.5')).toThrow('--ip');
    expect(() => create('--gateway', '10.0.0.1')).toThrow('--gateway');
    expect(() => create('--ip', 'dhcp', '--gateway', '10.0.0.1')).toThrow('--gateway');
    expect(() => create('--hostname', ' ')).toThrow('--hostname');
  });
});
