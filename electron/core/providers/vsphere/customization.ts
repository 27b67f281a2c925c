// Guest customization of a VM made from a template (the vSphere Client's "Customize
// the operating system"): a CustomizationSpec with CustomizationLinuxPrep (host name,
// domain, time zone), CustomizationGlobalIPSettings (DNS servers) and one
// CustomizationAdapterMapping per network adapter, the first with a fixed IP or DHCP
// as asked, the others DHCP. It is sent with CustomizeVM_Task on the powered-off copy
// rather than in CloneVM_Task's spec.customization: vSphere takes both the same way
// (config.tools.pendingCustomization, applied at the next power on), and vcsim 0.24's
// CloneVM_Task ignores spec.customization, so only CustomizeVM_Task is applied by both.

import type { CloudInitSpec, CustomizationFacet } from '../../../../shared/guests';
import { PolyvisorError } from '../../../../shared/errors';
import { isIpAddress, parseIpSetting, subnetMask, type IpSetting } from '../../../../shared/cloud-init';
import { text } from '../common/standard-fields';
import { el, type Xml } from './xml';

export const vsphereCustomizationFacet: CustomizationFacet = {
  fields: ['hostname', 'domain', 'timeZone', 'ipConfig', 'dnsServers'],
  required: ['domain'],
  label: text('Guest customization (Linux)', '客户机自定义 (Linux)'),
};

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const DOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const TIME_ZONE = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/;

const invalid = (field: string, message: string) => new PolyvisorError({ code: 'INVALID_INPUT', field: `cloudInit.${field}`, message });

/** The fields checked before anything is cloned; what vSphere's Linux customization has no place for is refused. */
export function checkedCustomization(spec: CloudInitSpec): { spec: CloudInitSpec; ip: IpSetting | null } {
  for (const field of ['user', 'password', 'sshKeys'] as const) {
    if (spec[field] !== undefined) throw invalid(field, `vSphere's Linux guest customization sets no ${field === 'sshKeys' ? 'SSH keys' : `${field}`}: put them in the template.`);
  }
  if (spec.hostname !== undefined && !HOST_NAME.test(spec.hostname)) throw invalid('hostname', 'A host name is letters, digits and inner hyphens, at most 63 characters.');
  if (!spec.domain) throw invalid('domain', "vSphere's Linux guest customization needs a domain name.");
  if (!DOMAIN.test(spec.domain)) throw invalid('domain', `${spec.domain} is not a domain name.`);
  if (spec.timeZone !== undefined && !TIME_ZONE.test(spec.timeZone)) throw invalid('timeZone', `${spec.timeZone} is not a time zone such as Europe/Berlin.`);
  const bad = (spec.dnsServers ?? []).find((d) => !isIpAddress(d));
  if (bad !== undefined) throw invalid('dnsServers', `${bad} is not an IP address.`);
  const ip = spec.ipConfig === undefined ? null : parseIpSetting(spec.ipConfig);
  if (spec.ipConfig !== undefined && !ip) throw invalid('ipConfig', "The IP setting reads 'dhcp' or 'ip=ADDRESS/PREFIX[,gw=ADDRESS]'.");
  if (ip?.kind === 'fixed' && ip.address.includes(':')) throw invalid('ipConfig', 'Polyvisor sets IPv4 addresses by guest customization.');
  return { spec, ip };
}

/** CustomizeVM_Task's spec for a VM with `adapters` network adapters. */
export function customizationSpec({ spec, ip }: ReturnType<typeof checkedCustomization>, adapters: number): Xml {
  const hostName = spec.hostname
    ? el('hostName', el('name', spec.hostname), { 'xsi:type': 'CustomizationFixedName' })
    : el('hostName', [], { 'xsi:type': 'CustomizationVirtualMachineName' });
  const identity = el('identity', [hostName, el('domain', spec.domain!), spec.timeZone && el('timeZone', spec.timeZone), spec.timeZone && el('hwClockUTC', true)], {
    'xsi:type': 'CustomizationLinuxPrep',
  });
  const dns = (spec.dnsServers ?? []).map((d) => el('dnsServerList', d));
  const global = el('globalIPSettings', [el('dnsSuffixList', spec.domain!), ...dns]);
  const mappings = Array.from({ length: adapters }, (_, i) => el('nicSettingMap', el('adapter', adapterSettings(i === 0 ? ip : null, spec))));
  return el('spec', [el('options', [], { 'xsi:type': 'CustomizationLinuxOptions' }), identity, global, ...mappings]);
}

function adapterSettings(ip: IpSetting | null, spec: CloudInitSpec): Array<Xml | undefined> {
  const fixed = ip?.kind === 'fixed' ? ip : null;
  return [
    fixed ? el('ip', el('ipAddress', fixed.address), { 'xsi:type': 'CustomizationFixedIp' }) : el('ip', [], { 'xsi:type': 'CustomizationDhcpIpGenerator' }),
    fixed ? el('subnetMask', subnetMask(fixed.prefix)) : undefined,
    fixed?.gateway ? el('gateway', fixed.gateway) : undefined,
    ...(fixed ? (spec.dnsServers ?? []).map((d) => el('dnsServerList', d)) : []),
    el('dnsDomain', spec.domain!),
  ];
}
