// The IP setting of cloud-init / guest customization as the wizard, the CLI and the
// providers write it: 'dhcp' or 'ip=ADDRESS/PREFIX[,gw=ADDRESS]' (Proxmox's ipconfig0 form),
// and which fields a platform takes.

import type { CloudInitField, CloudInitSpec, GuestsFacet } from './guests';

export type IpSetting = { kind: 'dhcp' } | { kind: 'fixed'; address: string; prefix: number; gateway?: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

export function isIpAddress(text: string): boolean {
  return IPV4.test(text) || (text.includes(':') && IPV6.test(text));
}

/** The setting, or null when the text is neither form. */
export function parseIpSetting(text: string): IpSetting | null {
  const value = text.trim();
  if (/^dhcp$/i.test(value)) return { kind: 'dhcp' };
  const match = /^ip=([^/,]+)\/(\d{1,3})(?:,gw=([^,]+))?$/i.exec(value);
  if (!match || !isIpAddress(match[1]) || (match[3] !== undefined && !isIpAddress(match[3]))) return null;
  const prefix = Number(match[2]);
  if (prefix > (match[1].includes(':') ? 128 : 32)) return null;
  return { kind: 'fixed', address: match[1], prefix, ...(match[3] ? { gateway: match[3] } : {}) };
}

/** The text form of a fixed address ('10.0.0.5/24') and gateway, as the CLI takes them apart. */
export function ipSettingText(ip: string, gateway?: string): string {
  if (/^dhcp$/i.test(ip.trim())) return 'dhcp';
  return `ip=${ip.trim()}${gateway ? `,gw=${gateway.trim()}` : ''}`;
}

/** An IPv4 prefix length as a dotted subnet mask (vSphere's subnetMask). */
export function subnetMask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}

/** The fields a template offering 'cloud-init' takes on a platform (GuestsFacet.customization; absent: cloud-init's). */
export function customizationFields(facet: Pick<GuestsFacet, 'customization'> | undefined): CloudInitField[] {
  return facet?.customization?.fields ?? ['user', 'password', 'sshKeys', 'hostname', 'ipConfig'];
}

/** The first field of `spec` the platform does not take, if any. */
export function untakenCustomizationField(spec: CloudInitSpec, facet: Pick<GuestsFacet, 'customization'> | undefined): CloudInitField | undefined {
  const taken = new Set(customizationFields(facet));
  return (Object.keys(spec) as CloudInitField[]).find((field) => spec[field] !== undefined && !taken.has(field));
}
