// `vm create`'s cloud-init / guest customization flags (Proxmox cloud-init, vSphere
// Linux customization): --hostname, --domain, --ip ADDRESS/PREFIX|dhcp with --gateway,
// --dns (repeatable), --time-zone, --ci-user, --ssh-keys. What a platform does not
// take is refused by the core with the field named.
import { ipSettingText, parseIpSetting } from '../../shared/cloud-init';
import type { CloudInitSpec } from '../../shared/guests';
import { usage } from './arg-helpers';

export const CLOUD_INIT_OPTIONS = {
  hostname: { type: 'string' },
  domain: { type: 'string' },
  ip: { type: 'string' },
  gateway: { type: 'string' },
  dns: { type: 'string', multiple: true },
  'time-zone': { type: 'string' },
  'ci-user': { type: 'string' },
  'ssh-keys': { type: 'string' },
} as const;

export const CLOUD_INIT_USAGE = `            [--hostname H] [--domain D] [--ip ADDRESS/PREFIX|dhcp [--gateway GW]] [--dns IP]… [--time-zone TZ]
            [--ci-user U] [--ssh-keys "KEYS"]   cloud-init / guest customization where the template takes it`;

type Values = { [K in keyof typeof CLOUD_INIT_OPTIONS]?: (typeof CLOUD_INIT_OPTIONS)[K] extends { multiple: true } ? string[] : string };

/** The spec of the flags given; undefined when none is. */
export function cloudInitOf(values: Values): CloudInitSpec | undefined {
  if (values.gateway !== undefined && values.ip === undefined) throw usage('--gateway: goes with --ip ADDRESS/PREFIX');
  const ipConfig = values.ip === undefined ? undefined : ipSettingText(values.ip, values.gateway);
  if (ipConfig !== undefined && !parseIpSetting(ipConfig)) throw usage(`--ip: "${values.ip}"${values.gateway ? ` with --gateway "${values.gateway}"` : ''} is not dhcp or ADDRESS/PREFIX with an IP gateway`);
  if (ipConfig === 'dhcp' && values.gateway !== undefined) throw usage('--gateway: DHCP gives the gateway');
  const spec: CloudInitSpec = {
    ...(values.hostname !== undefined ? { hostname: nonEmpty(values.hostname, '--hostname') } : {}),
    ...(values.domain !== undefined ? { domain: nonEmpty(values.domain, '--domain') } : {}),
    ...(ipConfig !== undefined ? { ipConfig } : {}),
    ...(values.dns?.length ? { dnsServers: values.dns.flatMap((d) => d.split(',')).map((d) => nonEmpty(d.trim(), '--dns')) } : {}),
    ...(values['time-zone'] !== undefined ? { timeZone: nonEmpty(values['time-zone'], '--time-zone') } : {}),
    ...(values['ci-user'] !== undefined ? { user: nonEmpty(values['ci-user'], '--ci-user') } : {}),
    ...(values['ssh-keys'] !== undefined ? { sshKeys: nonEmpty(values['ssh-keys'], '--ssh-keys') } : {}),
  };
  return Object.keys(spec).length ? spec : undefined;
}

function nonEmpty(value: string, flag: string): string {
  if (!value.trim()) throw usage(`${flag} must not be empty`);
  return value.trim();
}
